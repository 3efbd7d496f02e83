// /margin over HTTP: what a basket needs on the paper broker, each leg alone what an order for it blocks, hedged legs
// less; OpenAlgo's request schema and its messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startGateway } from '../harness.js';

let h: Harness;

const FUT = 'NIFTY29DEC26FUT';
const CE_26000 = 'NIFTY29DEC2626000CE';
const CE_26500 = 'NIFTY29DEC2626500CE';

beforeAll(async () => {
  h = await startGateway();
  h.setPrice('SBIN', 'NSE', '800');
  h.setPrice('NIFTY', 'NSE_INDEX', '26000');
  h.setPrice(FUT, 'NFO', '26100');
  h.setPrice(CE_26000, 'NFO', '520');
  h.setPrice(CE_26500, 'NFO', '290');
});
afterAll(() => h.close());

type Position = Record<string, unknown>;
const margin = (positions: unknown) => h.post('/api/v1/margin', { apikey: h.key, positions });
const position = (fields: Position): Position => ({ exchange: 'NFO', product: 'NRML', pricetype: 'MARKET', ...fields });
const sbin = (fields: Position = {}): Position => ({
  symbol: 'SBIN',
  exchange: 'NSE',
  action: 'BUY',
  quantity: '10',
  product: 'CNC',
  pricetype: 'MARKET',
  ...fields,
});
const success = (data: Record<string, unknown>) => ({ status: 200, body: { status: 'success', data } });
const refused = (message: string, status = 400) => ({ status, body: { status: 'error', message } });

describe('one position: what an order for it blocks', () => {
  it('equity CNC at the ask: its full value', async () => {
    // 10 × 800.05
    expect(await margin([sbin()])).toEqual(
      success({ total_margin_required: 8000.5, span_margin: 0, exposure_margin: 8000.5, margin_benefit: 0, currency: 'INR' }),
    );
  });

  it('equity MIS sold at the bid: a fifth of its value', async () => {
    // 10 × 799.95 × 20 %
    expect(await margin([sbin({ action: 'sell', product: 'MIS' })])).toEqual(
      success({ total_margin_required: 1599.9, span_margin: 0, exposure_margin: 1599.9, margin_benefit: 0, currency: 'INR' }),
    );
  });

  it('a future: 10 % of its notional at the ask, all span', async () => {
    // 26100.10 × 65 × 10 %
    expect(await margin([position({ symbol: FUT, action: 'BUY', quantity: '65' })])).toEqual(
      success({ total_margin_required: 169650.65, span_margin: 169650.65, exposure_margin: 0, margin_benefit: 0, currency: 'INR' }),
    );
  });

  it('an option bought at a limit: its premium', async () => {
    expect(await margin([position({ symbol: CE_26000, action: 'BUY', quantity: 65, pricetype: 'LIMIT', price: '515.5' })])).toEqual(
      success({ total_margin_required: 33507.5, span_margin: 0, exposure_margin: 0, margin_benefit: 0, currency: 'INR' }),
    );
  });

  it('an option sold: 10 % of its strike notional', async () => {
    const reply = await margin([position({ symbol: CE_26500, action: 'SELL', quantity: '65' })]);
    expect(reply.status).toBe(200);
    const data = reply.body.data as Record<string, number>;
    expect([data.total_margin_required, data.margin_benefit]).toEqual([172250, 0]);
    expect(data.span_margin! + data.exposure_margin!).toBe(172250);
  });
});

describe('positions that hedge each other', () => {
  it('a bull call spread needs less than its legs alone', async () => {
    const bought = position({ symbol: CE_26000, action: 'BUY', quantity: '65' });
    const sold = position({ symbol: CE_26500, action: 'SELL', quantity: '65' });
    const alone = async (leg: Position) => ((await margin([leg])).body.data as Record<string, number>).total_margin_required!;
    // Bought at the ask, 520.10 × 65 = 33806.5; sold, 26500 × 65 × 10 % = 172250.
    expect([await alone(bought), await alone(sold)]).toEqual([33806.5, 172250]);
    // Together no scenario loses (span 0): the premium, plus the sold call's margin beyond its own worst loss
    // (NIFTY +10 %, volatility 18 %: 130495.30), 172250 − 130495.30 = 41754.70. (Black-Scholes at 34 days 5.5 hours,
    // checked apart with Python's math.erf.)
    expect(await margin([bought, sold])).toEqual(
      success({ total_margin_required: 75561.2, span_margin: 0, exposure_margin: 41754.7, margin_benefit: 130495.3, currency: 'INR' }),
    );
  });

  it('a call sold against a bought future needs less than the future alone', async () => {
    const reply = await margin([
      position({ symbol: FUT, action: 'BUY', quantity: '65' }),
      position({ symbol: CE_26000, action: 'SELL', quantity: '65' }),
    ]);
    // Alone: 169650.65 and 169000. Together the worst is NIFTY −10 % with volatility 10 %: the future loses 169650.65,
    // the sold call gains 32986.20; span 136664.45. The call's own worst loss (+10 %, 18 %) is 146286.40, so its
    // exposure is 169000 − 146286.40 = 22713.60.
    const data = reply.body.data as Record<string, number>;
    expect(data.total_margin_required).toBeLessThan(169650.65);
    expect(data).toEqual({ total_margin_required: 159378.05, span_margin: 136664.45, exposure_margin: 22713.6, margin_benefit: 179272.6, currency: 'INR' });
  });

  it('positions on different underlyings need the sum of their margins', async () => {
    expect(await margin([sbin(), position({ symbol: FUT, action: 'BUY', quantity: '65' })])).toEqual(
      success({ total_margin_required: 177651.15, span_margin: 169650.65, exposure_margin: 8000.5, margin_benefit: 0, currency: 'INR' }),
    );
  });
});

