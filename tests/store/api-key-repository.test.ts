import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { SqliteAccountRepository } from '../../src/store/account-repository.js';
import { SqliteApiKeyRepository } from '../../src/store/api-key-repository.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import type { ApiKeyScope } from '../../src/store/store.js';
import { SqliteUserRepository } from '../../src/store/user-repository.js';

const open: Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function world() {
  const db = openDatabase(':memory:');
  open.push(db);
  const clock = new ManualClock(7_000);
  const user = new SqliteUserRepository(db, clock).create('alice');
  const accounts = new SqliteAccountRepository(db, clock);
  const main = accounts.create('main', user.id);
  const other = accounts.create('other', user.id);
  return { db, clock, main, other, keys: new SqliteApiKeyRepository(db, clock) };
}

const digestOf = (n: number): string => n.toString(16).padStart(64, '0');

describe('SqliteApiKeyRepository', () => {
  it('stores a key and finds it while active by its digest', () => {
    const { main, keys } = world();
    const stored = keys.insert({ accountId: main.id, prefix: 'abcd1234', digest: digestOf(1), scopes: ['read', 'trade'] });
    expect(stored).toEqual({
      id: expect.any(String),
      accountId: main.id,
      prefix: 'abcd1234',
      scopes: ['read', 'trade'],
      createdAt: 7_000,
      revokedAt: null,
      lastUsedAt: null,
    });
    expect(keys.findActiveByDigest(digestOf(1))).toEqual({
      id: stored.id,
      accountId: main.id,
      prefix: 'abcd1234',
      digest: digestOf(1),
      scopes: ['read', 'trade'],
    });
    expect(keys.findActiveByDigest(digestOf(2))).toBeUndefined();
  });

  it('stores scopes as a comma list', () => {
    const { db, main, keys } = world();
    keys.insert({ accountId: main.id, prefix: 'p', digest: digestOf(1), scopes: ['read', 'trade', 'admin', 'read'] });
    expect(db.prepare('SELECT scopes FROM api_keys').pluck().get()).toBe('read,trade,admin');
  });

  it('refuses an unknown scope, a duplicate digest and an unknown account', () => {
    const { main, keys } = world();
    expect(() =>
      keys.insert({ accountId: main.id, prefix: 'p', digest: digestOf(1), scopes: ['root' as ApiKeyScope] }),
    ).toThrow(/scope/);
    keys.insert({ accountId: main.id, prefix: 'p', digest: digestOf(1), scopes: ['read'] });
    expect(() => keys.insert({ accountId: main.id, prefix: 'p', digest: digestOf(1), scopes: ['read'] })).toThrow(
      /UNIQUE/,
    );
    expect(() => keys.insert({ accountId: 'nope', prefix: 'p', digest: digestOf(2), scopes: ['read'] })).toThrow(
      /FOREIGN KEY/,
    );
  });

  it('revokes by prefix, optionally within one account, and stops finding revoked keys', () => {
    const { clock, main, other, keys } = world();
    keys.insert({ accountId: main.id, prefix: 'aaaaaaaa', digest: digestOf(1), scopes: ['read'] });
    keys.insert({ accountId: other.id, prefix: 'aaaaaaaa', digest: digestOf(2), scopes: ['read'] });
    keys.insert({ accountId: main.id, prefix: 'bbbbbbbb', digest: digestOf(3), scopes: ['read'] });
    clock.set(9_000);

    expect(keys.revokeByPrefix('aaaaaaaa', other.id)).toBe(1);
    expect(keys.findActiveByDigest(digestOf(2))).toBeUndefined();
    expect(keys.findActiveByDigest(digestOf(1))).toBeDefined();
    expect(keys.revokeByPrefix('aaaaaaaa')).toBe(1);
    expect(keys.revokeByPrefix('aaaaaaaa')).toBe(0);
    expect(keys.findActiveByDigest(digestOf(1))).toBeUndefined();
    expect(keys.listByAccount(main.id).map((k) => [k.prefix, k.revokedAt])).toEqual([
      ['aaaaaaaa', 9_000],
      ['bbbbbbbb', null],
    ]);
    expect(keys.count()).toBe(3);
    expect(keys.countActive()).toBe(1);
  });

  it('revokes by id once', () => {
    const { main, keys } = world();
    const { id } = keys.insert({ accountId: main.id, prefix: 'p', digest: digestOf(1), scopes: ['read'] });
    expect(keys.revokeById(id)).toBe(true);
    expect(keys.revokeById(id)).toBe(false);
    expect(keys.findActiveByDigest(digestOf(1))).toBeUndefined();
  });

  it('records the last use', () => {
    const { main, keys } = world();
    const { id } = keys.insert({ accountId: main.id, prefix: 'p', digest: digestOf(1), scopes: ['read'] });
    keys.markUsed(id, 8_500);
    expect(keys.listByAccount(main.id)[0]?.lastUsedAt).toBe(8_500);
  });

  it('never lists digests', () => {
    const { main, keys } = world();
    keys.insert({ accountId: main.id, prefix: 'p', digest: digestOf(1), scopes: ['read'] });
    expect(Object.keys(keys.listByAccount(main.id)[0] ?? {})).not.toContain('digest');
  });
});
