// The Store over one SQLite file: opens and migrates it, then hands out repositories sharing the connection.
import { systemClock, type Clock } from '../domain/clock.js';
import { SqliteAnalyzerLogRepository } from './analyzer-log-repository.js';
import { SqliteAccountRepository } from './account-repository.js';
import { SqliteApiKeyRepository } from './api-key-repository.js';
import { SqliteAuthSessionRepository } from './auth-session-repository.js';
import { SqliteLoginAddressRepository } from './login-address-repository.js';
import { openDatabase, type Database, type OpenDatabaseOptions } from './database.js';
import { type EventJournalOptions, SqliteEventJournal } from './event-journal.js';
import { journalFileBeside, moveLegacyJournal } from './journal-database.js';
import { SqliteIdempotencyRepository } from './idempotency-repository.js';
import { SqliteSettingsRepository } from './settings-repository.js';
import { importLegacyTraffic, openTrafficDatabase, trafficFileBeside } from './traffic-database.js';
import { SqliteTrafficLogRepository } from './traffic-log-repository.js';
import type { Store } from './store.js';
import { SqliteUserRepository } from './user-repository.js';

export interface SqliteStoreOptions extends OpenDatabaseOptions {
  /** How the order journal commits (default `each`). */
  journal?: EventJournalOptions;
}

export interface SqliteStore extends Store {
  readonly journal: SqliteEventJournal;
  /** The underlying connection, for health checks and tests. */
  readonly db: Database;
  /** `traffic.db` (beside the database file), where the traffic log lives. */
  readonly trafficFile: string;
  /** `journal.db` (beside the database file), where the order journal lives. */
  readonly journalFile: string;
  /** Throws unless the database answers a trivial query (the readiness check). */
  ping(): void;
}

export function createSqliteStore(file: string, options: SqliteStoreOptions = {}): SqliteStore {
  const clock: Clock = options.clock ?? systemClock;
  // The traffic log first: it takes over the rows an older version kept in `file` before `file`'s migrations drop them.
  const trafficFile = trafficFileBeside(file);
  const trafficDb = openTrafficDatabase(trafficFile, { clock });
  // The journal next: it takes over the events an older version kept in `file`.
  const journalFile = journalFileBeside(file);
  let journalDb: Database | undefined;
  let db: Database;
  try {
    if (trafficFile !== ':memory:') importLegacyTraffic(trafficDb, file);
    journalDb = openDatabase(journalFile, { ...options, clock });
    if (journalFile !== ':memory:') moveLegacyJournal(journalDb, file);
    db = openDatabase(file, { ...options, clock });
  } catch (error) {
    journalDb?.close();
    trafficDb.close();
    throw error;
  }
  return {
    db,
    trafficFile,
    journalFile,
    users: new SqliteUserRepository(db, clock),
    accounts: new SqliteAccountRepository(db, clock),
    apiKeys: new SqliteApiKeyRepository(db, clock),
    settings: new SqliteSettingsRepository(db),
    analyzerLogs: new SqliteAnalyzerLogRepository(db),
    authSessions: new SqliteAuthSessionRepository(db),
    loginAddresses: new SqliteLoginAddressRepository(db),
    traffic: new SqliteTrafficLogRepository(trafficDb),
    idempotency: new SqliteIdempotencyRepository(db),
    journal: new SqliteEventJournal(journalDb, options.journal),
    ping: () => {
      db.prepare('SELECT 1').get();
      journalDb.prepare('SELECT 1').get();
    },
    close: () => {
      db.close();
      journalDb.close();
      trafficDb.close();
    },
  };
}
