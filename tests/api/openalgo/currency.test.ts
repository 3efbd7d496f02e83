// Money with its currency over the v1 dialect: an account trading a USD perpetual and an INR share sees each balance
// in its own currency, positions say theirs, and a price finer than paise (XRP at 2.2001) is shown as it is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZERO, dec, div } from '../../../src/domain/decimal.js';
import { fundsData, holdingsData } from '../../../src/api/openalgo/mappers.js';
import { type Harness, startGateway } from '../harness.js';

let h: Harness;
const ids: Record<'xrp' | 'xrpMore' | 'sbin', string> = { xrp: '', xrpMore: '', sbin: '' };

const order = async (body: Record<string, unknown>) => {
  const reply = await h.post('/api/v1/placeorder', { apikey: h.key, strategy: 'fx', pricetype: 'MARKET', action: 'BUY', ...body });
  expect(reply.body).toMatchObject({ status: 'success' });
  return reply.body.orderid as string;
};
const read = async (path: string, body: Record<string, unknown> = {}) => (await h.post(`/api/v1/${path}`, { apikey: h.key, ...body })).body;

beforeAll(async () => {
  h = await startGateway();
  h.setPrice('SBIN', 'NSE', '800');
  // The frozen market asks one tick above the last price, 100 XRP a level: the first order fills at 2.2001, the
  // second sweeps 100 at 2.2003 and 100 at 2.2004.
  h.setPrice('XRPUSDFUT', 'CRYPTO', '2.2');
  ids.xrp = await order({ exchange: 'CRYPTO', symbol: 'XRPUSDFUT', product: 'NRML', quantity: 100 });
  h.setPrice('XRPUSDFUT', 'CRYPTO', '2.2002');
  ids.xrpMore = await order({ exchange: 'CRYPTO', symbol: 'XRPUSDFUT', product: 'NRML', quantity: 200 });
  ids.sbin = await order({ exchange: 'NSE', symbol: 'SBIN', product: 'MIS', quantity: 10 });
  h.setPrice('XRPUSDFUT', 'CRYPTO', '2.2003');
});
afterAll(() => h.close());

describe('a USD and an INR instrument in one account', () => {
  it('funds keep the rupee fields, and list each balance in its own currency', async () => {
    // Rupees: MIS 20 % of 10 × 800.05 = 1600.10. Dollars: the position cost 220.01 + 220.03 + 220.04 = 660.08
    // blocks 10 % = 66.008; unrealized 300 × 2.2003 − 660.08 = 0.01.
    const rupees = { availablecash: '9998399.90', collateral: '0.00', m2mrealized: '0.00', m2munrealized: '-0.50', utiliseddebits: '1600.10' };
    expect(await read('funds')).toEqual({
      status: 'success',
      data: {
        ...rupees,
        currency: 'INR',
        balances: [
          { currency: 'INR', ...rupees },
          { currency: 'USD', availablecash: '99933.99', collateral: '0.00', m2mrealized: '0.00', m2munrealized: '0.01', utiliseddebits: '66.01' },
        ],
      },
    });
  });

  it('positions say their currency; XRP prices and P&L keep its four decimals', async () => {
    expect((await read('positionbook')).data).toEqual([
      // 660.08 / 300 = 2.20026667, shown at XRP's precision
      { symbol: 'XRPUSDFUT', exchange: 'CRYPTO', product: 'NRML', currency: 'USD', quantity: 300, average_price: 2.2003, ltp: 2.2003, pnl: 0.01 },
      { symbol: 'SBIN', exchange: 'NSE', product: 'MIS', currency: 'INR', quantity: 10, average_price: 800.05, ltp: 800, pnl: -0.5 },
    ]);
  });

  it('shows the XRP fill at 2.2001 in the order book, the trade book and the order status', async () => {
    const orders = (await read('orderbook')).data as { orders: Array<Record<string, unknown>> };
    // The second XRP order's average, 2.20035, rounds half-even to XRP's four decimals.
    expect(orders.orders.map((o) => [o.symbol, o.average_price])).toEqual([
      ['SBIN', 800.05],
      ['XRPUSDFUT', 2.2004],
      ['XRPUSDFUT', 2.2001],
    ]);
    const trades = (await read('tradebook')).data as Array<Record<string, unknown>>;
    expect(trades.map((t) => [t.orderid, t.average_price, t.trade_value])).toEqual([
      [ids.xrp, 2.2001, 220.01],
      [ids.xrpMore, 2.2003, 220.03],
      [ids.xrpMore, 2.2004, 220.04],
      [ids.sbin, 800.05, 8000.5],
    ]);
    expect(((await read('orderstatus', { orderid: ids.xrp })).data as Record<string, unknown>).average_price).toBe(2.2001);
  });

  it('refuses a USD order beyond the dollar balance, in dollars', async () => {
    const refused = await h.post('/api/v1/placeorder', {
      apikey: h.key,
      strategy: 'fx',
      exchange: 'CRYPTO',
      symbol: 'XRPUSDFUT',
      product: 'NRML',
      action: 'BUY',
      pricetype: 'LIMIT',
      price: 2.2,
      quantity: 4000000,
    });
    // 10 % of 4,000,000 × 2.2 = 880,000 against 99,933.992 free
    const reason = 'Insufficient funds. Required: $880000.00, Available: $99933.99, Shortage: $780066.01';
    expect(refused).toEqual({ status: 400, body: { status: 'error', message: reason } });
    const [latest] = ((await read('orderbook')).data as { orders: Array<Record<string, unknown>> }).orders;
    expect([latest!.order_status, latest!.rejection_reason]).toEqual(['rejected', reason]);
  });
});

