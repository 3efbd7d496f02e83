import { describe, expect, it } from 'vitest';
import { SqlLoginAddressRepository } from '../../src/store/login-address-repository.js';
import { SqlUserRepository } from '../../src/store/user-repository.js';
import { useEngines } from './engines.js';

const engines = useEngines();

describe.each(engines)('SqlLoginAddressRepository on $name', (engine) => {
  async function world() {
    const db = await engine.open();
    const users = new SqlUserRepository(db);
    return { alice: await users.create('alice'), bob: await users.create('bob'), addresses: new SqlLoginAddressRepository(db) };
  }

  it("remembers each address's last successful login, per user", async () => {
    const { alice, bob, addresses } = await world();
    await addresses.remember(alice.id, '10.0.0.1', 1_000, 5);
    await addresses.remember(alice.id, '10.0.0.1', 2_000, 5);
    expect(await addresses.lastLoginAt(alice.id, '10.0.0.1')).toBe(2_000);
    expect(await addresses.lastLoginAt(bob.id, '10.0.0.1')).toBeUndefined();
    expect(await addresses.lastLoginAt(alice.id, '10.0.0.2')).toBeUndefined();
  });

  it("keeps only the user's most recent addresses, leaving other users' alone", async () => {
    const { alice, bob, addresses } = await world();
    await addresses.remember(bob.id, '10.0.0.9', 500, 1);
    await addresses.remember(alice.id, '10.0.0.1', 1_000, 2);
    await addresses.remember(alice.id, '10.0.0.2', 2_000, 2);
    await addresses.remember(alice.id, '10.0.0.1', 3_000, 2);
    await addresses.remember(alice.id, '10.0.0.3', 4_000, 2);
    expect(await addresses.lastLoginAt(alice.id, '10.0.0.1')).toBe(3_000);
    expect(await addresses.lastLoginAt(alice.id, '10.0.0.2')).toBeUndefined();
    expect(await addresses.lastLoginAt(alice.id, '10.0.0.3')).toBe(4_000);
    expect(await addresses.lastLoginAt(bob.id, '10.0.0.9')).toBe(500);
  });
});
