// createPostgresStore (store/postgres-store.ts): the schema migrated at open, and only once; other processes' changes
// to API keys and settings reach the change signal through LISTEN/NOTIFY, also after the LISTEN connection was cut;
// a connection terminated under a call reaches the caller as StoreUnavailable. PostgreSQL pass only.
//
// These tests run in a database of their own rather than a schema of the run's database: NOTIFY channels and
// pg_stat_activity span a whole database, and other suites' gateways in the run's database would move the change
// signal and own LISTEN connections of their own.
import crypto from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { StoreUnavailable } from '../../src/domain/errors.js';
import { dec } from '../../src/domain/decimal.js';
import type { JournaledEvent } from '../../src/domain/events.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { POSTGRES_TYPES } from '../../src/store/postgres/pool.js';
import { createPostgresStore, type PostgresStore, type PostgresStoreOptions } from '../../src/store/postgres-store.js';
import { freshSchema, requirePostgresUrl } from '../postgres-database.js';

const DATABASE = `h5_store_${crypto.randomBytes(6).toString('hex')}`;
let databaseUrl: string;
/** A connection to the run's database, to watch and terminate this database's backends. */
let admin: pg.Client;

beforeAll(async () => {
  admin = new pg.Client({ connectionString: requirePostgresUrl(), types: POSTGRES_TYPES });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${DATABASE}`);
  const url = new URL(requirePostgresUrl());
  url.pathname = `/${DATABASE}`;
  databaseUrl = url.toString();
});

afterAll(async () => {
  await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  await admin.end();
});

const stores: PostgresStore[] = [];
const clients: pg.Client[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const client of clients.splice(0)) await client.end().catch(() => undefined);
});

async function openStore(url: string, options: Omit<PostgresStoreOptions, 'url'> = {}): Promise<PostgresStore> {
  const store = await createPostgresStore({ url, ...options });
  stores.push(store);
  return store;
}

/** A connection of its own to the schema of `url`, as another process would have. */
async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, types: POSTGRES_TYPES, application_name: 'ordergate-test' });
  await client.connect();
  clients.push(client);
  return client;
}

/** This database's backends of an application: `ordergate` (the pools) or `ordergate-listen`. */
async function backends(application: string): Promise<number[]> {
  const result = await admin.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = $1 AND application_name = $2 ORDER BY pid',
    [DATABASE, application],
  );
  return result.rows.map((row) => row.pid);
}

async function terminate(pids: readonly number[]): Promise<void> {
  for (const pid of pids) await admin.query('SELECT pg_terminate_backend($1)', [pid]);
}

/**
 * Calls `call` until it answers, as a client honouring Retry-After would (more briefly): meanwhile it may only fail
 * with StoreUnavailable, never with the driver's own error.
 */
async function untilAnswered<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof StoreUnavailable) || attempt === 40) throw error;
      await delay(50);
    }
  }
}

/** A user, an account and an API key made through `store`; the key's digest is `letter` 64 times, its prefix `letter`×4 + 0001. */
async function keyOf(store: PostgresStore, letter: string) {
  const user = await store.users.create(`user-${letter}`);
  const account = await store.accounts.create('main', user.id);
  const digest = letter.repeat(64);
  await store.apiKeys.insert({ accountId: account.id, prefix: `${letter.repeat(4)}0001`, digest, scopes: ['trade'] });
  return { account, digest };
}

describe('createPostgresStore', () => {
  it('migrates a fresh schema at open and answers ping', async () => {
    const url = await freshSchema(databaseUrl);
    const store = await openStore(url, { clock: new ManualClock(1_000) });
    expect(store.engine).toBe('postgres');
    await expect(store.ping()).resolves.toBeUndefined();

    const applied = await (await connect(url)).query('SELECT version, applied_at FROM schema_migrations ORDER BY version');
    expect(applied.rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, applied_at: 1_000 })));
    const tables = await (await connect(url)).query(
      "SELECT to_regclass('sandbox_events') IS NOT NULL AS sandbox, to_regclass('order_events') IS NOT NULL AS orders, " +
        "to_regclass('sandbox_order_events') IS NOT NULL AS sandbox_orders, to_regclass('broker_connections') IS NOT NULL AS brokers",
    );
    expect(tables.rows).toEqual([{ sandbox: true, orders: true, sandbox_orders: true, brokers: true }]);
  });

  it('a second store on the same schema migrates nothing and shares the rows and the journal', async () => {
    const url = await freshSchema(databaseUrl);
    const first = await openStore(url, { clock: new ManualClock(1_000) });
    const user = await first.users.create('alice');
    first.journal.append([{ type: 'account.funded', accountId: 'acc', amount: dec('100.05'), at: 1 }]);
    await first.journal.settle();

    const second = await openStore(url, { clock: new ManualClock(2_000) });
    const applied = await (await connect(url)).query('SELECT applied_at FROM schema_migrations');
    expect(applied.rows).toEqual(MIGRATIONS.map(() => ({ applied_at: 1_000 })));
    expect(await second.users.findByUsername('alice')).toEqual(user);
    const account = await second.accounts.create('main', user.id);
    expect(await first.accounts.findByName(user.id, 'main')).toEqual(account);
    const events: JournaledEvent[] = [];
    for await (const event of second.journal.readAll()) events.push(event);
    expect(events).toEqual([{ type: 'account.funded', accountId: 'acc', amount: dec('100.05'), at: 1, seq: 1 }]);
    expect(await second.sandboxJournal.count()).toBe(0);
    first.orderJournal.append([{ type: 'account.funded', accountId: 'acc', amount: dec('1'), at: 2 }]);
    await first.orderJournal.settle();
    expect([await second.orderJournal.count(), await second.sandboxOrderJournal.count()]).toEqual([1, 0]);
  });

  it('moves the change signal of every store when a key or a setting changes through another (NOTIFY)', async () => {
    const url = await freshSchema(databaseUrl);
    const gateway = await openStore(url);
    const cli = await openStore(url);
    const start = gateway.changes.version();

    const { account, digest } = await keyOf(cli, 'a');
    await vi.waitFor(() => expect(gateway.changes.version()).toBe(start + 1));
    expect((await gateway.apiKeys.findActiveByDigest(digest))?.accountId).toBe(account.id);

    expect(await cli.apiKeys.revokeByPrefix('aaaa0001')).toBe(1);
    await vi.waitFor(() => expect(gateway.changes.version()).toBe(start + 2));
    expect(await gateway.apiKeys.findActiveByDigest(digest)).toBeUndefined();

    await cli.settings.set('analyzer.main', 'on');
    await vi.waitFor(() => expect(gateway.changes.version()).toBe(start + 3));
    expect(await gateway.settings.get('analyzer.main')).toBe('on');
  });

  it('listens again after its LISTEN connection is terminated: the signal moves, and later NOTIFYs arrive', async () => {
    const url = await freshSchema(databaseUrl);
    const lost: Error[] = [];
    // Earlier tests' closed stores may still be leaving: the gateway's LISTEN connection is the one it adds.
    const earlier = await backends('ordergate-listen');
    const gateway = await openStore(url, { onConnectionError: (error) => lost.push(error) });
    const [listening, ...more] = (await backends('ordergate-listen')).filter((pid) => !earlier.includes(pid));
    expect(more).toEqual([]);
    const cli = await openStore(url);
    const start = gateway.changes.version();
    const { digest } = await keyOf(cli, 'b');
    await vi.waitFor(() => expect(gateway.changes.version()).toBe(start + 1));

    await terminate([listening!]);
    // Once when the connection is lost and once when it listens again: what was notified in between is unknown.
    await vi.waitFor(() => expect(gateway.changes.version()).toBe(start + 3));
    const now = await backends('ordergate-listen');
    expect(now).not.toContain(listening);
    // The gateway's new connection and the CLI's, beside whatever is still leaving.
    expect(now.filter((pid) => !earlier.includes(pid))).toHaveLength(2);
    expect(lost.map((error) => error.message)).toEqual(['terminating connection due to administrator command']);

    expect(await cli.apiKeys.revokeByPrefix('bbbb0001')).toBe(1);
    await vi.waitFor(() => expect(gateway.changes.version()).toBe(start + 4));
    expect(await gateway.apiKeys.findActiveByDigest(digest)).toBeUndefined();
  });

  it('answers StoreUnavailable for a call whose connection is terminated under it, then serves calls again', async () => {
    const url = await freshSchema(databaseUrl);
    const store = await openStore(url);
    const alice = await store.users.create('alice');
    const locker = await connect(url);
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');

    const outcome = store.users.findByUsername('alice').then(
      () => 'answered',
      (error: unknown) => error,
    );
    const blocked = async () =>
      (
        await locker.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE pg_backend_pid() = ANY (pg_blocking_pids(pid))')
      ).rows.map((row) => row.pid);
    await vi.waitFor(async () => expect(await blocked()).toHaveLength(1));
    await terminate(await blocked());

    const error = await outcome;
    expect(error).toBeInstanceOf(StoreUnavailable);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE', message: 'The database is unavailable; retry shortly' });
    await locker.query('COMMIT');
    // Kysely hands the connection back to the pool as it is: until its socket's close arrives (a few milliseconds
    // after the error), the next call may be lent the dead connection and fail the same way.
    expect(await untilAnswered(() => store.users.findByUsername('alice'))).toEqual(alice);
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('serves calls again once its idle connections were terminated; meanwhile a call answers or is StoreUnavailable', async () => {
    const url = await freshSchema(databaseUrl);
    const store = await openStore(url);
    const alice = await store.users.create('alice');
    // Several connections in the pool, all idle.
    await Promise.all(Array.from({ length: 5 }, () => store.users.findByUsername('alice')));
    const pooled = await backends('ordergate');
    expect(pooled.length).toBeGreaterThan(1);

    await terminate(pooled);
    const during = await Promise.all(
      Array.from({ length: 5 }, () =>
        store.users.findByUsername('alice').then(
          (user) => user,
          (error: unknown) => error,
        ),
      ),
    );
    for (const outcome of during) {
      if (outcome instanceof Error) expect(outcome).toBeInstanceOf(StoreUnavailable);
      else expect(outcome).toEqual(alice);
    }

    expect(await Promise.all(Array.from({ length: 5 }, () => untilAnswered(() => store.users.findByUsername('alice'))))).toEqual(
      Array(5).fill(alice),
    );
    await vi.waitFor(() => store.ping());
    const now = await backends('ordergate');
    expect(now.filter((pid) => pooled.includes(pid))).toEqual([]);
  });
});
