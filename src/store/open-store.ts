// Opens the store a configuration names: PostgreSQL when DATABASE_URL is set, the embedded SQLite files of the data
// folder otherwise; either way the schema is migrated first. ORDERGATE_DURABILITY maps onto each engine's commits.
import path from 'node:path';
import type { Clock } from '../domain/clock.js';
import { type PostgresStore, createPostgresStore } from './postgres-store.js';
import { type SqliteStore, createSqliteStore } from './sqlite-store.js';

/** A store, told apart by its `engine`: what only one engine has (SQLite's traffic writer thread, its files) is reached through it. */
export type EngineStore = SqliteStore | PostgresStore;

/** The gateway's SQLite file in the data folder (journal.db, analyzer.db and traffic.db lie beside it). */
export const DATABASE_FILE = 'ordergate.db';
/** The analyzer's sandbox journals (the paper exchange's and the core's), in a SQLite file of their own. */
export const ANALYZER_DATABASE_FILE = 'analyzer.db';

export interface OpenStoreOptions {
  dataDir: string;
  /** `postgres://…`: PostgreSQL; absent: SQLite in `dataDir`. */
  databaseUrl?: string;
  clock?: Clock;
  /**
   * `group` (default): the order events of concurrent requests share one commit; `each`: a commit per request;
   * `relaxed`: grouped, and on disk only at checkpoints (SQLite synchronous=NORMAL, PostgreSQL synchronous_commit=off).
   */
  durability?: 'group' | 'each' | 'relaxed';
  onCommitError?: (error: unknown) => void;
  onConnectionError?: (error: Error) => void;
}

export async function openStore(options: OpenStoreOptions): Promise<EngineStore> {
  const durability = options.durability ?? 'group';
  const commit = durability === 'each' ? 'each' : 'group';
  if (options.databaseUrl) {
    return createPostgresStore({
      url: options.databaseUrl,
      clock: options.clock,
      commit,
      synchronousCommit: durability === 'relaxed' ? 'off' : 'on',
      onCommitError: options.onCommitError,
      onConnectionError: options.onConnectionError,
    });
  }
  return createSqliteStore(path.join(options.dataDir, DATABASE_FILE), {
    clock: options.clock,
    synchronous: durability === 'relaxed' ? 'normal' : 'full',
    journal: { commit, onCommitError: options.onCommitError },
    sandboxFile: path.join(options.dataDir, ANALYZER_DATABASE_FILE),
  });
}
