// The schema as an ordered list of numbered migrations, applied at open and recorded in `schema_migrations`.
// The SQL is kept portable (TEXT, INTEGER, BIGINT) so PostgreSQL can run the same list; the one SQLite-only
// construct is the journal's `INTEGER PRIMARY KEY AUTOINCREMENT` (PostgreSQL: `BIGINT GENERATED ALWAYS AS IDENTITY`).
import { systemClock, type Clock } from '../domain/clock.js';
import type { Database } from './database.js';

export interface Migration {
  /** Positive, strictly increasing; never renumber or edit a released migration, add a new one. */
  version: number;
  name: string;
  sql: string;
}

/** The traffic log's table: in the gateway's file until migration 7, in `traffic.db` since. */
const TRAFFIC_LOG_TABLE = `
  CREATE TABLE traffic_log (
    position INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    key_id TEXT,
    account_id TEXT,
    user_id TEXT,
    ip TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    route TEXT,
    status INTEGER NOT NULL,
    duration_us BIGINT NOT NULL
  );
  CREATE INDEX traffic_log_at ON traffic_log (at);
  CREATE INDEX traffic_log_account_at ON traffic_log (account_id, at);
`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'identity',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        password_hash TEXT,
        created_at BIGINT NOT NULL
      );
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id),
        name TEXT NOT NULL UNIQUE,
        broker TEXT NOT NULL DEFAULT 'paper',
        created_at BIGINT NOT NULL
      );
      CREATE INDEX accounts_user_id ON accounts (user_id);
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        account_id TEXT NOT NULL REFERENCES accounts (id),
        prefix TEXT NOT NULL,
        digest TEXT NOT NULL UNIQUE,
        scopes TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        revoked_at BIGINT,
        last_used_at BIGINT
      );
      CREATE INDEX api_keys_account_id ON api_keys (account_id);
      CREATE INDEX api_keys_prefix ON api_keys (prefix);
    `,
  },
  {
    version: 2,
    name: 'event journal',
    // No foreign key on account_id: the journal also records accounts that live only in the exchange.
    sql: `
      CREATE TABLE events (
        position INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL,
        seq BIGINT NOT NULL,
        type TEXT NOT NULL,
        at BIGINT NOT NULL,
        body TEXT NOT NULL,
        UNIQUE (account_id, seq)
      );
    `,
  },
  {
    version: 3,
    name: 'settings',
    sql: `
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'idempotency keys',
    sql: `
      CREATE TABLE idempotency_keys (
        account_id TEXT NOT NULL,
        key TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        status_code INTEGER NOT NULL,
        body TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (account_id, key)
      );
      CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);
    `,
  },
  {
    version: 5,
    name: 'analyzer logs',
    sql: `
      CREATE TABLE analyzer_logs (
        position INTEGER PRIMARY KEY AUTOINCREMENT,
        account_id TEXT NOT NULL,
        at BIGINT NOT NULL,
        path TEXT NOT NULL,
        status_code INTEGER NOT NULL,
        request TEXT NOT NULL,
        response TEXT NOT NULL
      );
      CREATE INDEX analyzer_logs_account_id ON analyzer_logs (account_id);
    `,
  },
  {
    version: 6,
    name: 'login sessions and traffic log',
    // A session is one login: the family of refresh tokens rotated from it. Refresh tokens are stored as digests.
    sql: `
      CREATE TABLE auth_sessions (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id),
        created_at BIGINT NOT NULL,
        revoked_at BIGINT,
        revoked_reason TEXT
      );
      CREATE INDEX auth_sessions_user_id ON auth_sessions (user_id);
      CREATE TABLE refresh_tokens (
        digest TEXT PRIMARY KEY,
        session_id TEXT NOT NULL REFERENCES auth_sessions (id),
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        used_at BIGINT
      );
      CREATE INDEX refresh_tokens_session_id ON refresh_tokens (session_id);
      ${TRAFFIC_LOG_TABLE}
    `,
  },
  {
    version: 7,
    name: 'traffic log moved to traffic.db',
    // Its rows are copied first (importLegacyTraffic, store/traffic-database.ts); a file of its own lets a thread of
    // its own write it without ever holding the lock the order journal commits under.
    sql: `DROP TABLE traffic_log;`,
  },
  {
    version: 8,
    name: 'account names unique per user',
    // A name unique across all users told every user which names the others had chosen. SQLite cannot drop a column's
    // UNIQUE, so the table is made anew: its rows wait in a copy (rowids kept, the listing order of equal creation
    // times) while it is dropped and created again under its own name, and the foreign keys of api_keys, deferred,
    // find their accounts again by commit (PostgreSQL: drop the constraint accounts_name_key, add UNIQUE (user_id,
    // name)). The unique index leads with user_id, so it serves the per-user listing that accounts_user_id served.
    sql: `
      PRAGMA defer_foreign_keys = ON;
      CREATE TABLE accounts_before_8 AS SELECT rowid AS row_id, id, user_id, name, broker, created_at FROM accounts;
      DROP TABLE accounts;
      CREATE TABLE accounts (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id),
        name TEXT NOT NULL,
        broker TEXT NOT NULL DEFAULT 'paper',
        created_at BIGINT NOT NULL,
        UNIQUE (user_id, name)
      );
      INSERT INTO accounts (rowid, id, user_id, name, broker, created_at)
        SELECT row_id, id, user_id, name, broker, created_at FROM accounts_before_8;
      DROP TABLE accounts_before_8;
    `,
  },
  {
    version: 9,
    name: 'login addresses',
    // The addresses each user logged in from lately: the login limit spares them the per-username budget, and a
    // restart must not forget them (or strangers spending that budget would lock the owner out until the next login).
    sql: `
      CREATE TABLE login_addresses (
        user_id TEXT NOT NULL REFERENCES users (id),
        address TEXT NOT NULL,
        last_login_at BIGINT NOT NULL,
        PRIMARY KEY (user_id, address)
      );
    `,
  },
];

