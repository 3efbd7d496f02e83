// FaultInjectingBroker: counts calls, and on demand delays them, fails them (the next N or a seeded fraction) or
// holds them until cleared; with no fault set it passes calls through.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FaultInjectingBroker } from '../../src/brokers/fault-injecting-broker.js';
import { seededRandom } from '../../src/domain/seeded-random.js';
import { namingBroker as stub, outcome } from './naming-broker.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('FaultInjectingBroker', () => {
  it('passes calls through and counts them per method', async () => {
    const faults = new FaultInjectingBroker(stub);
    expect(faults.name).toBe('stub');
    expect(await faults.getFunds('acc')).toBe('getFunds');
    expect(await faults.getFunds('acc')).toBe('getFunds');
    expect(await faults.statusReports('acc')).toBe('statusReports');
    expect(faults.capabilities()).toEqual({ idempotentPlacement: false, fractionalQuantity: false, orderUpdates: 'push' });
    expect([faults.calls('getFunds'), faults.calls('statusReports'), faults.calls('placeOrder'), faults.calls()]).toEqual([2, 1, 0, 3]);
    faults.resetCounts();
    expect(faults.calls()).toBe(0);
  });

  it('fails the next N calls in scope, and only those', async () => {
    const faults = new FaultInjectingBroker(stub);
    faults.failNext(2, ['getQuote']);
    const results = [
      await outcome(faults.getFunds('acc')),
      await outcome(faults.getQuote('SBIN', 'NSE')),
      await outcome(faults.getQuote('SBIN', 'NSE')),
      await outcome(faults.getQuote('SBIN', 'NSE')),
    ];
    expect(results).toEqual(['ok', 'fault', 'fault', 'ok']);
  });

  it('fails a seeded fraction of calls, the same ones for the same seed', async () => {
    const run = async (seed: number) => {
      const faults = new FaultInjectingBroker(stub);
      faults.failFraction(0.3, seededRandom(seed));
      const results: string[] = [];
      for (let i = 0; i < 200; i++) results.push(await outcome(faults.statusReports('acc')));
      return results;
    };
    const first = await run(7);
    expect(await run(7)).toEqual(first);
    expect(await run(8)).not.toEqual(first);
    const failed = first.filter((result) => result === 'fault').length;
    expect(failed).toBeGreaterThan(40);
    expect(failed).toBeLessThan(80);
  });

  it('loses the answers of a seeded fraction of calls that reached the broker', async () => {
    const reached: string[] = [];
    const recording = new Proxy(stub, {
      get(target, property) {
        if (property !== 'placeOrder') return Reflect.get(target, property);
        return async () => {
          reached.push('placeOrder');
          return 'placeOrder';
        };
      },
    });
    const faults = new FaultInjectingBroker(recording);
    faults.loseFraction(0.5, seededRandom(3), ['placeOrder']);
    const results: string[] = [];
    for (let i = 0; i < 100; i++) results.push(await outcome(faults.placeOrder({} as never)));
    expect(await faults.getFunds('acc')).toBe('getFunds');
    // Every call reached the broker; a lost answer is a fault all the same.
    expect(reached).toHaveLength(100);
    const lost = results.filter((result) => result === 'fault').length;
    expect(lost).toBeGreaterThan(30);
    expect(lost).toBeLessThan(70);
    faults.clear();
    expect(await outcome(faults.placeOrder({} as never))).toBe('ok');
  });

  it('delays calls in scope by the added latency', async () => {
    vi.useFakeTimers();
    const faults = new FaultInjectingBroker(stub);
    faults.addLatency(250, ['getDepth']);
    let settled = false;
    const call = faults.getDepth('SBIN', 'NSE').then(() => (settled = true));
    expect(await faults.getFunds('acc')).toBe('getFunds');
    await vi.advanceTimersByTimeAsync(249);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await call;
    expect(settled).toBe(true);
  });

  it('holds hung calls until cleared, then fails them; later calls pass', async () => {
    const faults = new FaultInjectingBroker(stub);
    faults.hangCalls(['placeOrder', 'getFunds']);
    let settled = false;
    const hung = outcome(faults.getFunds('acc')).finally(() => (settled = true));
    expect(await faults.statusReports('acc')).toBe('statusReports');
    await new Promise((resolve) => setImmediate(resolve));
    expect(settled).toBe(false);
    faults.clear();
    expect(await hung).toBe('fault');
    expect(await faults.getFunds('acc')).toBe('getFunds');
  });
});
