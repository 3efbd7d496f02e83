// SqlBrokerConnectionRepository (store/broker-connection-repository.ts): a user's connections to OpenAlgo-compatible
// servers, their names and URLs checked, sealed credentials kept as given, and no removal while an account is bound.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { SqlAccountRepository } from '../../src/store/account-repository.js';
import { SqlBrokerConnectionRepository } from '../../src/store/broker-connection-repository.js';
import { Changes } from '../../src/store/change-signal.js';
import { BrokerConnectionInUse, InvalidBrokerConnection, type NewBrokerConnection } from '../../src/store/store.js';
import { SqlUserRepository } from '../../src/store/user-repository.js';
import { useEngines } from './engines.js';

const engines = useEngines();

describe.each(engines)('SqlBrokerConnectionRepository on $name', (engine) => {
  async function world() {
    const db = await engine.open();
    const clock = new ManualClock(9_000);
    const changes = new Changes(engine.name);
    const users = new SqlUserRepository(db, clock);
    return {
      clock,
      changes,
      alice: await users.create('alice'),
      bob: await users.create('bob'),
      accounts: new SqlAccountRepository(db, clock, changes),
      connections: new SqlBrokerConnectionRepository(db, clock, changes),
    };
  }

  const fields = (id: string, userId: string, name: string, baseUrl = 'http://127.0.0.1:5000'): NewBrokerConnection => ({
    id,
    userId,
    name,
    kind: 'openalgo',
    baseUrl,
    sealedCredentials: `v1.iv.tag.${id}`,
    credentialsHint: '••••3f9a',
  });

  it('stores a connection with its sealed credentials and hint, and finds it by id and by (user, name)', async () => {
    const { alice, connections } = await world();
    const created = await connections.create(fields('c-1', alice.id, 'home'));
    expect(created).toEqual({
      id: 'c-1',
      userId: alice.id,
      name: 'home',
      kind: 'openalgo',
      baseUrl: 'http://127.0.0.1:5000',
      sealedCredentials: 'v1.iv.tag.c-1',
      credentialsHint: '••••3f9a',
      createdAt: 9_000,
    });
    expect(await connections.get('c-1')).toEqual(created);
    expect(await connections.findByName(alice.id, 'home')).toEqual(created);
    expect(await connections.get('c-2')).toBeUndefined();
    expect(await connections.findByName(alice.id, 'away')).toBeUndefined();
  });

  it('keeps names per user: two users may each name one "home"; one user cannot name two so', async () => {
    const { alice, bob, connections } = await world();
    const alices = await connections.create(fields('c-a', alice.id, 'home'));
    const bobs = await connections.create(fields('c-b', bob.id, 'home'));
    expect(await connections.findByName(alice.id, 'home')).toEqual(alices);
    expect(await connections.findByName(bob.id, 'home')).toEqual(bobs);
    await expect(connections.create(fields('c-c', alice.id, 'home'))).rejects.toThrow(/unique/i);
    await expect(connections.create(fields('c-d', 'no-such-user', 'home'))).rejects.toThrow(/foreign key/i);
  });

  it('lists a user\'s connections, and everyone\'s, oldest first (equal times in creation order)', async () => {
    const { clock, alice, bob, connections } = await world();
    const a1 = await connections.create(fields('c-1', alice.id, 'zed'));
    const a2 = await connections.create(fields('c-2', alice.id, 'amy'));
    clock.advance(1);
    const b1 = await connections.create(fields('c-3', bob.id, 'home'));
    clock.advance(1);
    const a3 = await connections.create(fields('c-4', alice.id, 'away'));
    expect(await connections.listForUser(alice.id)).toEqual([a1, a2, a3]);
    expect(await connections.listForUser(bob.id)).toEqual([b1]);
    expect(await connections.list()).toEqual([a1, a2, b1, a3]);
  });

  it('stores the base URL as origin and path without a trailing slash', async () => {
    const { alice, connections } = await world();
    expect((await connections.create(fields('c-1', alice.id, 'a', 'HTTP://LocalHost:5000/'))).baseUrl).toBe('http://localhost:5000');
    expect((await connections.create(fields('c-2', alice.id, 'b', 'https://example.com/openalgo//'))).baseUrl).toBe(
      'https://example.com/openalgo',
    );
    expect((await connections.get('c-2'))?.baseUrl).toBe('https://example.com/openalgo');
  });

  it('refuses a name or URL that breaks its rule, storing nothing', async () => {
    const { alice, connections } = await world();
    const refused = async (connection: NewBrokerConnection) => {
      const error = await connections.create(connection).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(InvalidBrokerConnection);
      return (error as InvalidBrokerConnection).message;
    };
    expect(await refused(fields('c-1', alice.id, '../etc'))).toBe('name: 1–64 letters, digits, "_", "." or "-", starting with a letter or digit');
    expect(await refused(fields('c-2', alice.id, 'Paper'))).toBe('name: "paper" names the built-in paper exchange');
    expect(await refused(fields('c-3', alice.id, '0e7c5f7a-1b2c-4d5e-8f90-a1b2c3d4e5f6'))).toBe(
      'name: a connection name cannot have the shape of a connection id (a UUID)',
    );
    expect(await refused(fields('c-4', alice.id, 'ftp', 'ftp://example.com'))).toBe(
      'baseUrl: an http:// or https:// URL of at most 2048 characters, e.g. http://127.0.0.1:5000',
    );
    expect(await refused(fields('c-5', alice.id, 'word', 'localhost:5000'))).toBe(
      'baseUrl: an http:// or https:// URL of at most 2048 characters, e.g. http://127.0.0.1:5000',
    );
    expect(await refused(fields('c-6', alice.id, 'userinfo', 'http://me:secret@example.com'))).toBe(
      'baseUrl: no user name or password in the URL: the API key is given apart, and stored sealed',
    );
    expect(await refused(fields('c-7', alice.id, 'query', 'http://example.com/?apikey=x'))).toBe(
      "baseUrl: no query string or fragment: the server's base URL only",
    );
    expect(await refused({ ...fields('c-8', alice.id, 'kind'), kind: 'zerodha' as 'openalgo' })).toBe('kind: one of openalgo');
    expect(await connections.listForUser(alice.id)).toEqual([]);
  });

  it('refuses to remove a connection while accounts are bound to it, naming them; removes it once they are not', async () => {
    const { clock, alice, accounts, connections, changes } = await world();
    const connection = await connections.create(fields('c-1', alice.id, 'home'));
    const live = await accounts.create('live', alice.id, 'c-1');
    clock.advance(1);
    const swing = await accounts.create('swing', alice.id);
    await accounts.setBroker(swing.id, 'c-1');

    await expect(connections.remove('c-1')).rejects.toThrow(
      new BrokerConnectionInUse('home', ['live', 'swing']),
    );
    await expect(connections.remove('c-1')).rejects.toThrow(
      'Broker connection "home" serves 2 accounts (live, swing): bind them to another broker first',
    );
    expect(await connections.get('c-1')).toEqual(connection);

    await accounts.setBroker(live.id, 'paper');
    await expect(connections.remove('c-1')).rejects.toThrow('Broker connection "home" serves 1 account (swing)');
    await accounts.setBroker(swing.id, 'paper');
    const before = changes.version();
    expect(await connections.remove('c-1')).toBe(true);
    expect(changes.version()).toBe(before + 1);
    expect(await connections.get('c-1')).toBeUndefined();
    expect(await connections.remove('c-1')).toBe(false);
    // Gone, it can serve no account any more.
    await expect(accounts.setBroker(live.id, 'c-1')).rejects.toThrow('No broker connection "c-1" of the account\'s user');
  });
});
