// PostgresEventJournal (store/postgres/postgres-journal.ts): numbering per account, group commit (one transaction per
// turn, and the appends made while a commit is in flight ride the next one), `each`, durability seen from another
// connection, paged reads, the sandbox table and the core's two, and a failed commit: refused appends until recover() and resume(), then
// numbers after what is stored. PostgreSQL pass only.
import { setImmediate as nextTurn } from 'node:timers/promises';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BrokerUnavailable } from '../../src/domain/errors.js';
import { dec } from '../../src/domain/decimal.js';
import type { ExchangeEvent, JournaledEvent } from '../../src/domain/events.js';
import { JOURNAL_FAILED_MESSAGE } from '../../src/store/journal-numbering.js';
import { migratePostgres } from '../../src/store/postgres/migrate.js';
import { createPool, POSTGRES_TYPES } from '../../src/store/postgres/pool.js';
import { PostgresEventJournal, type PostgresJournalOptions } from '../../src/store/postgres/postgres-journal.js';
import { freshSchema } from '../postgres-database.js';

const pools: pg.Pool[] = [];
const clients: pg.Client[] = [];
const journals: PostgresEventJournal[] = [];
afterEach(async () => {
  // Other connections first: one may hold a lock that a journal's commit waits for.
  for (const client of clients.splice(0)) await client.end().catch(() => undefined);
  for (const journal of journals.splice(0)) await journal.settle().catch(() => undefined);
  for (const pool of pools.splice(0)) await pool.end();
});

/** A fresh migrated schema, a pool on it, and a journal over its `events` table (group commit unless told). */
async function setUp(options: Partial<PostgresJournalOptions> = {}) {
  const url = await freshSchema();
  const pool = createPool({ url });
  pools.push(pool);
  await migratePostgres(pool);
  const journal = await openJournal(pool, options);
  return { url, pool, journal };
}

async function openJournal(pool: pg.Pool, options: Partial<PostgresJournalOptions> = {}): Promise<PostgresEventJournal> {
  const journal = await PostgresEventJournal.open(pool, { table: 'events', ...options });
  journals.push(journal);
  return journal;
}

/** A connection of its own, as another process would have. */
async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, types: POSTGRES_TYPES, application_name: 'ordergate-test' });
  await client.connect();
  clients.push(client);
  return client;
}

const funded = (accountId: string, amount: string, at = 1_000): ExchangeEvent => ({
  type: 'account.funded',
  accountId,
  amount: dec(amount),
  at,
});

async function eventsIn(journal: PostgresEventJournal): Promise<JournaledEvent[]> {
  const events: JournaledEvent[] = [];
  for await (const event of journal.readAll()) events.push(event);
  return events;
}

const numbers = (events: readonly JournaledEvent[]) => events.map((e) => [e.accountId, e.seq]);

/** The rows of `table` as another connection reads them, in commit order. */
async function storedRows(client: pg.Client, table = 'events'): Promise<Array<[string, number]>> {
  const result = await client.query<{ account_id: string; seq: number }>(`SELECT account_id, seq FROM ${table} ORDER BY position`);
  return result.rows.map((row) => [row.account_id, row.seq]);
}

/**
 * Holds a lock on `events` that INSERTs wait for, from a connection of its own, so a commit stays in flight until
 * `release`; `blocked` answers the backends waiting for it.
 */
async function lockEvents(url: string) {
  const locker = await connect(url);
  await locker.query('BEGIN');
  await locker.query('LOCK TABLE events IN SHARE MODE');
  const blocked = async () =>
    (
      await locker.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE pg_backend_pid() = ANY (pg_blocking_pids(pid)) ORDER BY pid',
      )
    ).rows.map((row) => row.pid);
  /** Resolves once a commit waits for the lock (it is in flight). */
  const untilBlocked = () => vi.waitFor(async () => expect(await blocked()).toHaveLength(1), { timeout: 5000, interval: 20 });
  return { locker, blocked, untilBlocked, release: () => locker.query('COMMIT') };
}

