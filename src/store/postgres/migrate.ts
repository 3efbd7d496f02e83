// The schema's migrations (store/migrations.ts) on PostgreSQL: each in its own transaction, recorded in
// `schema_migrations` as on SQLite. Gateways starting together on one database take turns: an advisory lock is held
// for the whole run, and each reads what is applied only once it holds it.
import type pg from 'pg';
import { systemClock, type Clock } from '../../domain/clock.js';
import { MIGRATIONS, type Migration, sqlOf } from '../migrations.js';

/** Any constant both gateways agree on: the advisory lock of Ordergate's migrations. */
const MIGRATION_LOCK = 7_150_418;

export async function migratePostgres(
  pool: pg.Pool,
  migrations: readonly Migration[] = MIGRATIONS,
  clock: Clock = systemClock,
): Promise<number[]> {
  return withAdvisoryLock(pool, MIGRATION_LOCK, async (client) => {
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at BIGINT NOT NULL
      )
    `);
    const stored = await client.query<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations');
    const newest = stored.rows[0]?.version ?? 0;
    const known = migrations.at(-1)?.version ?? 0;
    if (newest > known) {
      throw new Error(`database schema version ${newest} is newer than this Ordergate knows (${known}); upgrade Ordergate`);
    }
    const applied: number[] = [];
    for (const migration of migrations) {
      if (migration.version <= newest) continue;
      await client.query('BEGIN');
      try {
        const text = sqlOf(migration, 'postgres');
        if (text.trim() !== '') await client.query(text);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
          migration.version,
          migration.name,
          clock.now(),
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
      applied.push(migration.version);
    }
    return applied;
  });
}

/**
 * Runs `work` holding the session advisory lock `key` on a connection of `pool`'s own, which `work` may use (other
 * processes asking for the same lock wait).
 */
export async function withAdvisoryLock<T>(pool: pg.Pool, key: number, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [key]);
    try {
      return await work(client);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [key]).catch((error: Error) => (broken = error));
    }
  } finally {
    client.release(broken);
  }
}
