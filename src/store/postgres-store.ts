// The Store on PostgreSQL (DATABASE_URL): one pool for the repositories and the journals' commits, a connection that
// LISTENs for other processes' changes, the schema migrated at open. Several gateways may share the database.
import { Kysely, PostgresDialect } from 'kysely';
import { systemClock, type Clock } from '../domain/clock.js';
import { SqlAccountRepository } from './account-repository.js';
import { SqlAnalyzerLogRepository } from './analyzer-log-repository.js';
import { SqlApiKeyRepository } from './api-key-repository.js';
import { SqlAuthSessionRepository } from './auth-session-repository.js';
import { SqlBrokerConnectionRepository } from './broker-connection-repository.js';
import { SqlGttRepository } from './gtt-repository.js';
import { SqlBacktestRunRepository, SqlUserStrategyRepository } from './backtest-repository.js';
import { SqlChartPreferenceRepository } from './chart-preference-repository.js';
import { Changes } from './change-signal.js';
import { SqlIdempotencyRepository } from './idempotency-repository.js';
import { SqlLoginAddressRepository } from './login-address-repository.js';
import { ChangeListener } from './postgres/change-listener.js';
import { migratePostgres, withAdvisoryLock } from './postgres/migrate.js';
import { createPool } from './postgres/pool.js';
import { PostgresEventJournal } from './postgres/postgres-journal.js';
import type { Schema } from './schema.js';
import { SqlSettingsRepository } from './settings-repository.js';
import type { Store } from './store.js';
import { guarded } from './unavailable.js';
import { SqlTrafficLogRepository } from './traffic-log-repository.js';
import { SqlUserRepository } from './user-repository.js';

/** The advisory lock of `Store.exclusively` (the migrations have their own). */
const EXCLUSIVE_LOCK = 7_150_419;

export interface PostgresStoreOptions {
  url: string;
  clock?: Clock;
  /** `each`: a transaction per order request; `group` (default): one per group of concurrent requests. */
  commit?: 'each' | 'group';
  /** `off` for ORDERGATE_DURABILITY=relaxed. */
  synchronousCommit?: 'on' | 'off';
  onCommitError?: (error: unknown) => void;
  /** Connection errors the store survives (a dropped idle connection, the LISTEN connection lost and retried). */
  onConnectionError?: (error: Error) => void;
  /** Pool size (default 10). */
  maxConnections?: number;
}

export interface PostgresStore extends Store {
  readonly engine: 'postgres';
  readonly journal: PostgresEventJournal;
  readonly sandboxJournal: PostgresEventJournal;
  readonly orderJournal: PostgresEventJournal;
  readonly sandboxOrderJournal: PostgresEventJournal;
}

export async function createPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const clock = options.clock ?? systemClock;
  const onConnectionError = options.onConnectionError ?? (() => undefined);
  const pool = createPool({ url: options.url, max: options.maxConnections, onError: onConnectionError });
  let listener: ChangeListener | undefined;
  try {
    await migratePostgres(pool, undefined, clock);
    const changes = new Changes('postgres');
    listener = await ChangeListener.start(options.url, changes, onConnectionError);
    const journalOptions = {
      commit: options.commit,
      synchronousCommit: options.synchronousCommit,
      onCommitError: options.onCommitError,
    };
    // Four journals, each committing on its own: the core's and the exchange's rows of one request may land in two
    // transactions (a crash between them leaves one without the other, which the core's recovery must expect).
    const journal = await PostgresEventJournal.open(pool, { ...journalOptions, table: 'events' });
    const sandboxJournal = await PostgresEventJournal.open(pool, { ...journalOptions, table: 'sandbox_events' });
    const orderJournal = await PostgresEventJournal.open(pool, { ...journalOptions, table: 'order_events' });
    const sandboxOrderJournal = await PostgresEventJournal.open(pool, { ...journalOptions, table: 'sandbox_order_events' });
    const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
    const stopListening = listener;
    let closed: Promise<void> | undefined;
    return {
      engine: 'postgres',
      changes,
      users: guarded(new SqlUserRepository(db, clock)),
      accounts: guarded(new SqlAccountRepository(db, clock, changes)),
      apiKeys: guarded(new SqlApiKeyRepository(db, clock, changes)),
      settings: guarded(new SqlSettingsRepository(db, changes)),
      analyzerLogs: guarded(new SqlAnalyzerLogRepository(db)),
      authSessions: guarded(new SqlAuthSessionRepository(db)),
      loginAddresses: guarded(new SqlLoginAddressRepository(db)),
      traffic: guarded(new SqlTrafficLogRepository(db)),
      idempotency: guarded(new SqlIdempotencyRepository(db)),
      brokerConnections: guarded(new SqlBrokerConnectionRepository(db, clock, changes)),
      gtts: guarded(new SqlGttRepository(db)),
      chartPreferences: guarded(new SqlChartPreferenceRepository(db, clock)),
      backtestRuns: guarded(new SqlBacktestRunRepository(db)),
      userStrategies: guarded(new SqlUserStrategyRepository(db)),
      journal,
      sandboxJournal,
      orderJournal,
      sandboxOrderJournal,
      async ping() {
        await pool.query('SELECT 1');
      },
      exclusively: (work) => withAdvisoryLock(pool, EXCLUSIVE_LOCK, work),
      // Once: a second call waits for the first (a pool ends only once).
      close() {
        closed ??= (async () => {
          try {
            await Promise.allSettled([journal, orderJournal, sandboxJournal, sandboxOrderJournal].map((each) => each.close()));
          } finally {
            await stopListening.close();
            await pool.end();
          }
        })();
        return closed;
      },
    };
  } catch (error) {
    await listener?.close();
    await pool.end().catch(() => undefined);
    throw error;
  }
}
