import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/decimal.js';
import type { ExchangeEvent, JournaledEvent } from '../../src/domain/events.js';
import type { Fill, Order } from '../../src/domain/order.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { SqliteEventJournal } from '../../src/store/event-journal.js';
import { SqliteJournalFile } from '../../src/store/journal-file.js';
import { JOURNAL_FAILED_MESSAGE } from '../../src/store/journal-numbering.js';
import { useTempDirs } from './temp-dir.js';

const tempDir = useTempDirs();
const open: Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) if (db.open) db.close();
});

function openJournal(file: string): { db: Database; journal: SqliteEventJournal } {
  const db = openDatabase(file);
  open.push(db);
  return { db, journal: new SqliteEventJournal(db) };
}

/** Everything the journal holds, in commit order. */
async function eventsIn(journal: SqliteEventJournal): Promise<JournaledEvent[]> {
  const events: JournaledEvent[] = [];
  for await (const event of journal.readAll()) events.push(event);
  return events;
}

const funded = (accountId: string, amount: string, at = 1_000): ExchangeEvent => ({
  type: 'account.funded',
  accountId,
  amount: dec(amount),
  at,
});

function acceptedOrder(accountId: string): ExchangeEvent {
  const order: Order = {
    id: 'ord-1',
    accountId,
    symbol: 'RELIANCE',
    exchange: 'NSE',
    side: 'BUY',
    quantity: dec('10'),
    type: 'LIMIT',
    limitPrice: dec('2450.05'),
    product: 'MIS',
    timeInForce: 'DAY',
    strategyTag: 'breakout',
    status: 'open',
    filledQuantity: dec('0'),
    averagePrice: dec('0'),
    createdAt: 2_000,
    updatedAt: 2_000,
  };
  return { type: 'order.accepted', accountId, order, margin: dec('4900.1'), at: 2_000 };
}

function fillOf(accountId: string): ExchangeEvent {
  const fill: Fill = {
    tradeId: 't-1',
    orderId: 'ord-1',
    accountId,
    symbol: 'BTCUSDT',
    exchange: 'CRYPTO',
    product: 'CNC',
    side: 'SELL',
    quantity: dec('0.00012345'),
    price: dec('-12345678901234.12345678'),
    at: 3_000,
  };
  return { type: 'order.fill', accountId, fill, at: 3_000 };
}

