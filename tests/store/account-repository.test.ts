import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { SqlAccountRepository } from '../../src/store/account-repository.js';
import { SqlUserRepository } from '../../src/store/user-repository.js';
import { useEngines } from './engines.js';

const engines = useEngines();

describe.each(engines)('SqlAccountRepository on $name', (engine) => {
  async function world() {
    const db = await engine.open();
    const clock = new ManualClock(5_000);
    return { clock, users: new SqlUserRepository(db, clock), accounts: new SqlAccountRepository(db, clock) };
  }

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

  it('records the broker it is bound to', async () => {
    const { users, accounts } = await world();
    const user = await users.create('alice');
    expect((await accounts.create('live', user.id, 'zerodha')).broker).toBe('zerodha');
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
