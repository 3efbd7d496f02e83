// optiongreeks and multioptiongreeks over HTTP, on the frozen market at T0 = 2026-11-25 10:00 IST.
//
// Expected greeks were worked out with /usr/bin/python3 from independent formulas (N(x) through math.erf, the
// Black-76 price, theta written as (r·V − e^(−rt)·F·φ(d1)·σ/(2√t))/365, the implied volatility from
// scipy.optimize.brentq), rounded with Python's round(). NIFTY01DEC26 expires 2026-12-01 15:30 IST: 6 d 5.5 h away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { T0, type Harness, startGateway } from '../harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startGateway();
  h.setPrice('NIFTY', 'NSE_INDEX', '26010');
  // The synthetic future of 01DEC26: ATM 26000 + 182.40 − 170.05 = 26012.35.
  h.setPrice('NIFTY01DEC2626000CE', 'NFO', '182.4');
  h.setPrice('NIFTY01DEC2626000PE', 'NFO', '170.05');
  h.setPrice('NIFTY01DEC2626100PE', 'NFO', '201.15');
  h.setPrice('NIFTY01DEC2625500CE', 'NFO', '512.35');
  h.setPrice('NIFTY01DEC2626500CE', 'NFO', '26100');
  h.setPrice('NIFTY29DEC26FUT', 'NFO', '26150.6');
  h.setPrice('RELIANCE29DEC261600CE', 'NFO', '3.2');
  h.setPrice('SENSEX', 'BSE_INDEX', '85000');
  h.setPrice('SENSEX26NOV2685000CE', 'BFO', '256.1');
  h.setPrice('SENSEX26NOV2685000PE', 'BFO', '240.95');
});
afterAll(() => h.close());

const post = (path: string, body: Record<string, unknown>) => h.post(`/api/v1/${path}`, { apikey: h.key, ...body });

const NIFTY_CE = 'NIFTY01DEC2626000CE';
const NIFTY_PE = 'NIFTY01DEC2626100PE';
const notFound = (symbol: string, exchange: string) =>
  `Symbol '${symbol}' not found for exchange '${exchange}'. Please verify the symbol name and ensure master contracts are downloaded.`;

/** Python: F 26012.35, K 26000, 6.2292 days, r 0, price 182.40 → σ 0.12997140993. */
const NIFTY_CE_GREEKS = { delta: 0.5145, gamma: 0.000903, theta: -14.1338, vega: 13.5478, rho: -0.031129 };