describe('refusals in OpenAlgo words', () => {
  it('the schema: 1 to 50 positions, their fields', async () => {
    const positions = "{'positions': ['Positions must contain 1 to 50 items.']}";
    expect(await margin([])).toEqual(refused(positions));
    expect(await margin(Array.from({ length: 51 }, () => sbin()))).toEqual(refused(positions));
    const { quantity: _quantity, ...withoutQuantity } = sbin();
    expect(await margin([sbin(), withoutQuantity])).toEqual(
      refused("{'positions': {1: {'quantity': ['Missing data for required field.']}}}"),
    );
    expect(await margin([sbin({ strategy: 'x' })])).toEqual(refused("{'positions': {0: {'strategy': ['Unknown field.']}}}"));
    expect(await margin([sbin({ symbol: '' })])).toEqual(
      refused("{'positions': {0: {'symbol': ['Symbol must be between 1 and 50 characters.']}}}"),
    );
    expect(await margin([sbin({ product: 'BO' })])).toEqual(
      refused("{'positions': {0: {'product': ['Must be one of: MIS, NRML, CNC.']}}}"),
    );
  });

  it("the service's checks of quantity and price, naming the position", async () => {
    expect(await margin([sbin(), sbin({ quantity: 'ten' })])).toEqual(refused('Position 2: Invalid quantity format'));
    expect(await margin([sbin({ quantity: '1.5' })])).toEqual(refused('Position 1: Invalid quantity format'));
    expect(await margin([sbin({ quantity: '0' })])).toEqual(refused('Position 1: Quantity must be a positive number'));
    expect(await margin([sbin({ price: '-1' })])).toEqual(refused('Position 1: Price cannot be negative'));
    expect(await margin([sbin({ price: 'cheap' })])).toEqual(refused('Position 1: Invalid price format'));
    expect(await margin([sbin({ trigger_price: 'nan' })])).toEqual(refused('Position 1: Invalid trigger price format'));
  });

  it('an unknown symbol, and a position no order could open', async () => {
    expect(await margin([sbin({ symbol: 'NOSUCH' })])).toEqual(
      refused(
        "Symbol 'NOSUCH' not found for exchange 'NSE'. Please verify the symbol name and ensure master contracts are downloaded.",
      ),
    );
    expect(await margin([sbin(), position({ symbol: FUT, action: 'BUY', quantity: '50' })])).toEqual(
      refused('Position 2: Quantity must be in multiples of lot size 65'),
    );
  });

  it('an unknown API key', async () => {
    expect(await h.post('/api/v1/margin', { apikey: 'cd'.repeat(32), positions: [sbin()] })).toEqual(
      refused('Invalid openalgo apikey', 403),
    );
  });
});

describe('rate limit', () => {
  it('counts against MARGIN_RATE_LIMIT, not the API budget', async () => {
    const limited = await startGateway({ env: { MARGIN_RATE_LIMIT: '1 per minute', API_RATE_LIMIT: '1 per minute' } });
    try {
      limited.setPrice('SBIN', 'NSE', '800');
      const ask = () => limited.post('/api/v1/margin', { apikey: limited.key, positions: [sbin()] });
      expect((await ask()).status).toBe(200);
      expect((await limited.post('/api/v1/funds', { apikey: limited.key })).status).toBe(200);
      const second = await ask();
      expect(second.status).toBe(429);
      expect(second.body.message).toBe('Rate limit exceeded. Please slow down your requests.');
    } finally {
      await limited.close();
    }
  });
});
