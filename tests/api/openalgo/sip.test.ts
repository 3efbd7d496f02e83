// sip/frequencies and sip/backtest over HTTP: a SIP into SBIN on the frozen market, its prices set through 2025 (the
// clock moved back to set each, then returned), so every installment, unit and rupee is known in advance.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xirr } from '../../../src/domain/sip-xirr.js';
import { type Harness, T0, startGateway } from '../harness.js';

let h: Harness;
const at = (day: string) => Date.parse(`${day}T10:00:00+05:30`);
const backtest = (fields: Record<string, unknown>) =>
  h.post('/api/v1/sip/backtest', { apikey: h.key, symbol: 'SBIN', start_date: '2025-01-01', end_date: '2025-07-31', amount: 10000, ...fields });
/** Without charges or grids: the plain SIP. */
const PLAIN = { cost_model: 'flat_bps', include_grids: false };

beforeAll(async () => {
  h = await startGateway();
  // Closes: 100 until 2025-03-02, 80 from 2025-03-03, 120 from 2025-06-02.
  for (const [day, price] of [['2024-12-31', '100'], ['2025-03-03', '80'], ['2025-06-02', '120']] as const) {
    h.clock.set(at(day));
    h.setPrice('SBIN', 'NSE', price);
  }
  h.clock.set(T0);
});
afterAll(() => h.close());

describe('sip/frequencies', () => {
  it('lists the four frequencies with their labels', async () => {
    const answer = await fetch(`${h.url}/api/v1/sip/frequencies?apikey=${h.key}`);
    expect(await answer.json()).toEqual({
      status: 'success',
      data: [
        { value: 'monthly', label: 'Monthly' },
        { value: 'fortnightly', label: 'Fortnightly' },
        { value: 'weekly', label: 'Weekly' },
        { value: 'quarterly', label: 'Quarterly' },
      ],
    });
  });
});

