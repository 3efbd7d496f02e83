// Resilience towards brokers over HTTP: a fault injector sits around each paper broker, inside the resilience layer,
// and the v1 API must answer timeouts and open circuits 503 with Retry-After, retry reads, retry a placement under
// Ordergate's own order id (the paper broker recognises it, so a lost answer never doubles the order), keep the
// client's errors out of the circuit, and keep the live and the sandbox connection's circuits apart.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrokerConnection } from '../../src/app.js';
import { FaultInjectingBroker } from '../../src/brokers/fault-injecting-broker.js';
import { type Harness, startGateway } from './harness.js';

/** Short limits so a hang or an open circuit costs the suite a fraction of a second. */
const RESILIENCE_ENV = {
  ORDERGATE_BROKER_TIMEOUT_MS: '100',
  ORDERGATE_BROKER_RETRIES: '2',
  ORDERGATE_BROKER_BACKOFF_MS: '10',
  ORDERGATE_BREAKER_THRESHOLD: '5',
  ORDERGATE_BREAKER_RESET_MS: '1000',
};
const ORDER = { strategy: 'test', exchange: 'NSE', symbol: 'SBIN', product: 'MIS', pricetype: 'MARKET', action: 'BUY', quantity: 1 };

let h: Harness;
let faults: Record<BrokerConnection, FaultInjectingBroker>;

async function start(env: Record<string, string> = {}): Promise<void> {
  const wrapped: Partial<Record<BrokerConnection, FaultInjectingBroker>> = {};
  h = await startGateway({
    env: { ...RESILIENCE_ENV, ...env },
    wrapBroker: (broker, connection) => (wrapped[connection] = new FaultInjectingBroker(broker)),
  });
  faults = { live: wrapped.live!, analyzer: wrapped.analyzer! };
  h.setPrice('SBIN', 'NSE', '800');
}

afterEach(async () => {
  faults.live.clear();
  faults.analyzer.clear();
  await h.close();
});

