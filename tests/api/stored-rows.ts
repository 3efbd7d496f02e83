// What a test gateway's database holds, read with plain SQL on either engine: for tests that check what was (or was
// never) written beyond what the repositories show, such as rows of no account or columns no repository returns.
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { DATABASE_FILE } from '../../src/store/open-store.js';
import { POSTGRES_TYPES } from '../../src/store/postgres/pool.js';
import { databaseEnvFor } from '../postgres-database.js';
import type { Harness } from './harness.js';

export type StoredRow = Record<string, unknown>;

/** A connection of the test's own beside the gateway's, kept open for many queries (a fuzz loop's snapshots). */
export interface StoredRowsReader {
  select(sql: string): Promise<StoredRow[]>;
  close(): Promise<void>;
}

/**
 * Opens a reader of `h`'s database. On SQLite it reads the data folder's `file` (ordergate.db unless told; the traffic
 * log is in traffic.db) read-only; on the PostgreSQL pass, the gateway's schema, where every table is. `h` must have
 * been started with the pass's engine (no DATABASE_URL of its own).
 */
export async function openStoredRows(h: Harness, file = DATABASE_FILE): Promise<StoredRowsReader> {
  if (h.gateway.store.engine === 'sqlite') {
    const db = new BetterSqlite3(path.join(h.dataDir, file), { readonly: true });
    return {
      select: async (sql) => db.prepare(sql).all() as StoredRow[],
      close: async () => {
        db.close();
      },
    };
  }
  const { DATABASE_URL: url } = await databaseEnvFor(h.dataDir);
  const client = new pg.Client({ connectionString: url, types: POSTGRES_TYPES });
  await client.connect();
  return {
    select: async (sql) => (await client.query<StoredRow>(sql)).rows,
    close: () => client.end(),
  };
}

/** The rows `sql` selects, through a reader opened for this query alone (see openStoredRows). */
export async function storedRows(h: Harness, sql: string, file = DATABASE_FILE): Promise<StoredRow[]> {
  const reader = await openStoredRows(h, file);
  try {
    return await reader.select(sql);
  } finally {
    await reader.close();
  }
}
