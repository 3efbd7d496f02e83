// The latency monitor over HTTP: which v1 calls it measures and under which broker, the identities its phases keep,
// the Prometheus histogram and the admin report. Durations are wall-clock, so only orderings and identities are checked.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LatencySample } from '../../src/gateway/latency-monitor.js';
import { type Harness, login, requestJson, startGateway } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startGateway();
  h.setPrice('SBIN', 'NSE', '800');
});
afterAll(() => h.close());

const V1 = '/api/v1';
const order = { strategy: 't', symbol: 'SBIN', exchange: 'NSE', action: 'BUY', quantity: 1, pricetype: 'MARKET', product: 'MIS' };
const place = (body: Record<string, unknown> = {}) => h.post(`${V1}/placeorder`, { apikey: h.key, ...order, ...body });
const samples = (endpoint: string, broker: string): LatencySample[] => h.gateway.latency.samples(`${V1}${endpoint}`, broker);
const counts = () => h.gateway.latency.summary().map((s) => [s.endpoint, s.broker, s.count]);

/** A request that reached the broker: broker time inside it, and the gateway's time is the rest. */
function expectServed(sample: LatencySample): void {
  const { total, validation, broker, overhead } = sample.ns;
  expect(broker).toBeGreaterThan(0);
  expect(overhead).toBe(total - broker);
  expect(validation).toBeGreaterThan(0);
  expect(validation).toBeLessThanOrEqual(overhead);
}

describe('order calls', () => {
  it('are measured per endpoint under the broker that served them; reads are not', async () => {
    for (let i = 0; i < 3; i += 1) expect((await place()).status).toBe(200);
    const resting = await place({ pricetype: 'LIMIT', price: 700, quantity: 2 });
    expect(resting.status).toBe(200);
    const orderid = resting.body.orderid;
    const modified = await h.post(`${V1}/modifyorder`, { apikey: h.key, ...order, orderid, pricetype: 'LIMIT', price: 690, quantity: 2 });
    expect(modified.status).toBe(200);
    expect((await h.post(`${V1}/cancelorder`, { apikey: h.key, strategy: 't', orderid })).status).toBe(200);
    expect((await h.post(`${V1}/funds`, { apikey: h.key })).status).toBe(200);
    expect((await h.post(`${V1}/orderbook`, { apikey: h.key })).status).toBe(200);

    expect(counts()).toEqual([
      [`${V1}/cancelorder`, 'paper', 1],
      [`${V1}/modifyorder`, 'paper', 1],
      [`${V1}/placeorder`, 'paper', 4],
    ]);
    for (const sample of [...samples('/placeorder', 'paper'), ...samples('/modifyorder', 'paper'), ...samples('/cancelorder', 'paper')]) {
      expectServed(sample);
    }
  });

  it('puts requests answered without a broker under `none`, with no broker time', async () => {
    const invalid = await h.post(`${V1}/placeorder`, { apikey: h.key, ...order, quantity: 'many' });
    const badKey = await h.post(`${V1}/placeorder`, { ...order, apikey: 'cd'.repeat(32) });
    expect([invalid.status, badKey.status]).toEqual([400, 403]);
    // Samples are taken in onResponse, after the answer left; before it, the traffic log's hook looks the unknown key
    // up in the store, which on PostgreSQL may take longer than the answer's way back to this test.
    await vi.waitFor(() => expect(samples('/placeorder', 'none')).toHaveLength(2));
    const refused = samples('/placeorder', 'none');
    for (const { ns } of refused) {
      expect(ns.broker).toBe(0);
      expect(ns.overhead).toBe(ns.total);
      expect(ns.validation).toBeLessThanOrEqual(ns.total);
    }
    expect(refused[0]?.ns.validation).toBeGreaterThan(0);
  });

  it('times the sandbox broker of an account in analyzer mode too', async () => {
    const toggle = (mode: boolean) => h.post(`${V1}/analyzer/toggle`, { apikey: h.key, mode });
    expect((await toggle(true)).status).toBe(200);
    const sandboxed = await place();
    expect((await toggle(false)).status).toBe(200);
    expect(sandboxed.body.mode).toBe('analyze');
    const served = samples('/placeorder', 'paper');
    expect(served).toHaveLength(5);
    expectServed(served[4] as LatencySample);
    // The toggle needs the trade scope, so it is measured; it calls no broker.
    expect(samples('/analyzer/toggle', 'none')).toHaveLength(2);
  });
});

describe('GET /metrics', () => {
  it('has ordergate_order_latency_seconds per endpoint, broker and phase, with buckets from 100 µs', async () => {
    const text = await (await fetch(`${h.url}/metrics`)).text();
    for (const phase of ['total', 'validation', 'broker', 'overhead']) {
      expect(text).toContain(`ordergate_order_latency_seconds_count{endpoint="${V1}/placeorder",broker="paper",phase="${phase}"} 5`);
    }
    expect(text).toContain(`ordergate_order_latency_seconds_count{endpoint="${V1}/placeorder",broker="none",phase="total"} 2`);
    expect(text).toMatch(/ordergate_order_latency_seconds_bucket\{le="0\.0001",endpoint="\/api\/v1\/cancelorder",broker="paper",phase="total"\} [01]\n/);
    expect(text).not.toContain(`ordergate_order_latency_seconds_count{endpoint="${V1}/funds"`);
  });
});

describe('GET /api/admin/latency', () => {
  it('reports the monitor in milliseconds to the microsecond, to a logged-in admin', async () => {
    const { access_token } = await login(h.url);
    const answer = await requestJson(h.url, 'GET', '/api/admin/latency', { token: access_token });
    expect(answer.status).toBe(200);
    const ms = (ns: number) => Math.round(ns / 1_000) / 1_000;
    const expected = h.gateway.latency.summary().map((s) => ({
      endpoint: s.endpoint,
      broker: s.broker,
      count: s.count,
      recorded: s.recorded,
      total_ms: { p50: ms(s.phases.total.p50), p90: ms(s.phases.total.p90), p99: ms(s.phases.total.p99) },
      validation_ms: { p50: ms(s.phases.validation.p50), p90: ms(s.phases.validation.p90), p99: ms(s.phases.validation.p99) },
      broker_ms: { p50: ms(s.phases.broker.p50), p90: ms(s.phases.broker.p90), p99: ms(s.phases.broker.p99) },
      overhead_ms: { p50: ms(s.phases.overhead.p50), p90: ms(s.phases.overhead.p90), p99: ms(s.phases.overhead.p99) },
      under_1ms: s.totalWithin.ms1,
      under_5ms: s.totalWithin.ms5,
      under_10ms: s.totalWithin.ms10,
    }));
    expect(answer.body).toEqual({ endpoints: expected, window: 10_000 });
    expect((answer.body.endpoints as Array<{ endpoint: string; count: number }>).map((e) => [e.endpoint, e.count])).toEqual([
      [`${V1}/analyzer/toggle`, 2],
      [`${V1}/cancelorder`, 1],
      [`${V1}/modifyorder`, 1],
      [`${V1}/placeorder`, 2],
      [`${V1}/placeorder`, 5],
    ]);
  });

  it('needs a caller', async () => {
    const answer = await requestJson(h.url, 'GET', '/api/admin/latency');
    expect(answer.status).toBe(401);
  });

  it('is in the OpenAPI document under the admin tag', async () => {
    const document = (await (await fetch(`${h.url}/api/openapi.json`)).json()) as { paths: Record<string, { get?: { tags?: string[] } }> };
    expect(document.paths['/api/admin/latency']?.get?.tags).toEqual(['admin']);
  });
});