/** The schema of `traffic.db`: the traffic log, in a file of its own (store/traffic-database.ts). */
export const TRAFFIC_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'traffic log',
    sql: `
      ${TRAFFIC_LOG_TABLE}
    `,
  },
];

/**
 * Applies the migrations not yet recorded, each in its own transaction, and returns the versions applied.
 * Safe when two processes open the same file at once: each transaction takes the write lock first and re-reads
 * what is applied. Refuses a database migrated by a newer Ordergate.
 */
export function migrate(
  db: Database,
  migrations: readonly Migration[] = MIGRATIONS,
  clock: Clock = systemClock,
): number[] {
  checkOrder(migrations);
  db.exec(`
    CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at BIGINT NOT NULL
    )
  `);
  const isApplied = db.prepare<[number], { version: number }>(
    'SELECT version FROM schema_migrations WHERE version = ?',
  );
  const record = db.prepare<[number, string, number]>(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  const newest = db.prepare<[], { version: number | null }>('SELECT MAX(version) AS version FROM schema_migrations');

  const known = migrations.at(-1)?.version ?? 0;
  const stored = newest.get()?.version ?? 0;
  if (stored > known) {
    throw new Error(
      `database schema version ${stored} is newer than this Ordergate knows (${known}); upgrade Ordergate`,
    );
  }

  const applied: number[] = [];
  const applyOne = db.transaction((migration: Migration) => {
    if (isApplied.get(migration.version)) return;
    db.exec(migration.sql);
    record.run(migration.version, migration.name, clock.now());
    applied.push(migration.version);
  });
  for (const migration of migrations) applyOne.immediate(migration);
  return applied;
}

/** Versions recorded in the database, in order. */
export function appliedVersions(db: Database): number[] {
  return db
    .prepare<[], number>('SELECT version FROM schema_migrations ORDER BY version')
    .pluck()
    .all();
}

function checkOrder(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const { version } of migrations) {
    if (!Number.isInteger(version) || version <= previous) {
      throw new Error(`migration versions must be increasing positive integers; ${version} follows ${previous}`);
    }
    previous = version;
  }
}
