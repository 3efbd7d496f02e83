// The engines the repository tests run on: SQLite (in memory) always, PostgreSQL too in the PostgreSQL pass
// (`npm run test:postgres`, tests/postgres-database.ts). Each test gets fresh migrated databases of its own, destroyed
// after it, so `npm test` never needs a PostgreSQL server.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { afterEach } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { migratePostgres } from '../../src/store/postgres/migrate.js';
import { createPool } from '../../src/store/postgres/pool.js';
import type { Schema } from '../../src/store/schema.js';
import type { Engine } from '../../src/store/store.js';
import { openTrafficDatabase } from '../../src/store/traffic-database.js';
import { freshSchema, onPostgres } from '../postgres-database.js';

export interface TestEngine {
  readonly name: Engine;
  /**
   * A fresh, migrated, empty database. `traffic`: the traffic log's (SQLite keeps it in traffic.db, a schema of its
   * own; PostgreSQL in the one database).
   */
  open(options?: { traffic?: boolean }): Promise<Kysely<Schema>>;
  /**
   * A fresh database that can be connected to again: each call of the function returned is a new connection, which
   * migrates as a gateway does at start (nothing to do once the schema is there).
   */
  openReconnectable(): Promise<() => Promise<Kysely<Schema>>>;
}

/**
 * Registers the cleanup in the calling file and returns the engines of this run, for `describe.each(engines)`
 * (`$name` in the title names the engine).
 */
export function useEngines(): TestEngine[] {
  const opened: Kysely<Schema>[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const db of opened.splice(0)) await db.destroy();
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });
  const track = (db: Kysely<Schema>) => {
    opened.push(db);
    return db;
  };

  const sqliteFile = (file: string, traffic = false) =>
    track(new Kysely<Schema>({ dialect: new SqliteDialect({ database: (traffic ? openTrafficDatabase : openDatabase)(file) }) }));
  const sqlite: TestEngine = {
    name: 'sqlite',
    open: async (options = {}) => sqliteFile(':memory:', options.traffic),
    openReconnectable: async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordergate-test-'));
      dirs.push(dir);
      const file = path.join(dir, 'ordergate.db');
      return async () => sqliteFile(file);
    },
  };

  const postgresAt = async (url: string) => {
    const pool = createPool({ url });
    const db = track(new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) }));
    await migratePostgres(pool);
    return db;
  };
  const postgres: TestEngine = {
    name: 'postgres',
    open: async () => postgresAt(await freshSchema()),
    openReconnectable: async () => {
      const url = await freshSchema();
      return () => postgresAt(url);
    },
  };

  return onPostgres() ? [sqlite, postgres] : [sqlite];
}
