// The SQLite files of an embedded install's data folder, opened as the gateway opens them (migrated to the current
// schema, an older version's journal and traffic log taken over first) so that `ordergate db copy` reads them whole.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { type Database, openDatabase } from './database.js';
import { JOURNAL_DATABASE_FILE, moveLegacyJournal } from './journal-database.js';
import { ANALYZER_DATABASE_FILE, DATABASE_FILE } from './open-store.js';
import { TRAFFIC_DATABASE_FILE, importLegacyTraffic, openTrafficDatabase } from './traffic-database.js';

export { ANALYZER_DATABASE_FILE, DATABASE_FILE, JOURNAL_DATABASE_FILE, TRAFFIC_DATABASE_FILE };

export type DataFolderFile =
  | typeof DATABASE_FILE
  | typeof JOURNAL_DATABASE_FILE
  | typeof ANALYZER_DATABASE_FILE
  | typeof TRAFFIC_DATABASE_FILE;

export interface DataFolderFiles {
  /** The open connection to a file, or undefined when the folder has no such file (nothing of it to read). */
  of(file: DataFolderFile): Database | undefined;
  close(): void;
}

/** True when `dataDir` holds an embedded install (its gateway file). */
export function holdsEmbeddedInstall(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, DATABASE_FILE));
}

/**
 * Opens the folder's files in the order the gateway's SQLite store does: traffic.db and journal.db take over the rows
 * an older version kept in ordergate.db before ordergate.db's migrations drop its traffic log. analyzer.db and
 * traffic.db are left uncreated when absent (an install that never had them), unless ordergate.db still holds a
 * traffic log for traffic.db to take over.
 */
export function openDataFolderFiles(dataDir: string): DataFolderFiles {
  const mainFile = path.join(dataDir, DATABASE_FILE);
  const trafficFile = path.join(dataDir, TRAFFIC_DATABASE_FILE);
  const analyzerFile = path.join(dataDir, ANALYZER_DATABASE_FILE);
  const opened = new Map<DataFolderFile, Database>();
  const close = () => {
    for (const db of opened.values()) db.close();
  };
  try {
    if (fs.existsSync(trafficFile) || holdsLegacyTraffic(mainFile)) {
      const traffic = openTrafficDatabase(trafficFile);
      opened.set(TRAFFIC_DATABASE_FILE, traffic);
      importLegacyTraffic(traffic, mainFile);
    }
    const journal = openDatabase(path.join(dataDir, JOURNAL_DATABASE_FILE));
    opened.set(JOURNAL_DATABASE_FILE, journal);
    moveLegacyJournal(journal, mainFile);
    opened.set(DATABASE_FILE, openDatabase(mainFile));
    if (fs.existsSync(analyzerFile)) opened.set(ANALYZER_DATABASE_FILE, openDatabase(analyzerFile));
  } catch (error) {
    close();
    throw error;
  }
  return { of: (file) => opened.get(file), close };
}

/** True when the gateway's file predates traffic.db (migration 7) and still holds its traffic log. */
function holdsLegacyTraffic(mainFile: string): boolean {
  if (!fs.existsSync(mainFile)) return false;
  const db = new BetterSqlite3(mainFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'traffic_log'").get() !== undefined;
  } finally {
    db.close();
  }
}