describe('PostgresEventJournal', () => {
  it('numbers events per account across appends, and reads them back in commit order', async () => {
    const { journal } = await setUp();
    const first = journal.append([funded('acc-a', '1'), funded('acc-b', '2'), funded('acc-a', '3')]);
    await journal.whenDurable();
    const second = journal.append([funded('acc-b', '4'), funded('acc-c', '5')]);
    const third = journal.append([funded('acc-a', '6')]);
    await journal.whenDurable();

    expect(numbers(first)).toEqual([
      ['acc-a', 1],
      ['acc-b', 1],
      ['acc-a', 2],
    ]);
    expect(numbers(second)).toEqual([
      ['acc-b', 2],
      ['acc-c', 1],
    ]);
    expect(numbers(third)).toEqual([['acc-a', 3]]);
    expect(await journal.count()).toBe(6);
    expect(await eventsIn(journal)).toEqual([...first, ...second, ...third]);
  });

  it('commits the appends of one turn in one transaction, and resolves whenDurable after it', async () => {
    const { journal } = await setUp();
    expect(journal.whenDurable()).toBeNull();
    journal.append([funded('acc-a', '1'), funded('acc-b', '2')]);
    const durable = journal.whenDurable();
    for (let i = 0; i < 20; i++) journal.append([funded('acc-a', String(i))]);
    expect(journal.whenDurable()).toBe(durable);
    expect(journal.stats).toEqual({ commits: 0, events: 0 });

    await durable;
    expect(journal.stats).toEqual({ commits: 1, events: 22 });
    expect(journal.whenDurable()).toBeNull();
    expect(await journal.count()).toBe(22);
  });

  it('gathers the appends made while a commit is in flight into the next commit', async () => {
    const { url, journal } = await setUp();
    const lock = await lockEvents(url);
    journal.append([funded('acc-a', '1')]);
    const first = journal.whenDurable();
    await lock.untilBlocked();

    // Three appends in three turns while the first commit waits: they ride one commit, after it.
    journal.append([funded('acc-a', '2')]);
    const next = journal.whenDurable();
    expect(next).not.toBe(first);
    await nextTurn();
    journal.append([funded('acc-b', '3')]);
    await nextTurn();
    journal.append([funded('acc-a', '4'), funded('acc-b', '5')]);
    expect(journal.whenDurable()).toBe(next);
    expect(await lock.blocked()).toHaveLength(1);
    expect(journal.stats).toEqual({ commits: 0, events: 0 });

    await lock.release();
    await first;
    await next;
    expect(journal.stats).toEqual({ commits: 2, events: 5 });
    expect(numbers(await eventsIn(journal))).toEqual([
      ['acc-a', 1],
      ['acc-a', 2],
      ['acc-b', 1],
      ['acc-a', 3],
      ['acc-b', 2],
    ]);
  });

  it('`each` commits every append in its own transaction, in order', async () => {
    const { journal } = await setUp({ commit: 'each' });
    journal.append([funded('acc-a', '1'), funded('acc-b', '2')]);
    const first = journal.whenDurable();
    journal.append([funded('acc-a', '3')]);
    const second = journal.whenDurable();
    journal.append([funded('acc-b', '4')]);
    const third = journal.whenDurable();
    expect(new Set([first, second, third]).size).toBe(3);

    await third;
    expect(journal.stats).toEqual({ commits: 3, events: 4 });
    expect(journal.whenDurable()).toBeNull();
    expect(numbers(await eventsIn(journal))).toEqual([
      ['acc-a', 1],
      ['acc-b', 1],
      ['acc-a', 2],
      ['acc-b', 2],
    ]);
  });

  it('resolves whenDurable once another connection can read the rows', async () => {
    const { url, journal } = await setUp();
    const reader = await connect(url);
    journal.append([funded('acc-a', '1'), funded('acc-b', '2')]);
    await journal.whenDurable();
    expect(await storedRows(reader)).toEqual([
      ['acc-a', 1],
      ['acc-b', 1],
    ]);
  });

  it('settle commits what is staged at once', async () => {
    const { url, journal } = await setUp({ synchronousCommit: 'off' });
    journal.append([funded('acc-a', '1')]);
    await journal.settle();
    expect(journal.whenDurable()).toBeNull();
    expect(await storedRows(await connect(url))).toEqual([['acc-a', 1]]);
  });

  it('reads every event back page by page, in commit order, with its number', async () => {
    const { pool, journal } = await setUp();
    const accounts = ['acc-a', 'acc-b', 'acc-c'];
    const total = 12_000;
    // Two commits of 6,000 events, each of six appends of 1,000.
    for (let commit = 0; commit < 2; commit++) {
      for (let append = 0; append < 6; append++) {
        const start = commit * 6000 + append * 1000;
        journal.append(Array.from({ length: 1000 }, (_, i) => funded(accounts[(start + i) % 3]!, '1', start + i)));
      }
      await journal.whenDurable();
    }
    expect(journal.stats).toEqual({ commits: 2, events: total });

    const query = vi.spyOn(pool, 'query');
    const read = await eventsIn(journal);
    // PAGE_ROWS is 5,000: three pages.
    expect(query.mock.calls.filter(([text]) => String(text).includes('WHERE position >'))).toHaveLength(3);
    expect(read.map((e) => [e.accountId, e.seq, e.at])).toEqual(
      Array.from({ length: total }, (_, i) => [accounts[i % 3], Math.floor(i / 3) + 1, i]),
    );
    expect(read[0]).toEqual({ ...funded('acc-a', '1', 0), seq: 1 });
    expect(await journal.count()).toBe(total);
  });

  it('keeps sandbox_events apart from events', async () => {
    const { url, pool, journal } = await setUp();
    const sandbox = await openJournal(pool, { table: 'sandbox_events' });
    journal.append([funded('acc-a', '1')]);
    sandbox.append([funded('acc-a', '2'), funded('acc-a', '3')]);
    await Promise.all([journal.whenDurable(), sandbox.whenDurable()]);

    expect([await journal.count(), await sandbox.count()]).toEqual([1, 2]);
    expect(numbers(await eventsIn(sandbox))).toEqual([
      ['acc-a', 1],
      ['acc-a', 2],
    ]);
    const reader = await connect(url);
    expect(await storedRows(reader, 'events')).toEqual([['acc-a', 1]]);
    expect(await storedRows(reader, 'sandbox_events')).toEqual([
      ['acc-a', 1],
      ['acc-a', 2],
    ]);
    // Each table numbers on from its own rows.
    expect(numbers(sandbox.append([funded('acc-a', '4')]))).toEqual([['acc-a', 3]]);
    expect(numbers(journal.append([funded('acc-a', '5')]))).toEqual([['acc-a', 2]]);
  });

  it("keeps the core's order_events and sandbox_order_events apart from the exchange's tables and each other", async () => {
    const { url, pool, journal } = await setUp();
    const orders = await openJournal(pool, { table: 'order_events' });
    const sandboxOrders = await openJournal(pool, { table: 'sandbox_order_events' });
    journal.append([funded('acc-a', '1')]);
    orders.append([funded('acc-a', '2'), funded('acc-b', '3')]);
    sandboxOrders.append([funded('acc-a', '4')]);
    const durable = orders.whenDurable();
    expect(durable).not.toBeNull();
    await Promise.all([journal.whenDurable(), durable, sandboxOrders.whenDurable()]);

    expect([await journal.count(), await orders.count(), await sandboxOrders.count()]).toEqual([1, 2, 1]);
    expect(orders.stats).toEqual({ commits: 1, events: 2 });
    expect(await eventsIn(orders)).toEqual([
      { ...funded('acc-a', '2'), seq: 1 },
      { ...funded('acc-b', '3'), seq: 1 },
    ]);
    const reader = await connect(url);
    expect(await storedRows(reader, 'order_events')).toEqual([
      ['acc-a', 1],
      ['acc-b', 1],
    ]);
    expect(await storedRows(reader, 'sandbox_order_events')).toEqual([['acc-a', 1]]);
    expect(await storedRows(reader, 'events')).toEqual([['acc-a', 1]]);
    // Each numbers on from its own rows, also when opened anew.
    await orders.close();
    const reopened = await openJournal(pool, { table: 'order_events' });
    expect(numbers(reopened.append([funded('acc-a', '5')]))).toEqual([['acc-a', 2]]);
    expect(numbers(sandboxOrders.append([funded('acc-a', '6')]))).toEqual([['acc-a', 2]]);
    await reopened.settle();
    expect(await reopened.count()).toBe(3);
  });

  it('a new journal on the same table numbers on after what is stored', async () => {
    const { pool, journal } = await setUp();
    journal.append([funded('acc-a', '1'), funded('acc-a', '2'), funded('acc-b', '3')]);
    await journal.close();

    const reopened = await openJournal(pool);
    expect(numbers(reopened.append([funded('acc-a', '4'), funded('acc-b', '5'), funded('acc-c', '6')]))).toEqual([
      ['acc-a', 3],
      ['acc-b', 2],
      ['acc-c', 1],
    ]);
    await reopened.whenDurable();
    expect((await eventsIn(reopened)).map((e) => e.seq)).toEqual([1, 2, 1, 3, 2, 1]);
  });
});

