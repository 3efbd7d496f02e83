// Opening the SQLite file: WAL for concurrent readers, a full fsync per commit, a busy timeout so the CLI and a
// running server can both write, foreign keys enforced, and the schema migrated before anything else runs.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Clock } from '../domain/clock.js';
import { MIGRATIONS, type Migration, migrate } from './migrations.js';

export type Database = BetterSqlite3.Database;

/** How long a writer waits for another connection's write lock before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5000;

export interface OpenDatabaseOptions {
  busyTimeoutMs?: number;
  /** Stamps `schema_migrations.applied_at`. */
  clock?: Clock;
  /**
   * `full` (default): a commit returns only after the WAL is fsynced, so it survives power loss. `normal`: WAL commits
   * are fsynced at checkpoints only; a process crash loses nothing, a power loss may lose the last commits.
   */
  synchronous?: 'full' | 'normal';
  /** The schema this file holds (default: the gateway's, MIGRATIONS). */
  migrations?: readonly Migration[];
}

/** Opens (creating if needed) the database at `file` and brings its schema up to date. `:memory:` works too. */
export function openDatabase(file: string, options: OpenDatabaseOptions = {}): Database {
  const inMemory = file === ':memory:' || file === '';
  if (!inMemory) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new BetterSqlite3(file);
  try {
    // The busy timeout comes first: switching to WAL needs a lock another process may hold.
    db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? BUSY_TIMEOUT_MS)}`);
    if (!inMemory) db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    db.pragma('foreign_keys = ON');
    migrate(db, options.migrations ?? MIGRATIONS, options.clock);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
