// The latency recorder: which requests it measures, where each phase starts and ends, and how the broker calls a
// handler makes through the request's broker timer are charged to it. A clock that moves 1 µs at every reading makes
// each figure exact.
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { Broker } from '../../src/brokers/broker.js';
import { LatencyMonitor } from '../../src/gateway/latency-monitor.js';
import { LatencyRecorder, NO_BROKER, inFlight } from '../../src/gateway/latency-recorder.js';

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

/**
 * A dialect under /api: `/place` (trade) validates a body and places through the broker, `/pair` (trade) asks the
 * broker two things at once, `/detach` (trade) starts a broker call it does not wait for, `/funds` (read) is not
 * measured. Handlers call the broker through the request's timer, when it has one. A preHandler of the dialect's own
 * (authentication, say) takes 7 µs; every broker call 50 µs.
 */
async function world() {
  let now = 0n;
  const clock = () => (now += 1_000n);
  let release = () => {};
  const detached = new Promise<void>((resolve) => (release = resolve));
  const stub = new Proxy({ name: 'stub' } as Broker, {
    get(target, property) {
      if (property === 'name') return target.name;
      return (symbol?: unknown) => {
        now += 50_000n;
        return symbol === 'LATER' ? detached.then(() => 'late') : Promise.resolve('done');
      };
    },
  });
  const monitor = new LatencyMonitor();
  const recorder = new LatencyRecorder(monitor, clock);
  const brokerOf = (request: FastifyRequest) => recorder.brokerTimer(request)?.(stub) ?? stub;

  const app = Fastify();
  apps.push(app);
  await app.register(
    async (dialect) => {
      recorder.register(dialect, (request) => (request.routeOptions.config as { scope?: string }).scope === 'trade');
      dialect.addHook('preHandler', async () => {
        now += 7_000n;
      });
      const trade = { config: { scope: 'trade' } };
      const body = { type: 'object', required: ['quantity'], properties: { quantity: { type: 'integer' } } };
      dialect.post('/place', { ...trade, schema: { body } }, async (request) => ({ answer: await brokerOf(request).getQuote('SBIN', 'NSE') }));
      dialect.post('/pair', trade, async (request) => {
        const broker = brokerOf(request);
        return Promise.all([broker.getQuote('SBIN', 'NSE'), broker.getDepth('SBIN', 'NSE')]);
      });
      dialect.post('/detach', trade, async (request) => {
        void brokerOf(request).getQuote('LATER', 'NSE');
        return { started: true };
      });
      dialect.post('/funds', { config: { scope: 'read' } }, async (request) => ({
        timed: recorder.brokerTimer(request) !== undefined,
        funds: await brokerOf(request).getFunds('acc'),
      }));
    },
    { prefix: '/api' },
  );
  const send = (url: string, payload: Record<string, unknown> = {}) => app.inject({ method: 'POST', url, payload });
  const post = async (url: string, payload: Record<string, unknown> = {}) => (await send(url, payload)).statusCode;
  return { monitor, send, post, release };
}

describe('LatencyRecorder', () => {
  it('splits an order call into total, validation, broker and overhead', async () => {
    const { monitor, post } = await world();
    expect(await post('/api/place', { quantity: 5 })).toBe(200);
    // Clock readings: arrival 1, preValidation 2, first preHandler 3 µs; the dialect's preHandler takes 7 µs; the
    // broker call reads 11 µs, takes 50 µs and reads 62 µs; the response is sent at 63 µs.
    expect(monitor.samples('/api/place', 'stub')).toEqual([
      { endpoint: '/api/place', broker: 'stub', ns: { total: 62_000, validation: 1_000, broker: 51_000, overhead: 11_000 } },
    ]);
  });

  it('counts overlapping broker calls of one request once', async () => {
    const { monitor, post } = await world();
    expect(await post('/api/pair')).toBe(200);
    // Arrival at 1 µs; both calls start before either settles: [11, 113] and [62, 114] µs, in flight 103 µs in all
    // (their sum would be 154 µs); the response is sent at 115 µs.
    expect(monitor.samples('/api/pair', 'stub').map((s) => s.ns)).toEqual([
      { total: 114_000, validation: 1_000, broker: 103_000, overhead: 11_000 },
    ]);
  });

  it('times a request validation refuses up to its refusal, under no broker', async () => {
    const { monitor, post } = await world();
    expect(await post('/api/place', { quantity: 'five' })).toBe(400);
    // Arrival 1 µs, preValidation 2 µs, no preHandler, response sent 3 µs.
    expect(monitor.summary().map((s) => [s.endpoint, s.broker])).toEqual([['/api/place', NO_BROKER]]);
    expect(monitor.samples('/api/place', NO_BROKER).map((s) => s.ns)).toEqual([{ total: 2_000, validation: 1_000, broker: 0, overhead: 2_000 }]);
  });

  it('measures only the selected routes, whose handlers get no broker timer', async () => {
    const { monitor, send } = await world();
    const answer = await send('/api/funds');
    expect(answer.json()).toEqual({ timed: false, funds: 'done' });
    expect(monitor.summary()).toEqual([]);
  });

  it('leaves out a broker call that outlives its request', async () => {
    const { monitor, post, release } = await world();
    expect(await post('/api/detach')).toBe(200);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    // Arrival 1, preValidation 2, preHandler 3 µs (+7), the call starts at 11 µs and is still out when the response is
    // sent at 62 µs; its end at 63 µs comes after the request was recorded.
    expect(monitor.samples('/api/detach', NO_BROKER).map((s) => s.ns)).toEqual([{ total: 61_000, validation: 1_000, broker: 0, overhead: 61_000 }]);
    expect(monitor.summary()).toHaveLength(1);
  });
});

describe('inFlight', () => {
  it('adds up the time at least one call was out, within the request', () => {
    expect(inFlight([], 0n, 100n)).toBe(0n);
    expect(inFlight([[10n, 20n], [15n, 30n], [40n, 50n]], 0n, 100n)).toBe(30n);
    expect(inFlight([[40n, 50n], [10n, 60n], [20n, 30n]], 0n, 100n)).toBe(50n);
    expect(inFlight([[10n, 20n], [20n, 30n]], 0n, 100n)).toBe(20n);
    // Clipped to the request: [-5, 5] and [90, 120] within [0, 100].
    expect(inFlight([[-5n, 5n], [90n, 120n]], 0n, 100n)).toBe(15n);
    expect(inFlight([[120n, 130n]], 0n, 100n)).toBe(0n);
    // One call, clipped at either end or not at all.
    expect(inFlight([[-5n, 40n]], 0n, 100n)).toBe(40n);
    expect(inFlight([[60n, 140n]], 0n, 100n)).toBe(40n);
    expect(inFlight([[10n, 35n]], 0n, 100n)).toBe(25n);
  });
});
