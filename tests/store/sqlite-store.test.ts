import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/decimal.js';
import type { JournaledEvent } from '../../src/domain/events.js';
import { createSqliteStore, type SqliteStore } from '../../src/store/sqlite-store.js';
import { useTempDirs } from './temp-dir.js';

const tempDir = useTempDirs();
const open: SqliteStore[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) if (store.db.open) await store.close();
});

function storeAt(file: string): SqliteStore {
  const store = createSqliteStore(file);
  open.push(store);
  return store;
}

async function journalOf(store: SqliteStore): Promise<JournaledEvent[]> {
  const events: JournaledEvent[] = [];
  for await (const event of store.journal.readAll()) events.push(event);
  return events;
}

describe('createSqliteStore', () => {
  it('bundles repositories and the journal over one migrated file', async () => {
    const store = storeAt(path.join(tempDir(), 'data', 'ordergate.db'));
    const user = await store.users.create('alice');
    const account = await store.accounts.create('main', user.id);
    await store.apiKeys.insert({ accountId: account.id, prefix: 'abcdef01', digest: 'd'.repeat(64), scopes: ['read'] });
    await store.settings.set('k', 'v');
    store.journal.append([{ type: 'account.funded', accountId: account.id, amount: dec('100000'), at: 1 }]);
    expect([
      await store.users.count(),
      (await store.accounts.list()).length,
      await store.apiKeys.count(),
      await store.journal.count(),
    ]).toEqual([1, 1, 1, 1]);
    expect(store.engine).toBe('sqlite');
    await expect(store.ping()).resolves.toBeUndefined();
  });

  it('lets a CLI and a running server share the file, each seeing the other’s writes', async () => {
    const file = path.join(tempDir(), 'ordergate.db');
    const server = storeAt(file);
    const cli = storeAt(file);

    const user = await cli.users.create('alice');
    const account = await cli.accounts.create('main', user.id);
    expect(await server.accounts.findByName(user.id, 'main')).toEqual(account);

    await server.apiKeys.insert({ accountId: account.id, prefix: 'abcdef01', digest: 'e'.repeat(64), scopes: ['trade'] });
    expect((await cli.apiKeys.findActiveByDigest('e'.repeat(64)))?.accountId).toBe(account.id);
    const before = server.changes.version();
    expect(await cli.apiKeys.revokeByPrefix('abcdef01')).toBe(1);
    expect(await server.apiKeys.findActiveByDigest('e'.repeat(64))).toBeUndefined();
    // The server reads the file's change counter at most once per turn: the CLI's revocation shows from the next one.
    await nextTurn();
    expect(server.changes.version()).not.toBe(before);
  });

  it('keeps everything across close and reopen', async () => {
    const file = path.join(tempDir(), 'ordergate.db');
    const first = storeAt(file);
    const user = await first.users.create('alice');
    first.journal.append([{ type: 'account.funded', accountId: 'acc', amount: dec('100.05'), at: 1 }]);
    await first.close();

    const second = storeAt(file);
    expect(await second.users.first()).toEqual(user);
    expect(await journalOf(second)).toEqual([{ type: 'account.funded', accountId: 'acc', amount: dec('100.05'), at: 1, seq: 1 }]);
  });

  it('keeps the sandbox journal apart from the live one', async () => {
    const dir = tempDir();
    const store = createSqliteStore(path.join(dir, 'ordergate.db'), { sandboxFile: path.join(dir, 'analyzer.db') });
    open.push(store);
    store.sandboxJournal.append([{ type: 'account.funded', accountId: 'acc', amount: dec('1'), at: 1 }]);
    expect(store.journal.append([{ type: 'account.funded', accountId: 'acc', amount: dec('2'), at: 2 }])[0]?.seq).toBe(1);
    expect([await store.journal.count(), await store.sandboxJournal.count()]).toEqual([1, 1]);
    await store.close();

    const reopened = createSqliteStore(path.join(dir, 'ordergate.db'), { sandboxFile: path.join(dir, 'analyzer.db') });
    open.push(reopened);
    expect(reopened.sandboxJournal.append([{ type: 'account.funded', accountId: 'acc', amount: dec('3'), at: 3 }])[0]?.seq).toBe(2);
  });

  it("keeps the core's order journals beside the exchange's: live in journal.db, sandbox in analyzer.db, committed with them", async () => {
    const dir = tempDir();
    const options = { sandboxFile: path.join(dir, 'analyzer.db'), journal: { commit: 'group' as const } };
    const store = createSqliteStore(path.join(dir, 'ordergate.db'), options);
    open.push(store);
    const funded = (amount: string) => ({ type: 'account.funded' as const, accountId: 'acc', amount: dec(amount), at: 1 });
    store.journal.append([funded('1')]);
    expect(store.orderJournal.append([funded('2'), funded('3')]).map((e) => e.seq)).toEqual([1, 2]);
    expect(store.sandboxOrderJournal.append([funded('4')]).map((e) => e.seq)).toEqual([1]);
    // One commit per file: the live pair's rows share one, the sandbox's its own.
    expect(store.orderJournal.whenDurable()).toBe(store.journal.whenDurable());
    await store.orderJournal.whenDurable();
    await store.sandboxOrderJournal.whenDurable();
    expect([store.journal.stats.commits, store.orderJournal.stats.commits, store.sandboxOrderJournal.stats.commits]).toEqual([1, 1, 1]);
    await store.close();

    const reopened = createSqliteStore(path.join(dir, 'ordergate.db'), options);
    open.push(reopened);
    expect([
      await reopened.journal.count(),
      await reopened.orderJournal.count(),
      await reopened.sandboxJournal.count(),
      await reopened.sandboxOrderJournal.count(),
    ]).toEqual([1, 2, 0, 1]);
    expect(reopened.orderJournal.append([funded('5')])[0]?.seq).toBe(3);
    await reopened.orderJournal.settle();
    const journalDb = new BetterSqlite3(reopened.journalFile, { readonly: true });
    try {
      expect(journalDb.prepare('SELECT COUNT(*) AS rows FROM order_events').get()).toEqual({ rows: 3 });
    } finally {
      journalDb.close();
    }
  });
});
