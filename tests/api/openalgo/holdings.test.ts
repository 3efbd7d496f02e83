// holdings over HTTP: CNC buys become holdings at the next session and can be sold from there.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, T0, startGateway } from '../harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startGateway();
  h.setPrice('SBIN', 'NSE', '800');
});
afterAll(() => h.close());

const cnc = (action: string, quantity: number) =>
  h.post('/api/v1/placeorder', { apikey: h.key, strategy: 'd', exchange: 'NSE', symbol: 'SBIN', product: 'CNC', action, quantity });
const holdings = async () => (await h.post('/api/v1/holdings', { apikey: h.key })).body;

describe('holdings', () => {
  it('are empty on the day of the buy, then carry the shares at their cost with P&L', async () => {
    await cnc('BUY', 10);
    expect(await holdings()).toEqual({
      status: 'success',
      data: {
        holdings: [],
        statistics: { totalholdingvalue: 0, totalinvvalue: 0, totalprofitandloss: 0, totalpnlpercentage: 0, currency: 'INR' },
      },
    });
    h.clock.set(T0 + 24 * 3600 * 1000);
    h.setPrice('SBIN', 'NSE', '810');
    // cost 10 × 800.05 = 8000.50; value 8100; pnl 99.50 = 1.2437 %
    expect(await holdings()).toEqual({
      status: 'success',
      data: {
        holdings: [
          { symbol: 'SBIN', exchange: 'NSE', product: 'CNC', currency: 'INR', quantity: 10, average_price: 800.05, ltp: 810, pnl: 99.5, pnlpercent: 1.24 },
        ],
        statistics: { totalholdingvalue: 8100, totalinvvalue: 8000.5, totalprofitandloss: 99.5, totalpnlpercentage: 1.24, currency: 'INR' },
      },
    });
  });

  it('can be sold with a CNC sell, which realizes against their cost', async () => {
    expect((await cnc('SELL', 11)).body.message).toBe('Cannot sell 11 SBIN (CNC): only 10 held and not already on sale');
    expect((await cnc('SELL', 10)).status).toBe(200);
    expect(((await holdings()).data as { holdings: unknown[] }).holdings).toEqual([]);
    // sold at the bid 809.95: 10 × (809.95 − 800.05) = 99.00
    const funds = (await h.post('/api/v1/funds', { apikey: h.key })).body.data as Record<string, string>;
    expect(funds.m2mrealized).toBe('99.00');
  });
});
