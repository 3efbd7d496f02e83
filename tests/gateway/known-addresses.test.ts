import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { KnownAddresses } from '../../src/gateway/known-addresses.js';
import { type SqliteStore, createSqliteStore } from '../../src/store/sqlite-store.js';

const HOUR = 3_600_000;

let store: SqliteStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function knownAddresses(clock: ManualClock): Promise<{ known: KnownAddresses; admin: string; bob: string }> {
  store = createSqliteStore(':memory:', { clock });
  const admin = (await store.users.create('admin')).id;
  const bob = (await store.users.create('bob')).id;
  return { known: new KnownAddresses(store.loginAddresses, clock, HOUR), admin, bob };
}

describe('known login addresses', () => {
  it('are per user and last the remembered time after the last successful login', async () => {
    const clock = new ManualClock(0);
    const { known, admin, bob } = await knownAddresses(clock);
    await known.remember(admin, '10.0.0.1');
    clock.advance(HOUR - 1);
    expect(await known.isKnown(admin, '10.0.0.1')).toBe(true);
    expect(await known.isKnown(bob, '10.0.0.1')).toBe(false);
    await known.remember(admin, '10.0.0.1');
    clock.advance(HOUR - 1);
    expect(await known.isKnown(admin, '10.0.0.1')).toBe(true);
    clock.advance(1);
    expect(await known.isKnown(admin, '10.0.0.1')).toBe(false);
  });

  it('keep the 32 most recently used addresses of a user', async () => {
    const clock = new ManualClock(0);
    const { known, admin, bob } = await knownAddresses(clock);
    await known.remember(bob, '10.0.0.2');
    for (let i = 1; i <= 32; i++) {
      await known.remember(admin, `10.0.0.${i}`);
      clock.advance(1);
    }
    await known.remember(admin, '10.0.0.1');
    clock.advance(1);
    await known.remember(admin, '10.0.0.33');
    expect(await known.isKnown(admin, '10.0.0.1')).toBe(true);
    expect(await known.isKnown(admin, '10.0.0.2')).toBe(false);
    expect(await known.isKnown(admin, '10.0.0.3')).toBe(true);
    expect(await known.isKnown(admin, '10.0.0.33')).toBe(true);
    expect(await known.isKnown(bob, '10.0.0.2')).toBe(true);
  });
});
