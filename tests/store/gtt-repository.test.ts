// SqlGttRepository (store/gtt-repository.ts): GTTs kept with exact prices, listed active-only and per mode (live or
// sandbox), and every change of state conditional on the GTT being active, so that of racing firings, cancels and
// expiries exactly one wins.
import { describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/decimal.js';
import type { Gtt } from '../../src/domain/gtt.js';
import { SqlGttRepository } from '../../src/store/gtt-repository.js';
import { useEngines } from './engines.js';

const engines = useEngines();
/** A `staleBefore` every placement began before. */
const ANY_TIME = Number.MAX_SAFE_INTEGER;

function gtt(id: string, overrides: Partial<Gtt> = {}): Gtt {
  return {
    id,
    accountId: 'acc-1',
    mode: 'live',
    strategy: 'swing',
    triggerType: 'two-leg',
    symbol: 'SBIN',
    exchange: 'NSE',
    side: 'SELL',
    quantity: dec('10'),
    product: 'CNC',
    orderType: 'LIMIT',
    legs: [
      { direction: 'below', triggerPrice: dec('780.05'), price: dec('779.95') },
      { direction: 'above', triggerPrice: dec('820.1'), price: dec('820.15') },
    ],
    lastPrice: dec('800.35'),
    status: 'active',
    createdAt: 1_000,
    updatedAt: 1_000,
    expiresAt: 9_000,
    ...overrides,
  };
}

describe.each(engines)('SqlGttRepository on $name', (engine) => {
  const repository = async () => new SqlGttRepository(await engine.open());

  it('keeps a GTT exactly as placed and finds it among the account’s active ones', async () => {
    const gtts = await repository();
    await gtts.insert(gtt('g-1'));
    expect(await gtts.findActive('acc-1', 'live', 'g-1')).toEqual(gtt('g-1'));
    expect(await gtts.findActive('acc-2', 'live', 'g-1')).toBeUndefined();
  });

  it('lists an account’s active GTTs newest first, and every account’s oldest first', async () => {
    const gtts = await repository();
    await gtts.insert(gtt('g-1'));
    await gtts.insert(gtt('g-2', { createdAt: 2_000 }));
    await gtts.insert(gtt('g-3', { accountId: 'acc-2', createdAt: 1_500 }));
    await gtts.insert(gtt('g-4', { createdAt: 2_000 }));
    expect((await gtts.listActive('acc-1', 'live')).map((g) => g.id)).toEqual(['g-4', 'g-2', 'g-1']);
    expect((await gtts.listAllActive()).map((g) => g.id)).toEqual(['g-1', 'g-3', 'g-2', 'g-4']);
  });

  it('a claim wins once: the GTT is triggered by its leg, then neither claimed, cancelled, replaced nor expired again', async () => {
    const gtts = await repository();
    await gtts.insert(gtt('g-1'));
    expect(await gtts.claim('g-1', 1, 5_000)).toBe(true);
    expect(await gtts.claim('g-1', 0, 5_001)).toBe(false);
    expect(await gtts.cancel('acc-1', 'live', 'g-1', 5_002)).toBeUndefined();
    expect(await gtts.replace('g-1', 'live', gtt('g-1'), dec(1), 5_003)).toBeUndefined();
    expect(await gtts.expire('g-1', 5_004)).toBe(false);
    expect(await gtts.listActive('acc-1', 'live')).toEqual([]);
    expect(await gtts.listUnplaced(ANY_TIME)).toEqual([{ ...gtt('g-1'), status: 'triggered', firedLeg: 1, firedAt: 5_000, updatedAt: 5_000 }]);
  });

  it('an unplaced GTT is listed and taken for another try only once its last try is old enough, by one evaluator', async () => {
    const gtts = await repository();
    await gtts.insert(gtt('g-1'));
    await gtts.claim('g-1', 0, 5_000);
    expect(await gtts.listUnplaced(4_999)).toEqual([]);
    expect(await gtts.claimRetry('g-1', 6_000, 4_999)).toBe(false);
    expect((await gtts.listUnplaced(5_000)).map((g) => g.id)).toEqual(['g-1']);
    expect(await gtts.claimRetry('g-1', 6_000, 5_000)).toBe(true);
    expect(await gtts.claimRetry('g-1', 6_000, 5_000)).toBe(false);
    expect(await gtts.listUnplaced(5_999)).toEqual([]);
    await gtts.recordOutcome('g-1', { orderId: '26112500000001' });
    expect(await gtts.claimRetry('g-1', 99_000, 98_000)).toBe(false);
  });

  it('records the child order of a triggered GTT, after which it is no longer unplaced', async () => {
    const gtts = await repository();
    await gtts.insert(gtt('g-1'));
    await gtts.insert(gtt('g-2'));
    await gtts.claim('g-1', 0, 5_000);
    await gtts.claim('g-2', 0, 5_000);
    await gtts.recordOutcome('g-1', { orderId: '26112500000001' });
    await gtts.recordOutcome('g-2', { rejectReason: 'Quantity must be in multiples of lot size 75' });
    expect(await gtts.listUnplaced(ANY_TIME)).toEqual([]);
  });

  it('cancel is for the owning account only and answers the cancelled GTT', async () => {
    const gtts = await repository();
    await gtts.insert(gtt('g-1'));
    expect(await gtts.cancel('acc-2', 'live', 'g-1', 5_000)).toBeUndefined();
    expect(await gtts.cancel('acc-1', 'live', 'g-1', 5_000)).toEqual({ ...gtt('g-1'), status: 'cancelled', updatedAt: 5_000 });
    expect(await gtts.claim('g-1', 0, 5_001)).toBe(false);
  });

  it('replace changes the terms and last price of an active GTT, keeping its id, creation and expiry', async () => {
    const gtts = await repository();
    await gtts.insert(gtt('g-1'));
    const terms = { ...gtt('g-1'), triggerType: 'single' as const, quantity: dec(3), legs: [{ direction: 'above' as const, triggerPrice: dec('830'), price: dec('830.5') }] };
    const replaced = await gtts.replace('g-1', 'live', terms, dec('805'), 6_000);
    expect(replaced).toEqual({ ...terms, lastPrice: dec('805'), updatedAt: 6_000 });
    expect(await gtts.findActive('acc-1', 'live', 'g-1')).toEqual(replaced);
  });

  it('an expired GTT leaves the active lists', async () => {
    const gtts = await repository();
    await gtts.insert(gtt('g-1'));
    expect(await gtts.expire('g-1', 9_000)).toBe(true);
    expect(await gtts.listAllActive()).toEqual([]);
    expect(await gtts.listUnplaced(ANY_TIME)).toEqual([]);
  });

  it('a sandbox GTT is found, listed, replaced and cancelled in the sandbox only, and evaluated with the live ones', async () => {
    const gtts = await repository();
    await gtts.insert(gtt('live-1'));
    await gtts.insert(gtt('sb-1', { mode: 'sandbox', createdAt: 2_000 }));
    expect((await gtts.listActive('acc-1', 'live')).map((g) => g.id)).toEqual(['live-1']);
    expect(await gtts.listActive('acc-1', 'sandbox')).toEqual([gtt('sb-1', { mode: 'sandbox', createdAt: 2_000 })]);
    expect(await gtts.findActive('acc-1', 'live', 'sb-1')).toBeUndefined();
    expect(await gtts.findActive('acc-1', 'sandbox', 'live-1')).toBeUndefined();
    expect(await gtts.replace('sb-1', 'live', gtt('sb-1'), dec('805'), 6_000)).toBeUndefined();
    expect(await gtts.cancel('acc-1', 'sandbox', 'live-1', 6_000)).toBeUndefined();
    expect((await gtts.listAllActive()).map((g) => [g.id, g.mode])).toEqual([
      ['live-1', 'live'],
      ['sb-1', 'sandbox'],
    ]);
    expect(await gtts.replace('sb-1', 'sandbox', gtt('sb-1'), dec('805'), 6_000)).toEqual(
      gtt('sb-1', { mode: 'sandbox', createdAt: 2_000, lastPrice: dec('805'), updatedAt: 6_000 }),
    );
    expect(await gtts.cancel('acc-1', 'sandbox', 'sb-1', 7_000)).toMatchObject({ id: 'sb-1', mode: 'sandbox', status: 'cancelled' });
    expect(await gtts.listActive('acc-1', 'sandbox')).toEqual([]);
    expect((await gtts.listActive('acc-1', 'live')).map((g) => g.id)).toEqual(['live-1']);
  });
});
