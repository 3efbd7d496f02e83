import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { SqlAccountRepository } from '../../src/store/account-repository.js';
import { SqlApiKeyRepository } from '../../src/store/api-key-repository.js';
import { Changes } from '../../src/store/change-signal.js';
import type { ApiKeyScope } from '../../src/store/store.js';
import { SqlUserRepository } from '../../src/store/user-repository.js';
import { useEngines } from './engines.js';

const engines = useEngines();

const digestOf = (n: number): string => n.toString(16).padStart(64, '0');

describe.each(engines)('SqlApiKeyRepository on $name', (engine) => {
  async function world() {
    const db = await engine.open();
    const clock = new ManualClock(7_000);
    const user = await new SqlUserRepository(db, clock).create('alice');
    const changes = new Changes(engine.name);
    const accounts = new SqlAccountRepository(db, clock, changes);
    const main = await accounts.create('main', user.id);
    const other = await accounts.create('other', user.id);
    return { db, clock, main, other, changes, keys: new SqlApiKeyRepository(db, clock, changes) };
  }

  it('stores a key and finds it while active by its digest', async () => {
    const { main, keys } = await world();
    const stored = await keys.insert({ accountId: main.id, prefix: 'abcd1234', digest: digestOf(1), scopes: ['read', 'trade'] });
    expect(stored).toEqual({
      id: expect.any(String),
      accountId: main.id,
      prefix: 'abcd1234',
      scopes: ['read', 'trade'],
      createdAt: 7_000,
      revokedAt: null,
      lastUsedAt: null,
    });
    expect(await keys.findActiveByDigest(digestOf(1))).toEqual({
      id: stored.id,
      accountId: main.id,
      prefix: 'abcd1234',
      digest: digestOf(1),
      scopes: ['read', 'trade'],
    });
    expect(await keys.findActiveByDigest(digestOf(2))).toBeUndefined();
    expect(await keys.findById(stored.id)).toEqual(stored);
    expect(await keys.findById('nope')).toBeUndefined();
  });

  it('stores scopes as a comma list', async () => {
    const { db, main, keys } = await world();
    await keys.insert({ accountId: main.id, prefix: 'p', digest: digestOf(1), scopes: ['read', 'trade', 'admin', 'read'] });
    expect(await db.selectFrom('api_keys').select('scopes').execute()).toEqual([{ scopes: 'read,trade,admin' }]);
  });

  it('refuses an unknown scope, a duplicate digest and an unknown account', async () => {
    const { main, keys } = await world();
    await expect(
      keys.insert({ accountId: main.id, prefix: 'p', digest: digestOf(1), scopes: ['root' as ApiKeyScope] }),
    ).rejects.toThrow(/scope/);
    await keys.insert({ accountId: main.id, prefix: 'p', digest: digestOf(1), scopes: ['read'] });
    await expect(keys.insert({ accountId: main.id, prefix: 'p', digest: digestOf(1), scopes: ['read'] })).rejects.toThrow(
      /unique/i,
    );
    await expect(keys.insert({ accountId: 'nope', prefix: 'p', digest: digestOf(2), scopes: ['read'] })).rejects.toThrow(
      /foreign key/i,
    );
    expect(await keys.count()).toBe(1);
  });

  it('revokes by prefix, optionally within one account, and stops finding revoked keys', async () => {
    const { clock, main, other, keys } = await world();
    await keys.insert({ accountId: main.id, prefix: 'aaaaaaaa', digest: digestOf(1), scopes: ['read'] });
    await keys.insert({ accountId: other.id, prefix: 'aaaaaaaa', digest: digestOf(2), scopes: ['read'] });
    await keys.insert({ accountId: main.id, prefix: 'bbbbbbbb', digest: digestOf(3), scopes: ['read'] });
    clock.set(9_000);

    expect(await keys.revokeByPrefix('aaaaaaaa', other.id)).toBe(1);
    expect(await keys.findActiveByDigest(digestOf(2))).toBeUndefined();
    expect(await keys.findActiveByDigest(digestOf(1))).toBeDefined();
    expect(await keys.revokeByPrefix('aaaaaaaa')).toBe(1);
    expect(await keys.revokeByPrefix('aaaaaaaa')).toBe(0);
    expect(await keys.findActiveByDigest(digestOf(1))).toBeUndefined();
    expect((await keys.listByAccount(main.id)).map((k) => [k.prefix, k.revokedAt])).toEqual([
      ['aaaaaaaa', 9_000],
      ['bbbbbbbb', null],
    ]);
    expect(await keys.count()).toBe(3);
    expect(await keys.countActive()).toBe(1);
  });

  it('revokes by id once', async () => {
    const { main, keys } = await world();
    const { id } = await keys.insert({ accountId: main.id, prefix: 'p', digest: digestOf(1), scopes: ['read'] });
    expect(await keys.revokeById(id)).toBe(true);
    expect(await keys.revokeById(id)).toBe(false);
    expect(await keys.findActiveByDigest(digestOf(1))).toBeUndefined();
  });

  it('replaces an active key by a new one of its account and scopes, and nothing else', async () => {
    const { clock, main, keys } = await world();
    const old = await keys.insert({ accountId: main.id, prefix: 'aaaaaaaa', digest: digestOf(1), scopes: ['read', 'trade'] });
    clock.set(8_000);
    const next = await keys.replace(old.id, { prefix: 'bbbbbbbb', digest: digestOf(2) });
    expect(next).toEqual({
      id: expect.any(String),
      accountId: main.id,
      prefix: 'bbbbbbbb',
      scopes: ['read', 'trade'],
      createdAt: 8_000,
      revokedAt: null,
      lastUsedAt: null,
    });
    expect((await keys.findById(old.id))?.revokedAt).toBe(8_000);
    expect(await keys.findActiveByDigest(digestOf(2))).toMatchObject({ id: next?.id });
    expect(await keys.replace(old.id, { prefix: 'cccccccc', digest: digestOf(3) })).toBeUndefined();
    expect(await keys.replace('nope', { prefix: 'cccccccc', digest: digestOf(3) })).toBeUndefined();
    expect(await keys.count()).toBe(2);
  });

  it('replaces in one commit: a new key that cannot be stored leaves the old one active', async () => {
    const { main, keys } = await world();
    const old = await keys.insert({ accountId: main.id, prefix: 'aaaaaaaa', digest: digestOf(1), scopes: ['read'] });
    await expect(keys.replace(old.id, { prefix: 'aaaaaaaa', digest: digestOf(1) })).rejects.toThrow(/unique/i);
    expect((await keys.findById(old.id))?.revokedAt).toBeNull();
    expect(await keys.countActive()).toBe(1);
  });

  it('lets only one of two concurrent replaces of a key through', async () => {
    const { main, keys } = await world();
    const old = await keys.insert({ accountId: main.id, prefix: 'aaaaaaaa', digest: digestOf(1), scopes: ['read'] });
    const results = await Promise.all([
      keys.replace(old.id, { prefix: 'bbbbbbbb', digest: digestOf(2) }),
      keys.replace(old.id, { prefix: 'cccccccc', digest: digestOf(3) }),
    ]);
    expect(results.filter((result) => result !== undefined)).toHaveLength(1);
    expect(await keys.countActive()).toBe(1);
  });

  it('moves the change version on every write that changes which keys are active, after its commit', async () => {
    const { main, changes, keys } = await world();
    const start = changes.version();
    const { id } = await keys.insert({ accountId: main.id, prefix: 'aaaaaaaa', digest: digestOf(1), scopes: ['read'] });
    expect(changes.version()).toBe(start + 1);
    const next = await keys.replace(id, { prefix: 'bbbbbbbb', digest: digestOf(2) });
    expect(changes.version()).toBe(start + 2);
    await keys.revokeById(next?.id ?? '');
    expect(changes.version()).toBe(start + 3);
    await keys.revokeByPrefix('aaaaaaaa');
    expect(changes.version()).toBe(start + 4);
    await keys.markUsed(id, 8_500);
    await keys.findActiveByDigest(digestOf(1));
    expect(changes.version()).toBe(start + 4);
  });

  it('records the last use', async () => {
    const { main, keys } = await world();
    const { id } = await keys.insert({ accountId: main.id, prefix: 'p', digest: digestOf(1), scopes: ['read'] });
    await keys.markUsed(id, 8_500);
    expect((await keys.listByAccount(main.id))[0]?.lastUsedAt).toBe(8_500);
  });

  it('never lists digests', async () => {
    const { main, keys } = await world();
    await keys.insert({ accountId: main.id, prefix: 'p', digest: digestOf(1), scopes: ['read'] });
    expect(Object.keys((await keys.listByAccount(main.id))[0] ?? {})).not.toContain('digest');
  });
});
