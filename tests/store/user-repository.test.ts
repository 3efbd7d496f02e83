import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { SqliteUserRepository } from '../../src/store/user-repository.js';

const open: Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function repository(clock = new ManualClock(1_000)): SqliteUserRepository {
  const db = openDatabase(':memory:');
  open.push(db);
  return new SqliteUserRepository(db, clock);
}

describe('SqliteUserRepository', () => {
  it('creates a user and finds it by username and by id', () => {
    const users = repository();
    const created = users.create('alice', 'scrypt$hash');
    expect(created).toEqual({ id: expect.any(String), username: 'alice', passwordHash: 'scrypt$hash', createdAt: 1_000 });
    expect(users.findByUsername('alice')).toEqual(created);
    expect(users.findById(created.id)).toEqual(created);
    expect(users.findByUsername('bob')).toBeUndefined();
  });

  it('creates a user without a password', () => {
    expect(repository().create('cli-only').passwordHash).toBeNull();
  });

  it('refuses a second user with the same username', () => {
    const users = repository();
    users.create('alice');
    expect(() => users.create('alice')).toThrow(/UNIQUE/);
  });

  it('names the earliest user as the first one', () => {
    const clock = new ManualClock(1_000);
    const users = repository(clock);
    expect(users.first()).toBeUndefined();
    const alice = users.create('alice');
    clock.advance(1);
    users.create('bob');
    expect(users.first()).toEqual(alice);
    expect(users.count()).toBe(2);
  });

  it('sets and clears a password hash', () => {
    const users = repository();
    const { id } = users.create('alice');
    users.setPasswordHash(id, 'new-hash');
    expect(users.findById(id)?.passwordHash).toBe('new-hash');
    users.setPasswordHash(id, null);
    expect(users.findById(id)?.passwordHash).toBeNull();
  });
});