describe('holdings and funds in several currencies', () => {
  it('holdings statistics stay the rupee totals, with each currency beside them', () => {
    const data = holdingsData(
      [
        { symbol: 'SBIN', exchange: 'NSE', currency: 'INR', quantity: dec(10), cost: dec('8000.5'), averagePrice: dec('800.05'), lastPrice: dec(810) },
        {
          symbol: 'XRPUSD',
          exchange: 'CRYPTO',
          currency: 'USD',
          quantity: dec(3),
          cost: dec('6.6005'),
          averagePrice: div(dec('6.6005'), dec(3)),
          lastPrice: dec('2.2104'),
        },
      ],
      (_symbol, exchange) => (exchange === 'CRYPTO' ? 4 : 2),
    );
    expect(data).toEqual({
      holdings: [
        { symbol: 'SBIN', exchange: 'NSE', product: 'CNC', currency: 'INR', quantity: 10, average_price: 800.05, ltp: 810, pnl: 99.5, pnlpercent: 1.24 },
        // 3 × 2.2104 − 6.6005 = 0.0307 (0.47 % of the cost); the average 2.20016667 at four decimals
        { symbol: 'XRPUSD', exchange: 'CRYPTO', product: 'CNC', currency: 'USD', quantity: 3, average_price: 2.2002, ltp: 2.2104, pnl: 0.0307, pnlpercent: 0.47 },
      ],
      statistics: {
        totalholdingvalue: 8100,
        totalinvvalue: 8000.5,
        totalprofitandloss: 99.5,
        totalpnlpercentage: 1.24,
        currency: 'INR',
        by_currency: {
          INR: { totalholdingvalue: 8100, totalinvvalue: 8000.5, totalprofitandloss: 99.5, totalpnlpercentage: 1.24 },
          USD: { totalholdingvalue: 6.63, totalinvvalue: 6.6, totalprofitandloss: 0.03, totalpnlpercentage: 0.47 },
        },
      },
    });
  });

  it('funds of an account with dollars only still lead with rupees, at zero', () => {
    const dollars = { currency: 'USD' as const, availableCash: dec(250), collateral: ZERO, realizedPnl: dec('-1.005'), unrealizedPnl: ZERO, usedMargin: ZERO };
    const zero = { availablecash: '0.00', collateral: '0.00', m2mrealized: '0.00', m2munrealized: '0.00', utiliseddebits: '0.00' };
    expect(fundsData([dollars])).toEqual({
      ...zero,
      currency: 'INR',
      balances: [
        { currency: 'INR', ...zero },
        { currency: 'USD', availablecash: '250.00', collateral: '0.00', m2mrealized: '-1.00', m2munrealized: '0.00', utiliseddebits: '0.00' },
      ],
    });
  });
});
