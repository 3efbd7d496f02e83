import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { SqliteAccountRepository } from '../../src/store/account-repository.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { SqliteUserRepository } from '../../src/store/user-repository.js';

const open: Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function world() {
  const db = openDatabase(':memory:');
  open.push(db);
  const clock = new ManualClock(5_000);
  return { clock, users: new SqliteUserRepository(db, clock), accounts: new SqliteAccountRepository(db, clock) };
}

describe('SqliteAccountRepository', () => {
  it('creates a paper account for a user and finds it by name and id', () => {
    const { users, accounts } = world();
    const user = users.create('alice');
    const account = accounts.create('main', user.id);
    expect(account).toEqual({ id: expect.any(String), name: 'main', userId: user.id, broker: 'paper', createdAt: 5_000 });
    expect(accounts.findByName(user.id, 'main')).toEqual(account);
    expect(accounts.findById(account.id)).toEqual(account);
    expect(accounts.findByName(user.id, 'other')).toBeUndefined();
  });

  it('keeps names per user: two users may each have "main", found by (user, name) and listed by name', () => {
    const { clock, users, accounts } = world();
    const alice = users.create('alice');
    const bob = users.create('bob');
    const alices = accounts.create('main', alice.id);
    clock.advance(1);
    const bobs = accounts.create('main', bob.id);
    expect(accounts.findByName(alice.id, 'main')).toEqual(alices);
    expect(accounts.findByName(bob.id, 'main')).toEqual(bobs);
    expect(accounts.listByName('main')).toEqual([alices, bobs]);
    expect(accounts.listByName('other')).toEqual([]);
  });

  it('records the broker it is bound to', () => {
    const { users, accounts } = world();
    const user = users.create('alice');
    expect(accounts.create('live', user.id, 'zerodha').broker).toBe('zerodha');
  });

  it("refuses a name the user has already and an unknown user", () => {
    const { users, accounts } = world();
    const user = users.create('alice');
    accounts.create('main', user.id);
    expect(() => accounts.create('main', user.id)).toThrow(/UNIQUE/);
    expect(() => accounts.create('orphan', 'no-such-user')).toThrow(/FOREIGN KEY/);
  });

  it('lists accounts oldest first, all or of one user', () => {
    const { clock, users, accounts } = world();
    const alice = users.create('alice');
    const bob = users.create('bob');
    const a1 = accounts.create('a1', alice.id);
    clock.advance(1);
    const b1 = accounts.create('b1', bob.id);
    clock.advance(1);
    const a2 = accounts.create('a2', alice.id);
    expect(accounts.list()).toEqual([a1, b1, a2]);
    expect(accounts.list(alice.id)).toEqual([a1, a2]);
  });
});
