// QuoteCachingBroker: a quote or depth is reused for the time-to-live after it arrives, concurrent requests share one
// broker call, failures are never kept, and everything else passes straight through.
import { describe, expect, it } from 'vitest';
import type { Broker } from '../../src/brokers/broker.js';
import { FaultInjectingBroker, InjectedFault } from '../../src/brokers/fault-injecting-broker.js';
import { QuoteCachingBroker } from '../../src/brokers/quote-cache.js';
import { ManualClock } from '../../src/domain/clock.js';
import { ASYNC_PORT_CALLS } from './port-calls.js';

/** A broker answering each call with its method, arguments and how many calls it has had. */
function counting(): Broker {
  let calls = 0;
  return new Proxy({ name: 'stub' } as Broker, {
    get(target, property) {
      if (property === 'name') return target.name;
      return async (...args: unknown[]) => `${String(property)}(${args.join(',')}) #${++calls}`;
    },
  });
}

function cachedOver(ttlMs = 5) {
  const clock = new ManualClock(1_000_000);
  const faults = new FaultInjectingBroker(counting());
  return { clock, faults, broker: new QuoteCachingBroker(faults, ttlMs, clock) };
}

describe('QuoteCachingBroker', () => {
  it('reuses a quote for the time-to-live after it arrived, then asks again', async () => {
    const { clock, faults, broker } = cachedOver(5);
    expect(await broker.getQuote('SBIN', 'NSE')).toBe('getQuote(SBIN,NSE) #1');
    clock.advance(4);
    expect(await broker.getQuote('SBIN', 'NSE')).toBe('getQuote(SBIN,NSE) #1');
    clock.advance(1);
    expect(await broker.getQuote('SBIN', 'NSE')).toBe('getQuote(SBIN,NSE) #2');
    expect(faults.calls('getQuote')).toBe(2);
  });

  it('keeps instruments and exchanges apart, and quotes apart from depth', async () => {
    const { faults, broker } = cachedOver();
    const answers = [
      await broker.getQuote('SBIN', 'NSE'),
      await broker.getQuote('SBIN', 'BSE'),
      await broker.getQuote('INFY', 'NSE'),
      await broker.getDepth('SBIN', 'NSE'),
      await broker.getDepth('SBIN', 'NSE'),
    ];
    expect(answers).toEqual([
      'getQuote(SBIN,NSE) #1',
      'getQuote(SBIN,BSE) #2',
      'getQuote(INFY,NSE) #3',
      'getDepth(SBIN,NSE) #4',
      'getDepth(SBIN,NSE) #4',
    ]);
    expect([faults.calls('getQuote'), faults.calls('getDepth')]).toEqual([3, 1]);
  });

  it('lets requests that arrive while a quote is fetched share that one call, however long it takes', async () => {
    const { clock, faults, broker } = cachedOver(5);
    faults.addLatency(50, ['getQuote']);
    const first = broker.getQuote('SBIN', 'NSE');
    clock.advance(30);
    const second = broker.getQuote('SBIN', 'NSE');
    expect(await Promise.all([first, second])).toEqual(['getQuote(SBIN,NSE) #1', 'getQuote(SBIN,NSE) #1']);
    expect(faults.calls('getQuote')).toBe(1);
  });

  it('never keeps a failure: the next request asks the broker again', async () => {
    const { faults, broker } = cachedOver(5);
    faults.failNext(1, ['getQuote']);
    const [a, b] = await Promise.allSettled([broker.getQuote('SBIN', 'NSE'), broker.getQuote('SBIN', 'NSE')]);
    expect(a.status === 'rejected' && a.reason instanceof InjectedFault).toBe(true);
    expect(b.status === 'rejected' && b.reason instanceof InjectedFault).toBe(true);
    expect(await broker.getQuote('SBIN', 'NSE')).toBe('getQuote(SBIN,NSE) #1');
    expect(faults.calls('getQuote')).toBe(2);
  });

  it('passes every other call of the port through, uncached, with its arguments', async () => {
    const { faults, broker } = cachedOver();
    expect(broker.name).toBe('stub');
    const others = ASYNC_PORT_CALLS.filter(([method]) => method !== 'getQuote' && method !== 'getDepth');
    for (const [method, args] of others) {
      const call = (broker[method] as (...a: unknown[]) => Promise<unknown>).bind(broker);
      const first = await call(...args);
      const second = await call(...args);
      // Each answer names its call and is a fresh one (the stub numbers every call it gets).
      expect(String(first).startsWith(`${method}(${args.join(',')}) #`)).toBe(true);
      expect(second).not.toBe(first);
      expect(faults.calls(method)).toBe(2);
    }
  });
});
