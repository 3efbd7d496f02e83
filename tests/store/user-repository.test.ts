import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { SqlUserRepository } from '../../src/store/user-repository.js';
import { useEngines } from './engines.js';

const engines = useEngines();

describe.each(engines)('SqlUserRepository on $name', (engine) => {
  async function repository(clock = new ManualClock(1_000)): Promise<SqlUserRepository> {
    return new SqlUserRepository(await engine.open(), clock);
  }

  it('creates a user and finds it by username and by id', async () => {
    const users = await repository();
    const created = await users.create('alice', 'scrypt$hash');
    expect(created).toEqual({ id: expect.any(String), username: 'alice', passwordHash: 'scrypt$hash', createdAt: 1_000 });
    expect(await users.findByUsername('alice')).toEqual(created);
    expect(await users.findById(created.id)).toEqual(created);
    expect(await users.findByUsername('bob')).toBeUndefined();
  });

  it('creates a user without a password', async () => {
    expect((await (await repository()).create('cli-only')).passwordHash).toBeNull();
  });

  it('refuses a second user with the same username', async () => {
    const users = await repository();
    await users.create('alice');
    await expect(users.create('alice')).rejects.toThrow(/unique/i);
  });

  it('names the earliest user as the first one', async () => {
    const clock = new ManualClock(1_000);
    const users = await repository(clock);
    expect(await users.first()).toBeUndefined();
    const alice = await users.create('alice');
    clock.advance(1);
    await users.create('bob');
    expect(await users.first()).toEqual(alice);
    expect(await users.count()).toBe(2);
  });

  it('lists users oldest first, in creation order among equal times', async () => {
    const clock = new ManualClock(1_000);
    const users = await repository(clock);
    const zed = await users.create('zed');
    const amy = await users.create('amy');
    clock.advance(1);
    const bob = await users.create('bob');
    expect(await users.list()).toEqual([zed, amy, bob]);
    expect(await users.first()).toEqual(zed);
  });

  it('sets and clears a password hash', async () => {
    const users = await repository();
    const { id } = await users.create('alice');
    await users.setPasswordHash(id, 'new-hash');
    expect((await users.findById(id))?.passwordHash).toBe('new-hash');
    await users.setPasswordHash(id, null);
    expect((await users.findById(id))?.passwordHash).toBeNull();
  });
});
