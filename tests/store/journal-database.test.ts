// journal.db: the live order journal's own file. An older gateway database's events move over once, positions and
// numbers kept, and are deleted there; an interrupted move is never copied twice; a journal the older file holds
// beyond journal.db stops the start instead of being lost.
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { dec, type Decimal } from '../../src/domain/decimal.js';
import type { ExchangeEvent } from '../../src/domain/events.js';
import { openDatabase } from '../../src/store/database.js';
import { SqliteEventJournal } from '../../src/store/event-journal.js';
import { JOURNAL_DATABASE_FILE, moveLegacyJournal } from '../../src/store/journal-database.js';
import { createSqliteStore, type SqliteStore } from '../../src/store/sqlite-store.js';
import { useTempDirs } from './temp-dir.js';

const tempDir = useTempDirs();

const funded = (accountId: string, amount: string): ExchangeEvent => ({ type: 'account.funded', accountId, amount: dec(amount), at: 1_000 });

/** A gateway database as version 7 left it, its journal holding `amounts` as funding events of account `a`. */
function legacyDatabase(file: string, amounts: string[]): void {
  const db = openDatabase(file);
  new SqliteEventJournal(db).append(amounts.map((amount) => funded('a', amount)));
  db.close();
}

function legacyEvents(file: string): number {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return db.prepare('SELECT COUNT(*) FROM events').pluck().get() as number;
  } finally {
    db.close();
  }
}

/** The store's journal as [seq, amount] pairs, in commit order. */
async function amounts(store: SqliteStore): Promise<Array<[number, Decimal | undefined]>> {
  const read: Array<[number, Decimal | undefined]> = [];
  for await (const e of store.journal.readAll()) read.push([e.seq, e.type === 'account.funded' ? e.amount : undefined]);
  return read;
}

describe('journal.db', () => {
  it('takes over the events of an older database, numbers kept, and they leave the old file', async () => {
    const file = path.join(tempDir(), 'ordergate.db');
    legacyDatabase(file, ['1.5', '2', '3.25']);
    const store = createSqliteStore(file);
    try {
      expect(store.journalFile).toBe(path.join(path.dirname(file), JOURNAL_DATABASE_FILE));
      expect(await amounts(store)).toEqual([[1, dec('1.5')], [2, dec('2')], [3, dec('3.25')]]);
      expect(legacyEvents(file)).toBe(0);
      // Numbering goes on after the moved events.
      expect(store.journal.append([funded('a', '4')]).map((e) => e.seq)).toEqual([4]);
    } finally {
      await store.close();
    }
    const reopened = createSqliteStore(file);
    try {
      expect((await amounts(reopened)).map(([seq]) => seq)).toEqual([1, 2, 3, 4]);
    } finally {
      await reopened.close();
    }
  });

  it('copies nothing twice when a start stopped between the copy and the delete', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'ordergate.db');
    legacyDatabase(file, ['1', '2']);
    const journal = openDatabase(path.join(dir, JOURNAL_DATABASE_FILE));
    // The copy as the first start made it, without the delete.
    journal.prepare('ATTACH DATABASE ? AS legacy').run(file);
    journal.exec('INSERT INTO main.events SELECT * FROM legacy.events; DETACH DATABASE legacy');
    expect(moveLegacyJournal(journal, file)).toBe(0);
    journal.close();
    expect(legacyEvents(file)).toBe(0);
    const store = createSqliteStore(file);
    try {
      expect((await amounts(store)).map(([seq]) => seq)).toEqual([1, 2]);
    } finally {
      await store.close();
    }
  });

  it('refuses to start when the old file holds events journal.db lacks, and changes neither', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'ordergate.db');
    legacyDatabase(file, ['1']);
    await createSqliteStore(file).close(); // moved
    legacyDatabase(file, ['2']); // an older Ordergate wrote on after the move
    expect(() => createSqliteStore(file)).toThrow(/ordergate\.db holds order events up to position 2 that journal\.db \(up to 1\) does not/);
    expect(legacyEvents(file)).toBe(1);
  });

  it('starts empty beside a new database', async () => {
    const file = path.join(tempDir(), 'ordergate.db');
    const store = createSqliteStore(file);
    try {
      expect(await store.journal.count()).toBe(0);
      expect(legacyEvents(store.journalFile)).toBe(0);
    } finally {
      await store.close();
    }
  });
});
