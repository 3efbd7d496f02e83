// ResilientBroker: per-call timeouts, retries of reads only (placement only on a broker that honours its key), and one
// circuit per connection that opens on consecutive failures, fails fast with a retry-after and closes on a probe.
import { describe, expect, it, vi } from 'vitest';
import type { Broker, BrokerCapabilities } from '../../src/brokers/broker.js';
import { FaultInjectingBroker } from '../../src/brokers/fault-injecting-broker.js';
import { type ResilienceOptions, ResilientBroker } from '../../src/brokers/resilient-broker.js';
import type { BrokerMethod } from '../../src/brokers/timed-broker.js';
import { BrokerUnavailable, InstrumentNotFound, InsufficientFunds, OrderNotFound } from '../../src/domain/errors.js';
import { ASYNC_PORT_CALLS, PORT_ORDER } from './port-calls.js';

const ORDER = PORT_ORDER;

/** A broker answering every call with its method and arguments; `fail` lets a call throw instead. */
function stubBroker(
  capabilities: BrokerCapabilities = { idempotentPlacement: false, fractionalQuantity: false, orderUpdates: 'push' },
  fail?: (method: string, args: unknown[]) => Error | undefined,
): Broker {
  return new Proxy({ name: 'stub' } as Broker, {
    get(target, property) {
      if (property === 'name') return target.name;
      const method = String(property);
      if (method === 'capabilities') return () => capabilities;
      if (method === 'historyIntervals') return () => ['1m', 'D'];
      return async (...args: unknown[]) => {
        const error = fail?.(method, args);
        if (error) throw error;
        return { method, args };
      };
    },
  });
}

/** A ResilientBroker over a counting fault injector over `inner`, recording the backoff delays it asks for. */
function world(options: Partial<ResilienceOptions> = {}, inner: Broker = stubBroker()) {
  const faults = new FaultInjectingBroker(inner);
  const delays: number[] = [];
  let now = 1_000_000;
  const resilient = new ResilientBroker(faults, {
    connection: 'live',
    writeTimeoutMs: 1000,
    readTimeoutMs: 1000,
    retries: 2,
    backoffMs: 100,
    breakerThreshold: 5,
    breakerResetMs: 10_000,
    random: () => 0.5,
    sleep: async (ms) => {
      delays.push(ms);
    },
    now: () => now,
    ...options,
  });
  return { resilient, faults, delays, advance: (ms: number) => (now += ms) };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('the call should have failed'),
    (error: unknown) => error,
  );
}

