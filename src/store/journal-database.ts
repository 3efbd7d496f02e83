// The live order journals' own SQLite file, beside the gateway's: in a file of its own, the journals' group commits
// never wait on a lock the gateway's other writes (idempotency answers, logins, keys) hold, nor they on its fsyncs. It
// has the gateway's schema, as analyzer.db does for the sandbox's journals; only its `events` (the paper exchange's)
// and `order_events` (the core's) tables are used.
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from './database.js';

export const JOURNAL_DATABASE_FILE = 'journal.db';

/** `journal.db` beside the gateway's database file (in memory too when it is). */
export function journalFileBeside(databaseFile: string): string {
  const inMemory = databaseFile === ':memory:' || databaseFile === '';
  return inMemory ? ':memory:' : path.join(path.dirname(path.resolve(databaseFile)), JOURNAL_DATABASE_FILE);
}

const COLUMNS = 'position, account_id, seq, type, at, body';

/**
 * Moves the journal an older Ordergate kept in the gateway's database into journal.db, once: the rows are copied (with
 * their positions) only into an empty journal, then deleted from the gateway's file, whose `events` table stays, empty
 * (the schema is shared with analyzer.db and journal.db). A start interrupted between the two only deletes.
 * Throws, touching nothing, if the gateway's file holds events journal.db does not (a newer journal written by an
 * older Ordergate after the move). Returns the rows moved.
 */
export function moveLegacyJournal(journal: Database, databaseFile: string): number {
  if (!fs.existsSync(databaseFile)) return 0;
  journal.prepare('ATTACH DATABASE ? AS legacy').run(databaseFile);
  try {
    const hasTable = journal.prepare("SELECT 1 FROM legacy.sqlite_master WHERE type = 'table' AND name = 'events'").get();
    if (hasTable === undefined) return 0;
    const lastPosition = (schema: string) =>
      journal.prepare<[], number | null>(`SELECT MAX(position) FROM ${schema}.events`).pluck().get() ?? null;
    const legacyLast = lastPosition('legacy');
    if (legacyLast === null) return 0;
    const journalLast = lastPosition('main');
    if (journalLast !== null && legacyLast > journalLast) {
      throw new Error(
        `${databaseFile} holds order events up to position ${legacyLast} that ${JOURNAL_DATABASE_FILE} (up to ${journalLast}) does not; ` +
          'they were written by an older Ordergate after the journal moved: move them by hand or restore a backup',
      );
    }
    // Two transactions, the copy committed first: across attached WAL files one transaction is not atomic.
    const moved =
      journalLast === null
        ? journal.prepare(`INSERT INTO main.events (${COLUMNS}) SELECT ${COLUMNS} FROM legacy.events ORDER BY position`).run().changes
        : 0;
    journal.prepare('DELETE FROM legacy.events').run();
    return moved;
  } finally {
    journal.exec('DETACH DATABASE legacy');
  }
}
