// pnl/symbols: today's P&L per position with totals per currency, in live and analyzer mode.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startGateway } from '../harness.js';

let h: Harness;

const order = async (body: Record<string, unknown>) => {
  const reply = await h.post('/api/v1/placeorder', { apikey: h.key, strategy: 'pnl', pricetype: 'MARKET', product: 'MIS', exchange: 'NSE', ...body });
  expect(reply.body).toMatchObject({ status: 'success' });
};
const pnlSymbols = () => h.post('/api/v1/pnl/symbols', { apikey: h.key });

beforeAll(async () => {
  h = await startGateway();
  // The frozen market asks one tick above the last price and bids one below (SBIN's tick is 0.05, INFY's and
  // RELIANCE's 0.10).
  h.setPrice('SBIN', 'NSE', '100');
  await order({ symbol: 'SBIN', action: 'BUY', quantity: 10 }); // 10 at 100.05
  h.setPrice('SBIN', 'NSE', '101');
  await order({ symbol: 'SBIN', action: 'SELL', quantity: 4 }); // 4 at 100.95: +3.60; 6 left, +5.70 at 101
  h.setPrice('INFY', 'NSE', '1500');
  await order({ symbol: 'INFY', action: 'BUY', quantity: 5 }); // at 1500.10
  h.setPrice('INFY', 'NSE', '1490');
  await order({ symbol: 'INFY', action: 'SELL', quantity: 5 }); // at 1489.90: −51.00, closed
  h.setPrice('RELIANCE', 'NSE', '1000');
  await order({ symbol: 'RELIANCE', action: 'BUY', quantity: 1 }); // at 1000.10
  h.setPrice('RELIANCE', 'NSE', '1000.20');
  await order({ symbol: 'RELIANCE', action: 'SELL', quantity: 1 }); // at 1000.10: closed, nothing realized
  h.setPrice('XRPUSDFUT', 'CRYPTO', '2.2');
  await order({ exchange: 'CRYPTO', symbol: 'XRPUSDFUT', product: 'NRML', action: 'BUY', quantity: 100 }); // at 2.2001
  h.setPrice('XRPUSDFUT', 'CRYPTO', '2.2003');
});
afterAll(() => h.close());

describe('pnl/symbols', () => {
  it('lists open positions and those closed today with a P&L, and totals each currency apart', async () => {
    expect(await pnlSymbols()).toEqual({
      status: 200,
      body: {
        status: 'success',
        data: [
          { symbol: 'SBIN', exchange: 'NSE', product: 'MIS', currency: 'INR', quantity: 6, pnl: 9.3, unrealized_pnl: 5.7, today_realized_pnl: 3.6, total_pnl_today: 9.3 },
          { symbol: 'INFY', exchange: 'NSE', product: 'MIS', currency: 'INR', quantity: 0, pnl: -51, unrealized_pnl: 0, today_realized_pnl: -51, total_pnl_today: -51 },
          { symbol: 'XRPUSDFUT', exchange: 'CRYPTO', product: 'NRML', currency: 'USD', quantity: 100, pnl: 0.02, unrealized_pnl: 0.02, today_realized_pnl: 0, total_pnl_today: 0.02 },
        ],
        total_pnl: -41.7,
        total_unrealized_pnl: 5.7,
        total_today_realized_pnl: -47.4,
        total_pnl_today: -41.7,
        currency: 'INR',
        by_currency: {
          INR: { total_pnl: -41.7, total_unrealized_pnl: 5.7, total_today_realized_pnl: -47.4, total_pnl_today: -41.7 },
          USD: { total_pnl: 0.02, total_unrealized_pnl: 0.02, total_today_realized_pnl: 0, total_pnl_today: 0.02 },
        },
      },
    });
  });

  it("answers in analyzer mode too, from the sandbox's positions, marked as OpenAlgo marks it", async () => {
    await h.post('/api/v1/analyzer/toggle', { apikey: h.key, mode: true });
    try {
      expect(await pnlSymbols()).toEqual({
        status: 200,
        body: {
          status: 'success',
          data: [],
          total_pnl: 0,
          total_unrealized_pnl: 0,
          total_today_realized_pnl: 0,
          total_pnl_today: 0,
          currency: 'INR',
          mode: 'analyze',
        },
      });
    } finally {
      await h.post('/api/v1/analyzer/toggle', { apikey: h.key, mode: false });
    }
  });

  it('refuses an unknown key', async () => {
    expect(await h.post('/api/v1/pnl/symbols', { apikey: 'nope' })).toEqual({ status: 403, body: { status: 'error', message: 'Invalid openalgo apikey' } });
  });
});