describe('optiongreeks', () => {
  it('prices an option on the synthetic future of its expiry, with OpenAlgo\'s fields and rounding', async () => {
    const reply = await post('optiongreeks', { symbol: NIFTY_CE, exchange: 'NFO' });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      status: 'success',
      symbol: NIFTY_CE,
      exchange: 'NFO',
      underlying: 'NIFTY',
      strike: 26000,
      option_type: 'CE',
      expiry_date: '01-Dec-2026',
      days_to_expiry: 6.2292,
      spot_price: 26012.35,
      option_price: 182.4,
      interest_rate: 0,
      implied_volatility: 13,
      greeks: NIFTY_CE_GREEKS,
    });
  });

  it('discounts at the interest rate given (numeric text accepted): a put at 7 %', async () => {
    // Python: σ 0.11311316817; delta −0.5864636795, gamma 0.0010118017, theta −11.9607822897, vega 13.2161459764
    const reply = await post('optiongreeks', { symbol: NIFTY_PE, exchange: 'NFO', interest_rate: '7' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ spot_price: 26012.35, option_price: 201.15, interest_rate: 7, implied_volatility: 11.31 });
    expect(reply.body.greeks).toEqual({ delta: -0.5865, gamma: 0.001012, theta: -11.9608, vega: 13.2161, rho: -0.034329 });
  });

  it('prices on the forward_price given, quoting no underlying', async () => {
    // Python: F 1520.40, K 1600, 34.2292 days, r 6.5 %, price 3.20 → σ 0.13329933249
    const reply = await post('optiongreeks', {
      symbol: 'RELIANCE29DEC261600CE',
      exchange: 'NFO',
      forward_price: 1520.4,
      interest_rate: 6.5,
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ underlying: 'RELIANCE', expiry_date: '29-Dec-2026', days_to_expiry: 34.2292, spot_price: 1520.4 });
    expect(reply.body.implied_volatility).toBe(13.33);
    expect(reply.body.greeks).toEqual({ delta: 0.1087, gamma: 0.003, theta: -0.1682, vega: 0.8668, rho: -0.003001 });
  });

  it('quotes the underlying the client names instead of the synthetic future', async () => {
    // Python: F 26150.60, K 26000, 6.2292 days, r 0, price 182.40 → σ 0.06415173504
    const reply = await post('optiongreeks', {
      symbol: NIFTY_CE,
      exchange: 'NFO',
      underlying_symbol: 'NIFTY29DEC26FUT',
      underlying_exchange: 'NFO',
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ spot_price: 26150.6, implied_volatility: 6.42 });
    expect(reply.body.greeks).toEqual({ delta: 0.756, gamma: 0.001431, theta: -5.5185, vega: 10.7169, rho: -0.031129 });
  });

  it('counts time to the expiry_time given: 12:00 leaves 6 d 2 h', async () => {
    // Python: 6.0833 days → σ 0.13152006010; theta −14.4725741393, vega 13.3882987306, rho −0.0304
    const reply = await post('optiongreeks', { symbol: NIFTY_CE, exchange: 'NFO', expiry_time: '12:00' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ days_to_expiry: 6.0833, implied_volatility: 13.15 });
    expect(reply.body.greeks).toEqual({ delta: 0.5145, gamma: 0.000903, theta: -14.4726, vega: 13.3883, rho: -0.0304 });
  });

  it('gives theoretical greeks to an option with no time value', async () => {
    const reply = await post('optiongreeks', { symbol: 'NIFTY01DEC2625500CE', exchange: 'NFO' });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      spot_price: 26012.35,
      option_price: 512.35,
      intrinsic_value: 512.35,
      time_value: 0,
      implied_volatility: 0,
      greeks: { delta: 1, gamma: 0, theta: 0, vega: 0, rho: 0 },
      note: 'Deep ITM option with no time value - theoretical Greeks returned',
    });
  });

  it('refuses a price above what any volatility gives', async () => {
    const reply = await post('optiongreeks', { symbol: 'NIFTY01DEC2626500CE', exchange: 'NFO' });
    expect(reply).toEqual({
      status: 400,
      body: { status: 'error', message: 'Failed to calculate Implied Volatility: price exceeds theoretical maximum' },
    });
  });

  it('refuses a symbol that is not an option, in OpenAlgo\'s words', async () => {
    const reply = await post('optiongreeks', { symbol: 'NIFTY29DEC26FUT', exchange: 'NFO' });
    expect(reply).toEqual({
      status: 400,
      body: {
        status: 'error',
        message: 'Failed to get option Greeks: Failed to parse option symbol NIFTY29DEC26FUT: Invalid option symbol format: NIFTY29DEC26FUT',
      },
    });
  });

  it('refuses an option that is not listed, and one whose underlying is unknown', async () => {
    const unlisted = await post('optiongreeks', { symbol: 'NIFTY01DEC2699999CE', exchange: 'NFO' });
    expect(unlisted).toEqual({
      status: 400,
      body: { status: 'error', message: `Failed to fetch option price: ${notFound('NIFTY01DEC2699999CE', 'NFO')}` },
    });
    const orphan = await post('optiongreeks', { symbol: 'NOSUCH01DEC26100CE', exchange: 'NFO' });
    expect(orphan).toEqual({
      status: 400,
      body: { status: 'error', message: `Failed to fetch underlying price: ${notFound('NOSUCH', 'NSE')}` },
    });
    const badExchange = await post('optiongreeks', { symbol: NIFTY_CE, exchange: 'NFO', underlying_symbol: 'NIFTY29DEC26FUT', underlying_exchange: 'XYZ' });
    expect(badExchange.status).toBe(400);
    expect(badExchange.body.message).toBe(
      "Failed to fetch underlying price: Invalid exchange 'XYZ'. Must be one of: NSE, NFO, CDS, BSE, BFO, BCD, MCX, NCDEX, NCO, NSE_INDEX, BSE_INDEX, MCX_INDEX, GLOBAL_INDEX, CRYPTO",
    );
  });

  it('refuses an unreadable expiry_time', async () => {
    const reply = await post('optiongreeks', { symbol: NIFTY_CE, exchange: 'NFO', expiry_time: '9' });
    expect(reply).toEqual({
      status: 400,
      body: {
        status: 'error',
        message: `Failed to get option Greeks: Failed to parse option symbol ${NIFTY_CE}: Invalid expiry_time format: 9. Use HH:MM format (e.g., '15:30', '19:00')`,
      },
    });
  });

  it('validates as OpenAlgo: the F&O exchanges only, a rate of 0–100, no unknown fields', async () => {
    const exchange = await post('optiongreeks', { symbol: 'SBIN', exchange: 'NSE' });
    expect(exchange).toEqual({
      status: 400,
      body: {
        status: 'error',
        message: 'Validation failed',
        errors: { exchange: ['Must be one of: NFO, BFO, MCX, CDS, NCO, BCD, NCDEX, CRYPTO.'] },
      },
    });
    const rate = await post('optiongreeks', { symbol: NIFTY_CE, exchange: 'NFO', interest_rate: 101 });
    expect(rate.status).toBe(400);
    expect(rate.body.errors).toEqual({ interest_rate: ['Must be greater than or equal to 0 and less than or equal to 100.'] });
    const text = await post('optiongreeks', { symbol: NIFTY_CE, exchange: 'NFO', interest_rate: 'seven' });
    expect(text.body.errors).toEqual({ interest_rate: ['Not a valid number.'] });
    const unknown = await post('optiongreeks', { symbol: NIFTY_CE, exchange: 'NFO', strike: 26000 });
    expect(unknown.body).toEqual({ status: 'error', message: 'Validation failed', errors: { strike: ['Unknown field.'] } });
  });

  it('counts against GREEKS_RATE_LIMIT', async () => {
    const limited = await startGateway({ env: { GREEKS_RATE_LIMIT: '2 per minute' } });
    try {
      const ask = () => limited.post('/api/v1/optiongreeks', { apikey: limited.key, symbol: NIFTY_CE, exchange: 'NFO' });
      expect((await ask()).status).toBe(200);
      expect((await ask()).status).toBe(200);
      const third = await ask();
      expect(third.status).toBe(429);
      expect(third.body.message).toBe('Rate limit exceeded. Please slow down your requests.');
      const batch = await limited.post('/api/v1/multioptiongreeks', { apikey: limited.key, symbols: [{ symbol: NIFTY_CE, exchange: 'NFO' }] });
      expect(batch.status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('multioptiongreeks', () => {
  it('values each option in request order and reports the others\' failures, status partial', async () => {
    const reply = await post('multioptiongreeks', {
      symbols: [
        { symbol: NIFTY_CE, exchange: 'NFO' },
        { symbol: 'NIFTY29DEC26FUT', exchange: 'NFO' },
        { symbol: 'NOSUCH01DEC26100CE', exchange: 'NFO' },
        { symbol: 'NIFTY01DEC2699999CE', exchange: 'NFO' },
        { symbol: NIFTY_PE, exchange: 'NFO' },
      ],
      interest_rate: 7,
    });
    expect(reply.status).toBe(200);
    const parseError =
      'Failed to parse option symbol: Failed to parse option symbol NIFTY29DEC26FUT: Invalid option symbol format: NIFTY29DEC26FUT';
    expect(reply.body).toMatchObject({
      status: 'partial',
      summary: { total: 5, success: 2, failed: 3 },
      message: `3 option Greeks calculation(s) failed: ${parseError}; Failed to fetch underlying price for NOSUCH; Option LTP not available`,
    });
    const data = reply.body.data as Record<string, unknown>[];
    // Python: the CE at r = 7 % → σ 0.13013234461; delta 0.5139176665, gamma 0.0009004707, theta −14.0993882864
    expect(data[0]).toMatchObject({ status: 'success', symbol: NIFTY_CE, spot_price: 26012.35, interest_rate: 7, implied_volatility: 13.01 });
    expect(data[0]?.greeks).toEqual({ delta: 0.5139, gamma: 0.0009, theta: -14.0994, vega: 13.5317, rho: -0.031129 });
    expect(data.slice(1, 4)).toEqual([
      { status: 'error', symbol: 'NIFTY29DEC26FUT', exchange: 'NFO', message: parseError },
      { status: 'error', symbol: 'NOSUCH01DEC26100CE', exchange: 'NFO', message: 'Failed to fetch underlying price for NOSUCH' },
      { status: 'error', symbol: 'NIFTY01DEC2699999CE', exchange: 'NFO', message: 'Option LTP not available' },
    ]);
    expect(data[4]).toMatchObject({ status: 'success', symbol: NIFTY_PE, implied_volatility: 11.31 });
  });

  it('is status error, still a 200, when every option fails', async () => {
    const reply = await post('multioptiongreeks', { symbols: [{ symbol: 'NIFTY01DEC2699999CE', exchange: 'NFO' }] });
    expect(reply).toEqual({
      status: 200,
      body: {
        status: 'error',
        data: [{ status: 'error', symbol: 'NIFTY01DEC2699999CE', exchange: 'NFO', message: 'Option LTP not available' }],
        summary: { total: 1, success: 0, failed: 1 },
        message: 'All option Greeks calculations failed: Option LTP not available',
      },
    });
  });

  it('validates the list: 1 to 50 options, each with an F&O exchange', async () => {
    const many = Array.from({ length: 51 }, () => ({ symbol: NIFTY_CE, exchange: 'NFO' }));
    expect((await post('multioptiongreeks', { symbols: many })).body).toEqual({
      status: 'error',
      message: 'Validation failed',
      errors: { symbols: ['Length must be between 1 and 50.'] },
    });
    const item = await post('multioptiongreeks', { symbols: [{ symbol: NIFTY_CE, exchange: 'NSE' }] });
    expect(item.status).toBe(400);
    expect(item.body.errors).toEqual({ symbols: { 0: { exchange: ['Must be one of: NFO, BFO, MCX, CDS, NCO, BCD, NCDEX, CRYPTO.'] } } });
  });
});

describe('a wrong API key', () => {
  it.each(['optiongreeks', 'multioptiongreeks'])('is a 401 on %s, as OpenAlgo answers there', async (route) => {
    const body = route === 'optiongreeks' ? { symbol: NIFTY_CE, exchange: 'NFO' } : { symbols: [{ symbol: NIFTY_CE, exchange: 'NFO' }] };
    const reply = await h.post(`/api/v1/${route}`, { ...body, apikey: 'cd'.repeat(32) });
    expect(reply).toEqual({ status: 401, body: { status: 'error', message: 'Invalid openalgo apikey' } });
  });
});

describe('an expired option', () => {
  // SENSEX26NOV26 expires 2026-11-26 15:30 IST; the clock is moved past it (the frozen market keeps its prices).
  const AFTER_EXPIRY = T0 + 30 * 3_600_000; // 2026-11-26 16:00 IST
  const SENSEX_CE = 'SENSEX26NOV2685000CE';

  it('is refused by optiongreeks', async () => {
    h.clock.set(AFTER_EXPIRY);
    try {
      const reply = await post('optiongreeks', { symbol: SENSEX_CE, exchange: 'BFO' });
      expect(reply).toEqual({ status: 400, body: { status: 'error', message: 'Option has expired on 26-Nov-2026' } });
    } finally {
      h.clock.set(T0);
    }
  });

  it('is a success with zero greeks in a batch', async () => {
    h.clock.set(AFTER_EXPIRY);
    try {
      const reply = await post('multioptiongreeks', { symbols: [{ symbol: SENSEX_CE, exchange: 'BFO' }] });
      expect(reply.status).toBe(200);
      // The synthetic future: 85000 + 256.10 − 240.95 = 85015.15; intrinsic 15.15, time value 240.95.
      expect(reply.body).toEqual({
        status: 'success',
        data: [
          {
            status: 'success',
            symbol: SENSEX_CE,
            exchange: 'BFO',
            underlying: 'SENSEX',
            strike: 85000,
            option_type: 'CE',
            expiry_date: '26-Nov-2026',
            days_to_expiry: 0,
            spot_price: 85015.15,
            option_price: 256.1,
            intrinsic_value: 15.15,
            time_value: 240.95,
            interest_rate: 0,
            implied_volatility: 0,
            greeks: { delta: 0, gamma: 0, theta: 0, vega: 0, rho: 0 },
            note: 'Option has expired - Greeks are no longer applicable',
          },
        ],
        summary: { total: 1, success: 1, failed: 0 },
      });
    } finally {
      h.clock.set(T0);
    }
  });
});
