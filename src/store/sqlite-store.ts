// The Store over the embedded SQLite files of a data folder: the gateway's (ordergate.db), the live order journals
// (journal.db: the exchange's and the core's), the sandbox's two (analyzer.db) and the traffic log (traffic.db). Opens and migrates them, then
// hands out repositories sharing one connection per file.
import { Kysely, SqliteDialect } from 'kysely';
import { systemClock, type Clock } from '../domain/clock.js';
import { SqlAccountRepository } from './account-repository.js';
import { SqlAnalyzerLogRepository } from './analyzer-log-repository.js';
import { SqlApiKeyRepository } from './api-key-repository.js';
import { SqlAuthSessionRepository } from './auth-session-repository.js';
import { SqlBrokerConnectionRepository } from './broker-connection-repository.js';
import { SqlGttRepository } from './gtt-repository.js';
import { SqlBacktestRunRepository, SqlUserStrategyRepository } from './backtest-repository.js';
import { SqlChartPreferenceRepository } from './chart-preference-repository.js';
import { Changes, sqliteDataVersion } from './change-signal.js';
import { openDatabase, type Database, type OpenDatabaseOptions } from './database.js';
import { type EventJournalOptions, SqliteEventJournal } from './event-journal.js';
import { SqliteJournalFile } from './journal-file.js';
import { SqlIdempotencyRepository } from './idempotency-repository.js';
import { journalFileBeside, moveLegacyJournal } from './journal-database.js';
import { SqlLoginAddressRepository } from './login-address-repository.js';
import type { Schema } from './schema.js';
import { SqlSettingsRepository } from './settings-repository.js';
import type { Store } from './store.js';
import { guarded } from './unavailable.js';
import { importLegacyTraffic, openTrafficDatabase, trafficFileBeside } from './traffic-database.js';
import { SqlTrafficLogRepository } from './traffic-log-repository.js';
import { SqlUserRepository } from './user-repository.js';

export interface SqliteStoreOptions extends OpenDatabaseOptions {
  /** How the order journals commit (default `each`). */
  journal?: EventJournalOptions;
  /** The sandbox journal's file (analyzer.db); in memory when absent. */
  sandboxFile?: string;
}

export interface SqliteStore extends Store {
  readonly engine: 'sqlite';
  readonly journal: SqliteEventJournal;
  readonly sandboxJournal: SqliteEventJournal;
  readonly orderJournal: SqliteEventJournal;
  readonly sandboxOrderJournal: SqliteEventJournal;
  /** The gateway's file's connection, for tests. */
  readonly db: Database;
  /** `traffic.db` (beside the database file), where the traffic log lives. */
  readonly trafficFile: string;
  /** `journal.db` (beside the database file), where the live order journals live. */
  readonly journalFile: string;
}

/** Opens the store of `file` (`:memory:` works too, for tests): synchronous, as better-sqlite3 is. */
export function createSqliteStore(file: string, options: SqliteStoreOptions = {}): SqliteStore {
  const clock: Clock = options.clock ?? systemClock;
  const opened: Database[] = [];
  const open = (path: string, extra: OpenDatabaseOptions = {}) => {
    const db = openDatabase(path, { ...options, clock, ...extra });
    opened.push(db);
    return db;
  };
  try {
    // The traffic log first: it takes over the rows an older version kept in `file` before `file`'s migrations drop them.
    const trafficFile = trafficFileBeside(file);
    const trafficDb = openTrafficDatabase(trafficFile, { clock });
    opened.push(trafficDb);
    if (trafficFile !== ':memory:') importLegacyTraffic(trafficDb, file);
    // The journal next: it takes over the events an older version kept in `file`.
    const journalFile = journalFileBeside(file);
    const journalDb = open(journalFile);
    if (journalFile !== ':memory:') moveLegacyJournal(journalDb, file);
    const sandboxDb = open(options.sandboxFile ?? ':memory:');
    const db = open(file);
    const kysely = new Kysely<Schema>({ dialect: new SqliteDialect({ database: db }) });
    const traffic = new Kysely<Schema>({ dialect: new SqliteDialect({ database: trafficDb }) });
    const changes = new Changes('sqlite', sqliteDataVersion(db));
    // Each file's two journals share its commits: one transaction per turn holds the core's rows and the exchange's.
    const liveJournals = new SqliteJournalFile(journalDb);
    const sandboxJournals = new SqliteJournalFile(sandboxDb);
    const journal = new SqliteEventJournal(journalDb, { ...options.journal, file: liveJournals });
    const orderJournal = new SqliteEventJournal(journalDb, { ...options.journal, file: liveJournals, table: 'order_events' });
    const sandboxJournal = new SqliteEventJournal(sandboxDb, { ...options.journal, file: sandboxJournals });
    const sandboxOrderJournal = new SqliteEventJournal(sandboxDb, { ...options.journal, file: sandboxJournals, table: 'order_events' });
    return {
      engine: 'sqlite',
      db,
      trafficFile,
      journalFile,
      changes,
      users: guarded(new SqlUserRepository(kysely, clock)),
      accounts: guarded(new SqlAccountRepository(kysely, clock, changes)),
      apiKeys: guarded(new SqlApiKeyRepository(kysely, clock, changes)),
      settings: guarded(new SqlSettingsRepository(kysely, changes)),
      analyzerLogs: guarded(new SqlAnalyzerLogRepository(kysely)),
      authSessions: guarded(new SqlAuthSessionRepository(kysely)),
      loginAddresses: guarded(new SqlLoginAddressRepository(kysely)),
      traffic: guarded(new SqlTrafficLogRepository(traffic)),
      idempotency: guarded(new SqlIdempotencyRepository(kysely)),
      brokerConnections: guarded(new SqlBrokerConnectionRepository(kysely, clock, changes)),
      gtts: guarded(new SqlGttRepository(kysely)),
      chartPreferences: guarded(new SqlChartPreferenceRepository(kysely, clock)),
      backtestRuns: guarded(new SqlBacktestRunRepository(kysely)),
      userStrategies: guarded(new SqlUserStrategyRepository(kysely)),
      journal,
      sandboxJournal,
      orderJournal,
      sandboxOrderJournal,
      exclusively: (work) => work(),
      async ping() {
        db.prepare('SELECT 1').get();
        journalDb.prepare('SELECT 1').get();
      },
      async close() {
        // The journals close their own files once what they stage is committed.
        try {
          await Promise.allSettled([journal, orderJournal, sandboxJournal, sandboxOrderJournal].map((each) => each.close()));
        } finally {
          db.close();
          trafficDb.close();
        }
      },
    };
  } catch (error) {
    for (const db of opened) db.close();
    throw error;
  }
}
