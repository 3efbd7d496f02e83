// On a walking market the option strikes follow the index: every expiry lists the strikes around the index's level at
// the start of the session day (as well as those around its reference), so ATM is a listed strike next to the quote.
// With the default seed SENSEX opens the test days near 80,000, far below its 85,000 reference (strikes 83,000–87,000).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startGateway } from '../harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startGateway({ env: { ORDERGATE_MARKET: 'walk' } });
});
afterAll(() => h.close());

const call = (route: string, body: Record<string, unknown>) => h.post(`/api/v1/${route}`, { apikey: h.key, ...body });
const ltpOf = async (symbol: string, exchange: string) => ((await call('quotes', { symbol, exchange })).body.data as { ltp: number }).ltp;

/** The ATM call's strike and the index's last price, asked at the same instant. */
async function atm(underlying: string, exchange: string, expiry: string): Promise<{ strike: number; ltp: number }> {
  const ltp = await ltpOf(underlying, exchange);
  const reply = await call('optionsymbol', { underlying, exchange, expiry_date: expiry, offset: 'ATM', option_type: 'CE' });
  expect(reply.status).toBe(200);
  const symbol = reply.body.symbol as string;
  expect(reply.body.underlying_ltp).toBe(ltp);
  return { strike: Number(symbol.slice(underlying.length + 7, -2)), ltp };
}

describe('option strikes on a walking market', () => {
  it.each([
    ['SENSEX', 'BSE_INDEX', '26NOV26', 100],
    ['NIFTY', 'NSE_INDEX', '01DEC26', 50],
  ])('at start, %s ATM is the strike nearest its quote', async (underlying, exchange, expiry, step) => {
    const { strike, ltp } = await atm(underlying, exchange, expiry);
    expect(Math.abs(strike - ltp)).toBeLessThanOrEqual(step / 2);
    if (underlying === 'SENSEX') expect(ltp).toBeLessThan(82_000);
  });

  it.each([
    ['SENSEX', 'BSE_INDEX', '10DEC26', 100],
    ['NIFTY', 'NSE_INDEX', '08DEC26', 50],
  ])('after the daily listing of 7 December, %s ATM is the strike nearest its quote', async (underlying, exchange, expiry, step) => {
    h.clock.set(Date.parse('2026-12-07T10:00:00+05:30'));
    h.tick();
    const { strike, ltp } = await atm(underlying, exchange, expiry);
    expect(Math.abs(strike - ltp)).toBeLessThanOrEqual(step / 2);
    if (underlying === 'SENSEX') expect(ltp).toBeLessThan(82_000);
  });

  it("the chain around ATM holds the strikes listed around the day's open (77,100–81,100), none of the reference's", async () => {
    // SENSEX opened the session day at 79,070.53 (ATM 79,100) and trades at 78,966.88 (ATM 79,000) at 10:00.
    const reply = await call('optionchain', { underlying: 'SENSEX', exchange: 'BSE_INDEX', expiry_date: '10DEC26', strike_count: 20 });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ underlying_ltp: 78966.88, atm_strike: 79000 });
    const strikes = (reply.body.chain as { strike: number }[]).map((row) => row.strike);
    expect(strikes).toEqual(Array.from({ length: 40 }, (_, k) => 77_100 + 100 * k));
  });
});