describe('sip/backtest', () => {
  it('buys whole shares at each session close, moving weekend and holiday dates to the next session and carrying the remainder', async () => {
    const { status, body } = await backtest(PLAIN);
    expect(status).toBe(200);
    expect(body.installments).toEqual([
      { requested: '2025-01-01', executed: '2025-01-01', amount: 10000 },
      { requested: '2025-02-01', executed: '2025-02-03', amount: 10000 }, // Saturday
      { requested: '2025-03-01', executed: '2025-03-03', amount: 10000 },
      { requested: '2025-04-01', executed: '2025-04-01', amount: 10000 },
      { requested: '2025-05-01', executed: '2025-05-02', amount: 10000 }, // Maharashtra Day
      { requested: '2025-06-01', executed: '2025-06-02', amount: 10000 },
      { requested: '2025-07-01', executed: '2025-07-01', amount: 10000 },
    ]);
    // 100 + 100 + 125 × 3 + 83 + 83 shares; 40 rupees left at 120 in June, 80 after July.
    const flows = [
      ...(body.installments as Array<{ executed: string }>).map(({ executed }) => ({ date: executed, amount: -10000 })),
      { date: '2025-07-31', amount: 89000 },
    ];
    expect(body.headline).toEqual({
      invested: 70000,
      final_value: 89000,
      gain: 19000,
      multiple: 89000 / 70000,
      xirr: xirr(flows),
      absolute_return: 19000 / 70000,
      installments: 7,
      units: 741,
      average_cost: 94.35897436, // 69,920 spent on 741 shares
      average_price: 97.14285714,
      cost_advantage: (94.35897436 - 97.14285714) / 97.14285714,
      charges: 0,
      cash: 80,
      start: '2025-01-01',
      end: '2025-07-31',
      years: 211 / 365,
    });
    expect(body.request).toEqual({
      symbol: 'SBIN', exchange: 'NSE', start_date: '2025-01-01', end_date: '2025-07-31', amount: 10000,
      frequency: 'monthly', day_of_month: 1, step_up_percent: 0, source: 'db',
    });
    expect(body.charges).toEqual({ total: 0, per_installment: 0, drag: 0, breakdown: {}, model: 'flat_bps', exchange: 'NSE' });
    // 80 → 120 is a move of +50 % in one session: flagged as a possible unadjusted corporate action, as OpenAlgo does.
    expect(body.warnings).toEqual(["('2025-06-02', 0.5)"]);
    expect(body.underwater).toMatchObject({ ever_underwater: true, worst_shortfall: -4000 / 30000, longest_streak_ended: '2025-05-30' });
    expect(body.lumpsum).toMatchObject({ invested: 70000, entry_price: 100, entry_date: '2025-01-01', final_value: 84000, sip_won: true });
    expect(body).not.toHaveProperty('rolling_xirr');
  });

  it("charges each installment the Indian delivery schedule, itemised, out of the money paid in", async () => {
    const { body } = await backtest({ include_grids: false, end_date: '2025-01-31' });
    // 99 shares at 100 (9,900): STT 9.90, exchange 0.30393, SEBI 0.0099, stamp 1.485 (1.48 half-even), GST 18 % of 0.31383: 11.7553194 in all.
    expect(body.charges).toEqual({
      total: 11.76,
      per_installment: 11.76,
      drag: 0.001176,
      breakdown: { brokerage: 0, stt: 9.9, exchange_txn: 0.3, sebi: 0.01, stamp_duty: 1.48, tax: 0.06, slippage: 0, total: 11.76 },
      model: 'indian_equity',
      exchange: 'NSE',
    });
    expect(body.headline).toMatchObject({ units: 99, cash: 88.2446806 });
  });

  it('adds the grids and the same SIP into a benchmark index; an unknown benchmark is reported, not fatal', async () => {
    const { body } = await backtest({ benchmark: 'NIFTY', step_up_percent: 10 });
    expect(Object.keys(body)).toEqual(expect.arrayContaining(['rolling_xirr', 'start_date_heatmap', 'crisis', 'sip_date_heatmap', 'benchmark']));
    expect((body.sip_date_heatmap as { days: number[] }).days).toHaveLength(28);
    expect(body.rolling_xirr).toEqual([]); // no whole year in the window
    expect(body.benchmark).toMatchObject({ symbol: 'NIFTY', exchange: 'NSE_INDEX', headline: { installments: 7 } });
    const missing = await backtest({ ...PLAIN, benchmark: 'NOPE' });
    expect(missing.body.benchmark).toEqual({
      symbol: 'NOPE',
      exchange: 'NSE_INDEX',
      error: "NOPE (NSE_INDEX): history request failed [400] Symbol 'NOPE' not found for exchange 'NSE_INDEX'. Please verify the symbol name and ensure master contracts are downloaded.",
    });
  });

  it("refuses bad fields with marshmallow's messages, before the key is checked", async () => {
    const { status, body } = await h.post('/api/v1/sip/backtest', {
      apikey: 'nope', symbol: 'SBIN', exchange: 'NFO', start_date: '2025-1-1', end_date: '2025-07-31', amount: 0, day_of_month: 31, extra: 1,
    });
    expect(status).toBe(400);
    expect(body).toEqual({
      status: 'error',
      message: {
        exchange: ['Must be one of: NSE, BSE.'],
        start_date: ['Length must be 10.'],
        amount: ['Must be greater than or equal to 1 and less than or equal to 10000000.0.'],
        day_of_month: ['Must be greater than or equal to 1 and less than or equal to 28.'],
        extra: ['Unknown field.'],
      },
    });
    expect(await backtest({ apikey: 'nope' })).toEqual({ status: 403, body: { status: 'error', message: 'Invalid openalgo apikey' } });
  });

  it('answers 400 for impossible dates and 422 for prices that cannot carry the SIP', async () => {
    expect(await backtest({ start_date: '2025-02-30' })).toEqual({ status: 400, body: { status: 'error', message: "start_date must be YYYY-MM-DD, got '2025-02-30'" } });
    expect(await backtest({ end_date: '2025-01-01' })).toEqual({ status: 400, body: { status: 'error', message: 'end_date must be after start_date' } });
    expect(await backtest({ start_date: '2025-01-04', end_date: '2025-01-05' })).toEqual({
      status: 422,
      body: { status: 'error', message: 'only 0 session(s) are common to all 1 symbols between 2025-01-04 and 2025-01-05; a shorter window or a symbol with a later listing date is likely' },
    });
    // 70 rupees in all never reach a share at 80 or more.
    expect(await backtest({ amount: 10, ...PLAIN })).toEqual({
      status: 422,
      body: { status: 'error', message: 'no installment could afford a single share: the price exceeds the amount available after charges. Increase the installment.' },
    });
  });
});
