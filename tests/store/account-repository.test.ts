import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { SqlAccountRepository } from '../../src/store/account-repository.js';
import { SqlBrokerConnectionRepository } from '../../src/store/broker-connection-repository.js';
import { Changes } from '../../src/store/change-signal.js';
import { NoSuchBrokerConnection } from '../../src/store/store.js';
import { SqlUserRepository } from '../../src/store/user-repository.js';
import { useEngines } from './engines.js';

const engines = useEngines();

describe.each(engines)('SqlAccountRepository on $name', (engine) => {
  async function world() {
    const db = await engine.open();
    const clock = new ManualClock(5_000);
    const changes = new Changes(engine.name);
    return {
      clock,
      changes,
      users: new SqlUserRepository(db, clock),
      accounts: new SqlAccountRepository(db, clock, changes),
      connections: new SqlBrokerConnectionRepository(db, clock, changes),
    };
  }

  /** A connection of `userId` named `name`, its id `id`. */
  const connectionFields = (id: string, userId: string, name: string) => ({
    id,
    userId,
    name,
    kind: 'openalgo' as const,
    baseUrl: 'http://127.0.0.1:5000',
    sealedCredentials: 'v1.sealed',
    credentialsHint: '••••3f9a',
  });

  it('creates a paper account for a user and finds it by name and id', async () => {
    const { users, accounts } = await world();
    const user = await users.create('alice');
    const account = await accounts.create('main', user.id);
    expect(account).toEqual({ id: expect.any(String), name: 'main', userId: user.id, broker: 'paper', createdAt: 5_000 });
    expect(await accounts.findByName(user.id, 'main')).toEqual(account);
    expect(await accounts.findById(account.id)).toEqual(account);
    expect(await accounts.findByName(user.id, 'other')).toBeUndefined();
  });

  it('keeps names per user: two users may each have "main", found by (user, name) and listed by name', async () => {
    const { clock, users, accounts } = await world();
    const alice = await users.create('alice');
    const bob = await users.create('bob');
    const alices = await accounts.create('main', alice.id);
    clock.advance(1);
    const bobs = await accounts.create('main', bob.id);
    expect(await accounts.findByName(alice.id, 'main')).toEqual(alices);
    expect(await accounts.findByName(bob.id, 'main')).toEqual(bobs);
    expect(await accounts.listByName('main')).toEqual([alices, bobs]);
    expect(await accounts.listByName('other')).toEqual([]);
  });

  it("is created bound to a broker connection of its user, and never to another user's or an unknown one", async () => {
    const { users, accounts, connections } = await world();
    const alice = await users.create('alice');
    const bob = await users.create('bob');
    await connections.create(connectionFields('c-alice', alice.id, 'upstream'));
    await connections.create(connectionFields('c-bob', bob.id, 'upstream'));

    const live = await accounts.create('live', alice.id, 'c-alice');
    expect(live).toEqual({ id: expect.any(String), name: 'live', userId: alice.id, broker: 'c-alice', createdAt: 5_000 });
    expect(await accounts.findById(live.id)).toEqual(live);
    await expect(accounts.create('stolen', alice.id, 'c-bob')).rejects.toThrow(new NoSuchBrokerConnection('c-bob'));
    await expect(accounts.create('typo', alice.id, 'zerodha')).rejects.toBeInstanceOf(NoSuchBrokerConnection);
    expect((await accounts.list(alice.id)).map((a) => a.name)).toEqual(['live']);
  });

  it("binds an account to a connection of its user and back to paper; another user's connection changes nothing", async () => {
    const { users, accounts, connections, changes } = await world();
    const alice = await users.create('alice');
    const bob = await users.create('bob');
    await connections.create(connectionFields('c-alice', alice.id, 'upstream'));
    await connections.create(connectionFields('c-bob', bob.id, 'upstream'));
    const account = await accounts.create('main', alice.id);
    const before = changes.version();

    expect(await accounts.setBroker(account.id, 'c-alice')).toEqual({ ...account, broker: 'c-alice' });
    expect(await accounts.findById(account.id)).toEqual({ ...account, broker: 'c-alice' });
    // A binding moves the change signal: whoever caches which broker serves an account hears of it.
    expect(changes.version()).toBe(before + 1);

    await expect(accounts.setBroker(account.id, 'c-bob')).rejects.toThrow(
      new NoSuchBrokerConnection('c-bob'),
    );
    await expect(accounts.setBroker(account.id, 'no-such-connection')).rejects.toBeInstanceOf(NoSuchBrokerConnection);
    expect((await accounts.findById(account.id))?.broker).toBe('c-alice');

    expect(await accounts.setBroker(account.id, 'paper')).toEqual(account);
    expect(await accounts.findById(account.id)).toEqual(account);
  });

  it('binding an account that does not exist answers undefined', async () => {
    const { users, accounts, connections } = await world();
    const alice = await users.create('alice');
    await connections.create(connectionFields('c-alice', alice.id, 'upstream'));
    expect(await accounts.setBroker('no-such-account', 'paper')).toBeUndefined();
    expect(await accounts.setBroker('no-such-account', 'c-alice')).toBeUndefined();
  });

  it('refuses a name the user has already and an unknown user', async () => {
    const { users, accounts } = await world();
    const user = await users.create('alice');
    await accounts.create('main', user.id);
    await expect(accounts.create('main', user.id)).rejects.toThrow(/unique/i);
    await expect(accounts.create('orphan', 'no-such-user')).rejects.toThrow(/foreign key/i);
  });

  it('lists accounts oldest first, all or of one user', async () => {
    const { clock, users, accounts } = await world();
    const alice = await users.create('alice');
    const bob = await users.create('bob');
    const a1 = await accounts.create('a1', alice.id);
    clock.advance(1);
    const b1 = await accounts.create('b1', bob.id);
    clock.advance(1);
    const a2 = await accounts.create('a2', alice.id);
    expect(await accounts.list()).toEqual([a1, b1, a2]);
    expect(await accounts.list(alice.id)).toEqual([a1, a2]);
  });

  it('lists accounts of equal creation time in creation order', async () => {
    const { users, accounts } = await world();
    const alice = await users.create('alice');
    const zed = await accounts.create('zed', alice.id);
    const amy = await accounts.create('amy', alice.id);
    expect(await accounts.list()).toEqual([zed, amy]);
    expect(await accounts.list(alice.id)).toEqual([zed, amy]);
  });
});