/** A v1 call with the test key: status, Retry-After header and JSON body. */
async function v1(route: string, body: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await fetch(`${h.url}/api/v1/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ apikey: h.key, ...body }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as Record<string, unknown> };
}

async function ready() {
  const response = await fetch(`${h.url}/ready`);
  return { status: response.status, body: (await response.json()) as { status: string; checks: Record<string, string> } };
}

async function circuitStates(): Promise<Record<string, number>> {
  const text = await (await fetch(`${h.url}/metrics`)).text();
  const states: Record<string, number> = {};
  for (const [, broker, value] of text.matchAll(/^ordergate_broker_circuit_state\{broker="(\w+)"\} (\d+)$/gm)) {
    states[broker!] = Number(value);
  }
  return states;
}

/** Fails every live call and spends the threshold: two funds requests of three and two attempts. */
async function openLiveCircuit(): Promise<void> {
  faults.live.failNext(1000);
  expect((await v1('funds')).status).toBe(503);
  expect((await v1('funds')).status).toBe(503);
  expect(faults.live.calls()).toBe(5);
}

describe('timeouts', () => {
  beforeEach(() => start());

  it('answers a hung placeorder 503 with Retry-After once every attempt under its order id has timed out', async () => {
    faults.live.hangCalls(['placeOrder']);
    const answer = await v1('placeorder', ORDER);
    expect(answer).toEqual({
      status: 503,
      retryAfter: '1',
      body: { status: 'error', message: 'Broker paper timed out after 100 ms; retry in 1 s' },
    });
    expect(faults.live.calls('placeOrder')).toBe(3);
    faults.live.clear();
    const book = (await v1('orderbook')).body.data as { orders: unknown[] };
    expect(book.orders).toEqual([]);
    expect(faults.live.calls('placeOrder')).toBe(3);
  });

  it('retries a hung read and answers 503 once every attempt has timed out', async () => {
    faults.live.hangCalls(['getQuote']);
    const answer = await v1('quotes', { symbol: 'SBIN', exchange: 'NSE' });
    expect(answer).toMatchObject({ status: 503, retryAfter: '1', body: { status: 'error' } });
    expect(faults.live.calls('getQuote')).toBe(3);
  });
});

describe('retries', () => {
  beforeEach(() => start());

  it('serves a read that fails twice then succeeds, on the third attempt', async () => {
    faults.live.failNext(2, ['getFunds']);
    const answer = await v1('funds');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ status: 'success', data: { availablecash: '10000000.00' } });
    expect(faults.live.calls('getFunds')).toBe(3);
  });

  it('retries a placeorder that failed under its order id, and answers 503 without internals when every try fails', async () => {
    faults.live.failNext(1, ['placeOrder']);
    expect((await v1('placeorder', ORDER)).status).toBe(200);
    expect(faults.live.calls('placeOrder')).toBe(2);
    faults.live.failNext(3, ['placeOrder']);
    expect(await v1('placeorder', ORDER)).toEqual({
      status: 503,
      retryAfter: '1',
      body: { status: 'error', message: 'Broker paper failed to answer; retry in 1 s' },
    });
    expect(faults.live.calls('placeOrder')).toBe(5);
    expect(((await v1('orderbook')).body.data as { orders: unknown[] }).orders).toHaveLength(1);
  });

  it('retries a placeorder with an Idempotency-Key whose answer was lost: one order, answered 200', async () => {
    faults.live.loseAnswers(1, ['placeOrder']);
    const answer = await v1('placeorder', ORDER, { 'idempotency-key': 'order-1' });
    expect(answer.status).toBe(200);
    expect(faults.live.calls('placeOrder')).toBe(2);
    const orders = (await v1('orderbook')).body.data as { orders: Array<{ orderid: string }> };
    expect(orders.orders.map((o) => o.orderid)).toEqual([answer.body.orderid]);
  });

  it('a client retrying with the same Idempotency-Key after a 503 gets the order the lost answers were for', async () => {
    // Every attempt (1 + 2 retries) places, or finds, the order and loses the answer.
    faults.live.loseAnswers(3, ['placeOrder']);
    expect((await v1('placeorder', ORDER, { 'idempotency-key': 'order-2' })).status).toBe(503);
    expect(faults.live.calls('placeOrder')).toBe(3);
    const retried = await v1('placeorder', ORDER, { 'idempotency-key': 'order-2' });
    expect(retried.status).toBe(200);
    const orders = (await v1('orderbook')).body.data as { orders: Array<{ orderid: string }> };
    expect(orders.orders.map((o) => o.orderid)).toEqual([retried.body.orderid]);
  });

  it('without a key a lost answer is retried under the order id the core gave it: one order, answered 200', async () => {
    faults.live.loseAnswers(1, ['placeOrder']);
    const answer = await v1('placeorder', ORDER);
    expect(answer.status).toBe(200);
    expect(faults.live.calls('placeOrder')).toBe(2);
    const orders = (await v1('orderbook')).body.data as { orders: Array<{ orderid: string }> };
    expect(orders.orders.map((o) => o.orderid)).toEqual([answer.body.orderid]);
  });

  it('an order whose every answer was lost is in the book all the same, and a 503 does not hide it', async () => {
    faults.live.loseAnswers(3, ['placeOrder']);
    expect((await v1('placeorder', ORDER)).status).toBe(503);
    const orders = (await v1('orderbook')).body.data as { orders: Array<{ order_status: string }> };
    expect(orders.orders.map((o) => o.order_status)).toEqual(['complete']);
  });

  it('split and basket children get client order ids of their own: retried, each is placed once', async () => {
    faults.live.loseAnswers(2, ['placeOrder']);
    const split = await v1('splitorder', { ...ORDER, quantity: 3, splitsize: 1 }, { 'idempotency-key': 'split-1' });
    expect(split.status).toBe(200);
    expect((split.body.results as Array<{ status: string }>).map((r) => r.status)).toEqual(['success', 'success', 'success']);
    faults.live.loseAnswers(2, ['placeOrder']);
    const legs = [ORDER, { ...ORDER, symbol: 'INFY' }].map(({ strategy: _, ...leg }) => leg);
    const basket = await v1('basketorder', { strategy: 'test', orders: legs }, { 'idempotency-key': 'basket-1' });
    expect(basket.status).toBe(200);
    expect((basket.body.results as Array<{ status: string }>).map((r) => r.status)).toEqual(['success', 'success']);
    const orders = (await v1('orderbook')).body.data as { orders: unknown[] };
    expect(orders.orders).toHaveLength(5);
    expect(faults.live.calls('placeOrder')).toBe(9);
  });
});

describe('the circuit breaker', () => {
  beforeEach(() => start());

  it('opens after repeated failures, fails fast with Retry-After, and a probe closes it after the reset time', async () => {
    expect(await circuitStates()).toEqual({ live: 0, analyzer: 0 });
    await openLiveCircuit();

    for (const [route, body] of [['funds', {}], ['placeorder', ORDER], ['positionbook', {}]] as const) {
      const answer = await v1(route, body);
      expect(answer.status).toBe(503);
      expect(answer.retryAfter).toBe('1');
      expect(answer.body).toEqual({ status: 'error', message: 'Broker paper is unavailable after repeated failures; retry in 1 s' });
    }
    // The order book is the core's record: it answers while the broker's circuit is open.
    expect((await v1('orderbook')).status).toBe(200);
    expect(faults.live.calls()).toBe(5);
    expect(await ready()).toEqual({
      status: 503,
      body: {
        status: 'not_ready',
        checks: { store: 'ok', broker: expect.stringMatching(/^the live broker connection \(paper\) has its circuit open/) },
      },
    });
    expect(await circuitStates()).toEqual({ live: 2, analyzer: 0 });

    faults.live.clear();
    await vi.waitFor(async () => expect((await ready()).status).toBe(200), { timeout: 5000, interval: 50 });
    expect(await circuitStates()).toEqual({ live: 1, analyzer: 0 });
    expect((await v1('funds')).status).toBe(200);
    expect(faults.live.calls()).toBe(6);
    expect(await circuitStates()).toEqual({ live: 0, analyzer: 0 });
    expect((await v1('placeorder', ORDER)).status).toBe(200);
  });

  it('opens again at once when the probe fails', async () => {
    await openLiveCircuit();
    await vi.waitFor(async () => expect((await circuitStates()).live).toBe(1), { timeout: 5000, interval: 50 });
    expect((await v1('funds')).status).toBe(503);
    expect(faults.live.calls()).toBe(6);
    expect(await circuitStates()).toEqual({ live: 2, analyzer: 0 });
    expect((await ready()).status).toBe(503);
  });

  it('keeps the sandbox connection serving while the live circuit is open', async () => {
    await openLiveCircuit();
    expect((await v1('analyzer/toggle', { mode: true })).status).toBe(200);
    const sandbox = await v1('placeorder', ORDER);
    expect(sandbox).toMatchObject({ status: 200, body: { status: 'success', mode: 'analyze' } });
    expect((await v1('funds')).status).toBe(200);
    expect(faults.analyzer.calls()).toBe(2);
    expect(await circuitStates()).toEqual({ live: 2, analyzer: 0 });

    expect((await v1('analyzer/toggle', { mode: false })).status).toBe(200);
    expect((await v1('funds')).status).toBe(503);
    expect(faults.live.calls()).toBe(5);
  });
});

describe('client errors', () => {
  beforeEach(() => start({ ORDERGATE_STARTING_CASH: '1000' }));

  it('never open the circuit nor are retried, even repeated 20 times past the threshold', async () => {
    for (let i = 0; i < 20; i++) {
      const poor = await v1('placeorder', { ...ORDER, product: 'CNC', quantity: 10 });
      expect(poor.status).toBe(400);
      expect(poor.body.message).toMatch(/^Insufficient funds/);
      expect(poor.retryAfter).toBeNull();
    }
    // An unknown order is the client's mistake: the core's record answers it, and the broker never hears of it.
    for (let i = 0; i < 20; i++) expect((await v1('cancelorder', { strategy: 'test', orderid: '12345' })).status).toBe(404);
    for (let i = 0; i < 20; i++) expect((await v1('orderstatus', { strategy: 'test', orderid: '12345' })).status).toBe(404);
    expect([faults.live.calls('placeOrder'), faults.live.calls('cancelOrder'), faults.live.calls('statusReports')]).toEqual([20, 0, 0]);
    expect(await circuitStates()).toEqual({ live: 0, analyzer: 0 });
    expect((await ready()).status).toBe(200);
    expect((await v1('placeorder', ORDER)).status).toBe(200);
  });
});