describe('SqliteEventJournal', () => {
  it('reads back exactly what was appended, decimals included, in commit order', async () => {
    const { journal } = openJournal(path.join(tempDir(), 'ordergate.db'));
    const events = [funded('acc-a', '100.05'), acceptedOrder('acc-a'), fillOf('acc-a')];
    journal.append(events);

    const read = await eventsIn(journal);
    expect(read).toEqual(events.map((event, i) => ({ ...event, seq: i + 1 })));
    const first = read[0];
    expect(first?.type === 'account.funded' && first.amount).toBe(dec('100.05'));
    expect(typeof (first?.type === 'account.funded' && first.amount)).toBe('bigint');
  });

  it('numbers events per account and returns them with their numbers', async () => {
    const { journal } = openJournal(path.join(tempDir(), 'ordergate.db'));
    const appended = journal.append([funded('acc-a', '1'), funded('acc-b', '2'), funded('acc-a', '3')]);
    expect(appended.map((e) => [e.accountId, e.seq])).toEqual([
      ['acc-a', 1],
      ['acc-b', 1],
      ['acc-a', 2],
    ]);
    const next = journal.append([funded('acc-b', '4')]);
    expect(next.map((e) => e.seq)).toEqual([2]);
    expect(await journal.count()).toBe(4);
  });

  it('continues each account’s numbers after a reopen', async () => {
    const file = path.join(tempDir(), 'ordergate.db');
    const first = openJournal(file);
    first.journal.append([funded('acc-a', '1'), funded('acc-a', '2'), funded('acc-b', '3')]);
    first.db.close();

    const second = openJournal(file);
    const appended = second.journal.append([funded('acc-a', '4'), funded('acc-b', '5'), funded('acc-c', '6')]);
    expect(appended.map((e) => [e.accountId, e.seq])).toEqual([
      ['acc-a', 3],
      ['acc-b', 2],
      ['acc-c', 1],
    ]);
    expect((await eventsIn(second.journal)).map((e) => e.seq)).toEqual([1, 2, 1, 3, 2, 1]);
  });

  it('writes a batch atomically: one bad event leaves nothing written and no gap in the numbers', async () => {
    const { journal } = openJournal(path.join(tempDir(), 'ordergate.db'));
    journal.append([funded('acc-a', '1')]);
    // A null account id breaks the NOT NULL constraint on the third row, after two rows were inserted.
    const broken = { ...funded('acc-a', '3'), accountId: null } as unknown as ExchangeEvent;
    expect(() => journal.append([funded('acc-a', '2'), funded('acc-b', '2'), broken])).toThrow(/NOT NULL/);

    expect(await journal.count()).toBe(1);
    const next = journal.append([funded('acc-a', '4'), funded('acc-b', '5')]);
    expect(next.map((e) => e.seq)).toEqual([2, 1]);
    expect((await eventsIn(journal)).map((e) => [e.accountId, e.seq])).toEqual([
      ['acc-a', 1],
      ['acc-a', 2],
      ['acc-b', 1],
    ]);
  });

  it('appending nothing writes nothing', async () => {
    const { journal } = openJournal(path.join(tempDir(), 'ordergate.db'));
    expect(journal.append([])).toEqual([]);
    expect(await journal.count()).toBe(0);
  });

  it('recovers its numbering when another connection appended meanwhile', async () => {
    const file = path.join(tempDir(), 'ordergate.db');
    const server = openJournal(file);
    const cli = openJournal(file);
    server.journal.append([funded('acc-a', '1')]);
    cli.journal.append([funded('acc-a', '2')]); // the CLI's journal loaded its numbers before the server's write

    expect(server.journal.append([funded('acc-a', '3')]).map((e) => e.seq)).toEqual([3]);
    expect((await eventsIn(cli.journal)).map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('is durable once append returns: a fresh connection reads the events', async () => {
    const file = path.join(tempDir(), 'ordergate.db');
    const writer = openJournal(file);
    writer.journal.append([funded('acc-a', '100.05')]);
    const reader = openJournal(file);
    expect(await eventsIn(reader.journal)).toEqual([{ ...funded('acc-a', '100.05'), seq: 1 }]);
  });
});

describe('SqliteEventJournal with group commit', () => {
  const grouped = (file: string, onCommitError?: (error: unknown) => void) => {
    const db = openDatabase(file);
    open.push(db);
    return { db, journal: new SqliteEventJournal(db, { commit: 'group', onCommitError }) };
  };

  it('numbers at once, commits every append of one turn in one transaction, and resolves whenDurable after it', async () => {
    const { journal } = grouped(path.join(tempDir(), 'ordergate.db'));
    expect(journal.whenDurable()).toBeNull();
    const first = journal.append([funded('acc-a', '1'), funded('acc-b', '2')]);
    const durable = journal.whenDurable();
    const second = journal.append([funded('acc-a', '3')]);
    expect(first.map((e) => e.seq)).toEqual([1, 1]);
    expect(second.map((e) => e.seq)).toEqual([2]);
    expect(journal.whenDurable()).toBe(durable);
    expect(await journal.count()).toBe(0);

    await durable;
    expect(await journal.count()).toBe(3);
    expect(journal.stats).toEqual({ commits: 1, events: 3 });
    expect(journal.whenDurable()).toBeNull();
    expect((await eventsIn(journal)).map((e) => [e.accountId, e.seq])).toEqual([
      ['acc-a', 1],
      ['acc-b', 1],
      ['acc-a', 2],
    ]);
  });

  it('settle commits what is staged at once (shutdown)', async () => {
    const { journal } = grouped(path.join(tempDir(), 'ordergate.db'));
    journal.append([funded('acc-a', '1')]);
    await journal.settle();
    expect(await journal.count()).toBe(1);
    expect(journal.whenDurable()).toBeNull();
  });

  it('a failed commit rejects its waiters, stores nothing of the group, and refuses every later append', async () => {
    const file = path.join(tempDir(), 'ordergate.db');
    const errors: unknown[] = [];
    const { journal } = grouped(file, (error) => errors.push(error));
    const other = openJournal(file);
    journal.append([funded('acc-a', '1')]);
    other.journal.append([funded('acc-a', '2')]); // takes acc-a's number 1 first: the group's commit must fail
    journal.append([funded('acc-b', '3')]);

    await expect(journal.whenDurable()).rejects.toMatchObject({ message: JOURNAL_FAILED_MESSAGE, cause: expect.objectContaining({ message: expect.stringMatching(/UNIQUE/) }) });
    expect(errors).toHaveLength(1);
    expect(journal.failed).toBe(true);
    expect((await eventsIn(other.journal)).map((e) => e.accountId)).toEqual(['acc-a']);
    expect(() => journal.append([funded('acc-c', '4')])).toThrow(JOURNAL_FAILED_MESSAGE);
  });

  it('recover then resume accepts appends again, numbered after what is stored, not after what failed', async () => {
    const file = path.join(tempDir(), 'ordergate.db');
    const errors: unknown[] = [];
    const { journal } = grouped(file, (error) => errors.push(error));
    const other = openJournal(file);
    journal.append([funded('acc-a', '1'), funded('acc-a', '2')]);
    other.journal.append([funded('acc-a', '3')]); // takes acc-a's number 1 first: the group's commit must fail
    journal.append([funded('acc-b', '4')]);
    await expect(journal.whenDurable()).rejects.toMatchObject({ message: JOURNAL_FAILED_MESSAGE, cause: expect.objectContaining({ message: expect.stringMatching(/UNIQUE/) }) });

    await journal.recover();
    // Recovered but not resumed: the caller rebuilds its state from the journal first.
    expect(journal.failed).toBe(true);
    expect(() => journal.append([funded('acc-c', '5')])).toThrow(JOURNAL_FAILED_MESSAGE);
    expect(journal.whenDurable()).toBeNull();
    journal.resume();
    expect(journal.failed).toBe(false);

    // The failed group had claimed acc-a 1–2 and acc-b 1; only the other connection's acc-a 1 is stored.
    const next = journal.append([funded('acc-a', '6'), funded('acc-b', '7')]);
    expect(next.map((e) => [e.accountId, e.seq])).toEqual([
      ['acc-a', 2],
      ['acc-b', 1],
    ]);
    await journal.whenDurable();
    expect(errors).toHaveLength(1);
    expect((await eventsIn(other.journal)).map((e) => [e.accountId, e.seq, e.type === 'account.funded' && e.amount])).toEqual([
      ['acc-a', 1, dec('3')],
      ['acc-a', 2, dec('6')],
      ['acc-b', 1, dec('7')],
    ]);
  });

  it('close commits what is staged, then closes the file', async () => {
    const file = path.join(tempDir(), 'ordergate.db');
    const { journal } = grouped(file);
    journal.append([funded('acc-a', '1')]);
    await journal.close();
    expect(journal.whenDurable()).toBeNull();
    await expect(journal.count()).rejects.toThrow(/not open/);
    expect(await openJournal(file).journal.count()).toBe(1);
  });
});

describe("SqliteEventJournal: the core's order_events beside the exchange's events in one file", () => {
  /** The file's two journals sharing its commits, as the SQLite store makes them. */
  const pair = (file: string, commit: 'each' | 'group', onCommitError?: (error: unknown) => void) => {
    const db = openDatabase(file);
    open.push(db);
    const journals = new SqliteJournalFile(db);
    return {
      db,
      events: new SqliteEventJournal(db, { commit, onCommitError, file: journals }),
      orders: new SqliteEventJournal(db, { commit, onCommitError, file: journals, table: 'order_events' }),
    };
  };

  it('keeps the two tables apart: each numbers and reads back its own events', async () => {
    const { db, events, orders } = pair(path.join(tempDir(), 'journal.db'), 'each');
    events.append([funded('acc-a', '1'), funded('acc-a', '2')]);
    expect(orders.append([funded('acc-a', '3')]).map((e) => e.seq)).toEqual([1]);

    expect([await events.count(), await orders.count()]).toEqual([2, 1]);
    expect(await eventsIn(orders)).toEqual([{ ...funded('acc-a', '3'), seq: 1 }]);
    expect(db.prepare('SELECT account_id, seq FROM order_events').all()).toEqual([{ account_id: 'acc-a', seq: 1 }]);
  });

  it('with group commit, the appends of one turn to both tables are one transaction, and whenDurable tells each', async () => {
    const { events, orders } = pair(path.join(tempDir(), 'journal.db'), 'group');
    events.append([funded('acc-a', '1')]);
    orders.append([funded('acc-a', '2'), funded('acc-b', '3')]);
    const durable = orders.whenDurable();
    expect(events.whenDurable()).toBe(durable);

    await durable;
    expect([await events.count(), await orders.count()]).toEqual([1, 2]);
    expect(events.stats).toEqual({ commits: 1, events: 1 });
    expect(orders.stats).toEqual({ commits: 1, events: 2 });
    expect([events.whenDurable(), orders.whenDurable()]).toEqual([null, null]);
  });

  it('a journal with nothing staged this turn has nothing to wait for', async () => {
    const { events, orders } = pair(path.join(tempDir(), 'journal.db'), 'group');
    orders.append([funded('acc-a', '1')]);
    expect(events.whenDurable()).toBeNull();
    await events.settle();
    // Settling one sends the file's commit, the other journal's rows with it.
    expect(orders.whenDurable()).toBeNull();
    expect(await orders.count()).toBe(1);
  });

  it('a failed commit stores neither table\'s rows and fails both journals; each recovers on its own rows', async () => {
    const file = path.join(tempDir(), 'journal.db');
    const errors: unknown[] = [];
    const { events, orders } = pair(file, 'group', (error) => errors.push(error));
    const other = openJournal(file);
    orders.append([funded('acc-a', '1')]);
    events.append([funded('acc-a', '2')]);
    other.journal.append([funded('acc-a', '3')]); // takes the events table's acc-a 1 first: the commit must fail

    await expect(orders.whenDurable()).rejects.toMatchObject({ message: JOURNAL_FAILED_MESSAGE, cause: expect.objectContaining({ message: expect.stringMatching(/UNIQUE constraint failed: events\.account_id/) }) });
    expect([events.failed, orders.failed]).toEqual([true, true]);
    expect(errors).toHaveLength(2);
    expect(await orders.count()).toBe(0);
    expect(() => orders.append([funded('acc-a', '4')])).toThrow(JOURNAL_FAILED_MESSAGE);

    for (const journal of [events, orders]) {
      await journal.recover();
      journal.resume();
    }
    expect(orders.append([funded('acc-a', '5')]).map((e) => e.seq)).toEqual([1]);
    expect(events.append([funded('acc-a', '6')]).map((e) => e.seq)).toEqual([2]);
    await orders.whenDurable();
    expect([await events.count(), await orders.count()]).toEqual([2, 1]);
  });

  it('the file stays open until both journals are closed', async () => {
    const file = path.join(tempDir(), 'journal.db');
    const { db, events, orders } = pair(file, 'group');
    orders.append([funded('acc-a', '1')]);
    await events.close();
    expect(db.open).toBe(true);
    expect(orders.append([funded('acc-a', '2')]).map((e) => e.seq)).toEqual([2]);
    await orders.close();
    expect(db.open).toBe(false);
    const again = openJournal(file);
    expect(await again.journal.count()).toBe(0);
    expect(await new SqliteEventJournal(again.db, { table: 'order_events' }).count()).toBe(2);
  });
});
