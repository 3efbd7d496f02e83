import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/decimal.js';
import { createSqliteStore, type SqliteStore } from '../../src/store/sqlite-store.js';
import { useTempDirs } from './temp-dir.js';

const tempDir = useTempDirs();
const open: SqliteStore[] = [];
afterEach(() => {
  for (const store of open.splice(0)) if (store.db.open) store.close();
});

function storeAt(file: string): SqliteStore {
  const store = createSqliteStore(file);
  open.push(store);
  return store;
}

describe('createSqliteStore', () => {
  it('bundles repositories and the journal over one migrated file', () => {
    const store = storeAt(path.join(tempDir(), 'data', 'ordergate.db'));
    const user = store.users.create('alice');
    const account = store.accounts.create('main', user.id);
    store.apiKeys.insert({ accountId: account.id, prefix: 'abcdef01', digest: 'd'.repeat(64), scopes: ['read'] });
    store.settings.set('k', 'v');
    store.journal.append([{ type: 'account.funded', accountId: account.id, amount: dec('100000'), at: 1 }]);
    expect([store.users.count(), store.accounts.list().length, store.apiKeys.count(), store.journal.count()]).toEqual([
      1, 1, 1, 1,
    ]);
  });

  it('lets a CLI and a running server share the file, each seeing the other’s writes', () => {
    const file = path.join(tempDir(), 'ordergate.db');
    const server = storeAt(file);
    const cli = storeAt(file);

    const user = cli.users.create('alice');
    const account = cli.accounts.create('main', user.id);
    expect(server.accounts.findByName(user.id, 'main')).toEqual(account);

    server.apiKeys.insert({ accountId: account.id, prefix: 'abcdef01', digest: 'e'.repeat(64), scopes: ['trade'] });
    expect(cli.apiKeys.findActiveByDigest('e'.repeat(64))?.accountId).toBe(account.id);
    expect(cli.apiKeys.revokeByPrefix('abcdef01')).toBe(1);
    expect(server.apiKeys.findActiveByDigest('e'.repeat(64))).toBeUndefined();
  });

  it('keeps everything across close and reopen', () => {
    const file = path.join(tempDir(), 'ordergate.db');
    const first = storeAt(file);
    const user = first.users.create('alice');
    first.journal.append([{ type: 'account.funded', accountId: 'acc', amount: dec('100.05'), at: 1 }]);
    first.close();

    const second = storeAt(file);
    expect(second.users.first()).toEqual(user);
    expect([...second.journal.readAll()]).toEqual([
      { type: 'account.funded', accountId: 'acc', amount: dec('100.05'), at: 1, seq: 1 },
    ]);
  });
});