describe('PostgresEventJournal after a failed commit', () => {
  it('rejects the waiters, stores nothing of the group, refuses appends, and numbers after what is stored once recovered', async () => {
    const errors: unknown[] = [];
    const { url, journal } = await setUp({ onCommitError: (error) => errors.push(error) });
    const other = await connect(url);
    // Another writer takes acc-a's number 1 after the journal read its numbers: the group's commit must fail.
    await other.query("INSERT INTO events (account_id, seq, type, at, body) VALUES ('acc-a', 1, 'account.funded', 1, '{}')");
    journal.append([funded('acc-a', '1'), funded('acc-a', '2')]);
    journal.append([funded('acc-b', '3')]);

    await expect(journal.whenDurable()).rejects.toMatchObject({ message: JOURNAL_FAILED_MESSAGE, cause: expect.objectContaining({ message: expect.stringMatching(/duplicate key value violates unique constraint/) }) });
    expect(errors).toHaveLength(1);
    expect(journal.failed).toBe(true);
    expect(() => journal.append([funded('acc-c', '4')])).toThrow(new BrokerUnavailable(JOURNAL_FAILED_MESSAGE));
    expect(await storedRows(other)).toEqual([['acc-a', 1]]);

    await journal.recover();
    // Recovered but not resumed: the caller rebuilds its state from the journal first.
    expect(journal.failed).toBe(true);
    expect(() => journal.append([funded('acc-c', '4')])).toThrow(JOURNAL_FAILED_MESSAGE);
    expect(journal.whenDurable()).toBeNull();
    journal.resume();
    expect(journal.failed).toBe(false);

    // The failed group had claimed acc-a 1–2 and acc-b 1; only the other writer's acc-a 1 is stored.
    expect(numbers(journal.append([funded('acc-a', '5'), funded('acc-b', '6')]))).toEqual([
      ['acc-a', 2],
      ['acc-b', 1],
    ]);
    await journal.whenDurable();
    expect(errors).toHaveLength(1);
    expect(await storedRows(other)).toEqual([
      ['acc-a', 1],
      ['acc-a', 2],
      ['acc-b', 1],
    ]);
  });

  it('fails the commit in flight and the group behind it when its connection is terminated, then recovers', async () => {
    const errors: unknown[] = [];
    const { url, journal } = await setUp({ onCommitError: (error) => errors.push(error) });
    journal.append([funded('acc-a', '1')]);
    await journal.whenDurable();

    const lock = await lockEvents(url);
    journal.append([funded('acc-a', '2')]);
    const inFlight = journal.whenDurable();
    await lock.untilBlocked();
    journal.append([funded('acc-b', '3')]);
    const behind = journal.whenDurable();
    const [pid] = await lock.blocked();
    await lock.locker.query('SELECT pg_terminate_backend($1)', [pid]);

    await expect(inFlight).rejects.toMatchObject({ message: JOURNAL_FAILED_MESSAGE, cause: expect.objectContaining({ message: expect.stringMatching(/terminating connection due to administrator command/) }) });
    await expect(behind).rejects.toMatchObject({ message: JOURNAL_FAILED_MESSAGE, cause: expect.objectContaining({ message: expect.stringMatching(/terminating connection due to administrator command/) }) });
    expect(errors).toHaveLength(1);
    expect(journal.failed).toBe(true);
    expect(() => journal.append([funded('acc-a', '4')])).toThrow(JOURNAL_FAILED_MESSAGE);
    await lock.release();

    await journal.recover();
    journal.resume();
    expect(numbers(journal.append([funded('acc-a', '5'), funded('acc-b', '6')]))).toEqual([
      ['acc-a', 2],
      ['acc-b', 1],
    ]);
    await journal.whenDurable();
    expect(await storedRows(lock.locker)).toEqual([
      ['acc-a', 1],
      ['acc-a', 2],
      ['acc-b', 1],
    ]);
  });
});