describe('ResilientBroker', () => {
  it('passes every call of the port through with its arguments and answer', async () => {
    const { resilient, faults } = world();
    expect(resilient.name).toBe('stub');
    expect(resilient.capabilities()).toEqual({ idempotentPlacement: false, fractionalQuantity: false, orderUpdates: 'push' });
    expect(resilient.historyIntervals()).toEqual(['1m', 'D']);
    const calls = ASYNC_PORT_CALLS;
    for (const [method, args] of calls) {
      const call = (resilient[method] as (...args: unknown[]) => Promise<unknown>).bind(resilient);
      expect(await call(...args)).toEqual({ method, args });
    }
    expect(faults.calls()).toBe(calls.length);
    expect(resilient.circuitState).toBe('closed');
  });

  it('retries a failing read with full-jitter exponential backoff until it succeeds', async () => {
    const { resilient, faults, delays } = world();
    faults.failNext(2);
    expect(await resilient.getFunds('acc')).toEqual({ method: 'getFunds', args: ['acc'] });
    expect(faults.calls('getFunds')).toBe(3);
    // random 0.5 below ceilings of 100 ms, then 200 ms.
    expect(delays).toEqual([50, 100]);
  });

  it('caps the backoff ceiling at maxBackoffMs', async () => {
    const { resilient, faults, delays } = world({ retries: 4, backoffMs: 100, maxBackoffMs: 300, random: () => 0.99 });
    faults.failNext(4);
    await resilient.statusReports('acc');
    expect(delays).toEqual([99, 198, 297, 297]);
  });

  it('gives up on a read after 1 + retries attempts with BrokerUnavailable and a retry-after of 1 s', async () => {
    const { resilient, faults } = world();
    faults.failNext(10);
    const error = await rejection(resilient.getQuote('SBIN', 'NSE'));
    expect(error).toBeInstanceOf(BrokerUnavailable);
    expect(error).toMatchObject({ code: 'BROKER_UNAVAILABLE', retryAfterSeconds: 1, message: 'Broker stub failed to answer; retry in 1 s' });
    expect(faults.calls('getQuote')).toBe(3);
  });

  it('does not retry reads when retries is 0', async () => {
    const { resilient, faults } = world({ retries: 0 });
    faults.failNext(1);
    await rejection(resilient.statusReports('acc'));
    expect(faults.calls('statusReports')).toBe(1);
  });

  it('never retries placement, modification or cancellation on a broker without idempotent placement', async () => {
    const { resilient, faults, delays } = world();
    faults.failNext(10);
    expect(await rejection(resilient.placeOrder({ ...ORDER, clientOrderId: 'c-1' }))).toBeInstanceOf(BrokerUnavailable);
    expect(await rejection(resilient.modifyOrder('acc', 'o1', {}))).toBeInstanceOf(BrokerUnavailable);
    expect(await rejection(resilient.cancelOrder('acc', 'o1'))).toBeInstanceOf(BrokerUnavailable);
    expect([faults.calls('placeOrder'), faults.calls('modifyOrder'), faults.calls('cancelOrder')]).toEqual([1, 1, 1]);
    expect(delays).toEqual([]);
  });

  // The order desk always sends Ordergate's id as the client order id, so the broker's capability alone decides.
  it('retries placement on a broker that honours client order ids, and still never modification or cancellation', async () => {
    const { resilient, faults, delays } = world({}, stubBroker({ idempotentPlacement: true, fractionalQuantity: false, orderUpdates: 'push' }));
    faults.failNext(2);
    expect(await resilient.placeOrder({ ...ORDER, clientOrderId: '26051500000001' })).toEqual({
      method: 'placeOrder',
      args: [{ ...ORDER, clientOrderId: '26051500000001' }],
    });
    expect(faults.calls('placeOrder')).toBe(3);
    expect(delays).toEqual([50, 100]);

    faults.resetCounts();
    faults.failNext(2, ['modifyOrder', 'cancelOrder']);
    await rejection(resilient.modifyOrder('acc', 'o1', {}));
    await rejection(resilient.cancelOrder('acc', 'o1'));
    expect([faults.calls('modifyOrder'), faults.calls('cancelOrder')]).toEqual([1, 1]);
  });

  it('passes the client’s errors through unchanged, unretried, and never opens the circuit on them', async () => {
    const noFunds = new InsufficientFunds('Insufficient funds');
    const inner = stubBroker(undefined, (method, args) => {
      if (method === 'placeOrder') return noFunds;
      if (method === 'cancelOrder') return new OrderNotFound(String(args[1]));
      if (method === 'getQuote') return new InstrumentNotFound(String(args[0]), String(args[1]));
      return undefined;
    });
    const { resilient, faults } = world({ breakerThreshold: 2 }, inner);
    for (let i = 0; i < 20; i++) {
      expect(await rejection(resilient.placeOrder(ORDER))).toBe(noFunds);
      expect(await rejection(resilient.cancelOrder('acc', 'x'))).toMatchObject({ code: 'ORDER_NOT_FOUND', message: 'Order x not found' });
      expect(await rejection(resilient.getQuote('NOPE', 'NSE'))).toBeInstanceOf(InstrumentNotFound);
    }
    expect([faults.calls('placeOrder'), faults.calls('cancelOrder'), faults.calls('getQuote')]).toEqual([20, 20, 20]);
    expect(resilient.circuitState).toBe('closed');
  });

  it('times out a hung call with BrokerUnavailable; a hung read is retried, a hung placement is not', async () => {
    const { resilient, faults } = world({ readTimeoutMs: 20, writeTimeoutMs: 30, retries: 1 });
    faults.hangCalls();
    const placed = await rejection(resilient.placeOrder(ORDER));
    expect(placed).toBeInstanceOf(BrokerUnavailable);
    expect(placed).toMatchObject({ message: 'Broker stub timed out after 30 ms; retry in 1 s', retryAfterSeconds: 1 });
    expect(faults.calls('placeOrder')).toBe(1);
    expect(await rejection(resilient.getDepth('SBIN', 'NSE'))).toMatchObject({ message: 'Broker stub timed out after 20 ms; retry in 1 s' });
    expect(faults.calls('getDepth')).toBe(2);
    faults.clear();
  });

  it('counts a BrokerUnavailable from the adapter as a failure and retries it on reads', async () => {
    let left = 2;
    const inner = stubBroker(undefined, () => (left-- > 0 ? new BrokerUnavailable('session dropped') : undefined));
    const { resilient } = world({}, inner);
    expect(await resilient.listPositions('acc')).toEqual({ method: 'listPositions', args: ['acc'] });
    expect(left).toBe(-1);
  });

  it('opens after the threshold of consecutive failures and then fails fast with the time left to the probe', async () => {
    const { resilient, faults, advance } = world({ breakerThreshold: 3, retries: 0, breakerResetMs: 10_000 });
    const states: string[] = [];
    resilient.onStateChange = (state) => states.push(state);
    faults.failNext(3);
    for (let i = 0; i < 3; i++) await rejection(resilient.statusReports('acc'));
    expect(resilient.circuitState).toBe('open');
    expect(states).toEqual(['open']);

    advance(2_500);
    const error = await rejection(resilient.getFunds('acc'));
    expect(error).toBeInstanceOf(BrokerUnavailable);
    expect(error).toMatchObject({
      retryAfterSeconds: 8,
      message: 'Broker stub is unavailable after repeated failures; retry in 8 s',
    });
    await rejection(resilient.placeOrder(ORDER));
    expect(faults.calls()).toBe(3);
    resilient.close();
  });

  it('counts failed attempts, not calls, and stops retrying once the circuit opens', async () => {
    const { resilient, faults } = world({ breakerThreshold: 2, retries: 5 });
    faults.failNext(10);
    expect(await rejection(resilient.getHistory('TCS', 'BSE'))).toMatchObject({ retryAfterSeconds: 10 });
    expect(faults.calls('getHistory')).toBe(2);
    expect(resilient.circuitState).toBe('open');
    resilient.close();
  });

  it('stays closed while failures are not consecutive', async () => {
    const { resilient, faults } = world({ breakerThreshold: 3, retries: 0 });
    for (let round = 0; round < 4; round++) {
      faults.failNext(2);
      await rejection(resilient.getFunds('acc'));
      await rejection(resilient.getFunds('acc'));
      await resilient.getFunds('acc');
    }
    expect(resilient.circuitState).toBe('closed');
    expect(faults.calls('getFunds')).toBe(12);
  });

  it('lets one probe through after the reset time: success closes the circuit, failure opens it again', async () => {
    const { resilient, faults } = world({ breakerThreshold: 1, retries: 0, breakerResetMs: 30 });
    const failures: BrokerMethod[] = [];
    resilient.onFailure = (method) => failures.push(method);
    faults.failNext(1);
    await rejection(resilient.getFunds('acc'));
    expect(resilient.circuitState).toBe('open');
    await vi.waitFor(() => expect(resilient.circuitState).toBe('half-open'), { timeout: 2000, interval: 5 });

    faults.failNext(1);
    await rejection(resilient.getFunds('acc'));
    expect(resilient.circuitState).toBe('open');
    await vi.waitFor(() => expect(resilient.circuitState).toBe('half-open'), { timeout: 2000, interval: 5 });

    expect(await resilient.getFunds('acc')).toEqual({ method: 'getFunds', args: ['acc'] });
    expect(resilient.circuitState).toBe('closed');
    expect(faults.calls('getFunds')).toBe(3);
    expect(failures).toEqual(['getFunds', 'getFunds']);
  });

  it('fails other calls fast while the half-open probe is in flight', async () => {
    const { resilient, faults } = world({ breakerThreshold: 1, retries: 0, breakerResetMs: 30, readTimeoutMs: 5000 });
    faults.failNext(1);
    await rejection(resilient.getFunds('acc'));
    await vi.waitFor(() => expect(resilient.circuitState).toBe('half-open'), { timeout: 2000, interval: 5 });
    faults.hangCalls();
    const probe = rejection(resilient.getFunds('acc'));
    expect(await rejection(resilient.statusReports('acc'))).toMatchObject({ retryAfterSeconds: 1 });
    expect(faults.calls('statusReports')).toBe(0);
    faults.clear();
    expect(await probe).toBeInstanceOf(BrokerUnavailable);
    expect(resilient.circuitState).toBe('open');
    resilient.close();
  });
});
