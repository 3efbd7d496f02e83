// The quote cache through HTTP (ORDERGATE_QUOTE_CACHE_MS, default 5 ms): quotes, multiquotes and depth within the
// time-to-live cost the broker one call per instrument; later ones ask again; 0 turns it off.
import { afterEach, describe, expect, it } from 'vitest';
import { FaultInjectingBroker } from '../../src/brokers/fault-injecting-broker.js';
import { type Harness, startGateway } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function startCounting(env: Record<string, string> = {}) {
  let live: FaultInjectingBroker | undefined;
  h = await startGateway({
    env,
    wrapBroker: (broker, connection) => {
      const wrapped = new FaultInjectingBroker(broker);
      if (connection === 'live') live = wrapped;
      return wrapped;
    },
  });
  if (!live) throw new Error('no live broker was wrapped');
  return { h, live };
}

describe('quote cache', () => {
  it('answers repeated quotes within the time-to-live from one broker call, then asks again', async () => {
    const { h, live } = await startCounting();
    const quote = () => h.post('/api/v1/quotes', { apikey: h.key, symbol: 'SBIN', exchange: 'NSE' });
    const answers = await Promise.all([quote(), quote(), quote()]);
    expect(answers.map((a) => [a.status, a.body.status])).toEqual([
      [200, 'success'],
      [200, 'success'],
      [200, 'success'],
    ]);
    expect(live.calls('getQuote')).toBe(1);
    h.clock.advance(4);
    await quote();
    expect(live.calls('getQuote')).toBe(1);
    h.clock.advance(1);
    h.setPrice('SBIN', 'NSE', '812.35');
    expect((await quote()).body).toMatchObject({ status: 'success', data: { ltp: 812.35 } });
    expect(live.calls('getQuote')).toBe(2);
  });

  it('keeps multiquotes and depth per instrument', async () => {
    const { h, live } = await startCounting();
    await h.post('/api/v1/quotes', { apikey: h.key, symbol: 'SBIN', exchange: 'NSE' });
    const multi = await h.post('/api/v1/multiquotes', {
      apikey: h.key,
      symbols: [
        { symbol: 'SBIN', exchange: 'NSE' },
        { symbol: 'INFY', exchange: 'NSE' },
      ],
    });
    expect(multi.status).toBe(200);
    expect(live.calls('getQuote')).toBe(2);
    await h.post('/api/v1/depth', { apikey: h.key, symbol: 'SBIN', exchange: 'NSE' });
    await h.post('/api/v1/depth', { apikey: h.key, symbol: 'SBIN', exchange: 'NSE' });
    expect(live.calls('getDepth')).toBe(1);
  });

  it('asks the broker every time when ORDERGATE_QUOTE_CACHE_MS is 0', async () => {
    const { h, live } = await startCounting({ ORDERGATE_QUOTE_CACHE_MS: '0' });
    for (let i = 0; i < 3; i++) await h.post('/api/v1/quotes', { apikey: h.key, symbol: 'SBIN', exchange: 'NSE' });
    expect(live.calls('getQuote')).toBe(3);
  });
});
