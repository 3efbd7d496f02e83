// optionsymbol, optionchain, syntheticfuture, optionsorder and optionsmultiorder over HTTP on the frozen market. At T0
// (2026-11-25) NIFTY's options list weekly expiries from 01DEC26 with 41 strikes 25000–27000 a step of 50 apart,
// BANKNIFTY's monthlies 57000–61000 a step of 100, RELIANCE's 1340–1740 a step of 10, SENSEX's 83000–87000.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startGateway } from '../harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startGateway();
});
afterAll(() => h.close());
beforeEach(() => {
  h.setPrice('NIFTY', 'NSE_INDEX', '26012');
});

const call = (route: string, body: Record<string, unknown>) => h.post(`/api/v1/${route}`, { apikey: h.key, ...body });
const niftyWeekly = { underlying: 'NIFTY', exchange: 'NSE_INDEX', expiry_date: '01DEC26' };
const orders = async () =>
  ((await call('orderbook', {})).body.data as { orders: Record<string, unknown>[] }).orders.map((o) => ({
    orderid: o.orderid,
    action: o.action,
    symbol: o.symbol,
    quantity: o.quantity,
    strategy: o.strategy,
  }));

describe('optionsymbol', () => {
  it.each([
    [{ ...niftyWeekly, offset: 'ITM2', option_type: 'CE' }, 'NIFTY01DEC2625900CE', 65, 1800, 26012],
    [{ ...niftyWeekly, offset: 'itm2', option_type: 'pe' }, 'NIFTY01DEC2626100PE', 65, 1800, 26012],
    [{ ...niftyWeekly, offset: 'OTM20', option_type: 'CE' }, 'NIFTY01DEC2627000CE', 65, 1800, 26012],
    [{ underlying: 'NIFTY29DEC26FUT', exchange: 'NFO', offset: 'ATM', option_type: 'CE' }, 'NIFTY29DEC2626000CE', 65, 1800, 26012],
    [{ ...niftyWeekly, strike_int: 100, offset: 'OTM1', option_type: 'CE' }, 'NIFTY01DEC2626100CE', 65, 1800, 26012],
    [{ underlying: 'BANKNIFTY', exchange: 'NFO', expiry_date: '29DEC26', offset: 'OTM3', option_type: 'PE' }, 'BANKNIFTY29DEC2658700PE', 30, 900, 59040],
    [{ underlying: 'RELIANCE', exchange: 'NSE', expiry_date: '29DEC26', offset: 'ITM1', option_type: 'PE' }, 'RELIANCE29DEC261550PE', 500, 10000, 1544.5],
    [{ underlying: 'SENSEX', exchange: 'BSE_INDEX', expiry_date: '26NOV26', offset: 'OTM1', option_type: 'CE' }, 'SENSEX26NOV2685100CE', 20, 1000, 84990],
  ])('%j resolves to %s', async (body, symbol, lotsize, freeze, ltp) => {
    h.setPrice('BANKNIFTY', 'NSE_INDEX', '59040');
    h.setPrice('RELIANCE', 'NSE', '1544.5');
    h.setPrice('SENSEX', 'BSE_INDEX', '84990');
    const reply = await call('optionsymbol', body);
    expect(reply).toEqual({
      status: 200,
      body: {
        status: 'success',
        symbol,
        exchange: symbol.startsWith('SENSEX') ? 'BFO' : 'NFO',
        lotsize,
        tick_size: 0.05,
        freeze_qty: freeze,
        underlying_ltp: ltp,
      },
    });
  });

  // MCX and CDS options are written on the future of their month (the first expiring on or after them), the price
  // reference; at T0 CRUDEOIL lists 4300–6300 a step of 50, USDINR 83.5–93.5 a step of 0.25.
  it.each([
    [{ underlying: 'CRUDEOIL', exchange: 'MCX', expiry_date: '16DEC26', offset: 'ATM', option_type: 'CE' }, 'CRUDEOIL16DEC265500CE', 'MCX', 100, 0.1, 10000, 5512],
    [{ underlying: 'CRUDEOIL', exchange: 'MCX', expiry_date: '16DEC26', offset: 'ITM2', option_type: 'CE' }, 'CRUDEOIL16DEC265400CE', 'MCX', 100, 0.1, 10000, 5512],
    [{ underlying: 'CRUDEOIL', exchange: 'MCX', expiry_date: '16dec26', offset: 'OTM3', option_type: 'PE' }, 'CRUDEOIL16DEC265350PE', 'MCX', 100, 0.1, 10000, 5512],
    [{ underlying: 'CRUDEOIL', exchange: 'MCX', expiry_date: '15JAN27', offset: 'ATM', option_type: 'CE' }, 'CRUDEOIL15JAN275650CE', 'MCX', 100, 0.1, 10000, 5640],
    [{ underlying: 'USDINR', exchange: 'CDS', expiry_date: '29DEC26', offset: 'ATM', option_type: 'PE' }, 'USDINR29DEC2688.75PE', 'CDS', 1000, 0.0025, 10000000, 88.63],
    [{ underlying: 'USDINR', exchange: 'CDS', expiry_date: '29DEC26', offset: 'ITM1', option_type: 'PE' }, 'USDINR29DEC2689PE', 'CDS', 1000, 0.0025, 10000000, 88.63],
    [{ underlying: 'USDINR', exchange: 'CDS', expiry_date: '29DEC26', offset: 'OTM3', option_type: 'CE' }, 'USDINR29DEC2689.5CE', 'CDS', 1000, 0.0025, 10000000, 88.63],
    [{ underlying: 'USDINR29DEC26FUT', exchange: 'CDS', expiry_date: '29DEC26', offset: 'ITM3', option_type: 'CE' }, 'USDINR29DEC2688CE', 'CDS', 1000, 0.0025, 10000000, 88.63],
  ])('%j resolves to %s against the future of its month', async (body, symbol, exchange, lotsize, tick, freeze, ltp) => {
    h.setPrice('CRUDEOIL18DEC26FUT', 'MCX', '5512');
    h.setPrice('CRUDEOIL19JAN27FUT', 'MCX', '5640');
    h.setPrice('USDINR26NOV26FUT', 'CDS', '88.1');
    h.setPrice('USDINR29DEC26FUT', 'CDS', '88.63');
    expect(await call('optionsymbol', body)).toEqual({
      status: 200,
      body: { status: 'success', symbol, exchange, lotsize, tick_size: tick, freeze_qty: freeze, underlying_ltp: ltp },
    });
  });

  it.each([
    [{ ...niftyWeekly, offset: 'OTM21', option_type: 'CE' }, 400, 'Offset OTM21 is out of range for available strikes. Please use a smaller offset.'],
    [{ underlying: 'NIFTY', exchange: 'NSE_INDEX', offset: 'ATM', option_type: 'CE' }, 400, 'Expiry date required. Provide via expiry_date parameter or embed in underlying (e.g., NIFTY28OCT25FUT).'],
    [{ ...niftyWeekly, expiry_date: '02DEC26', offset: 'ATM', option_type: 'CE' }, 404, 'No strikes found for NIFTY expiring 02DEC26. Please check expiry date or update master contract.'],
    [{ ...niftyWeekly, strike_int: 30, offset: 'ATM', option_type: 'CE' }, 404, 'Option symbol NIFTY01DEC2626010CE not found in NFO. Symbol may not exist or master contract needs update.'],
    [
      { ...niftyWeekly, underlying: 'NIFTYX', offset: 'ATM', option_type: 'CE' },
      400,
      "Failed to fetch LTP for NIFTYX. Symbol 'NIFTYX' not found for exchange 'NSE_INDEX'. Please verify the symbol name and ensure master contracts are downloaded.",
    ],
    // CRUDEOIL's December options expire on 16DEC26, two trading days before CRUDEOIL18DEC26FUT.
    [{ underlying: 'CRUDEOIL', exchange: 'MCX', expiry_date: '18DEC26', offset: 'ATM', option_type: 'CE' }, 404, 'No strikes found for CRUDEOIL expiring 18DEC26. Please check expiry date or update master contract.'],
    [
      { underlying: 'GOLDPETAL', exchange: 'MCX', expiry_date: '16DEC26', offset: 'ATM', option_type: 'CE' },
      404,
      'No unexpired futures found for GOLDPETAL on MCX. MCX options are priced against the near-month future, which this product does not currently have.',
    ],
  ])('%j answers %i: %s', async (body, status, message) => {
    expect(await call('optionsymbol', body)).toEqual({ status, body: { status: 'error', message } });
  });

  it.each([
    [{ offset: 'ITM51', option_type: 'CE' }, { offset: ['Offset must be ATM, ITM1-ITM50, or OTM1-OTM50'] }],
    [{ offset: 'ATM', option_type: 'XX' }, { option_type: ['Must be one of: CE, PE, ce, pe.'] }],
    [{ offset: 'ATM', option_type: 'CE', strike_int: 0 }, { strike_int: ['Must be greater than or equal to 1.'] }],
    [{ offset: 'ATM', option_type: 'CE', quantity: 1 }, { quantity: ['Unknown field.'] }],
    [{ option_type: 'CE' }, { offset: ['Missing data for required field.'] }],
  ])('validation failures of %j are listed under errors', async (body, errors) => {
    expect(await call('optionsymbol', { ...niftyWeekly, ...body })).toEqual({
      status: 400,
      body: { status: 'error', message: 'Validation error', errors },
    });
  });
});

describe('optionchain', () => {
  beforeEach(() => {
    h.setPrice('NIFTY01DEC2626000CE', 'NFO', '200.3');
    h.setPrice('NIFTY01DEC2626000PE', 'NFO', '172.55');
  });

  it('lists strike_count strikes each side of ATM with labels per right, quotes, sizes and contract terms', async () => {
    const reply = await call('optionchain', { ...niftyWeekly, strike_count: 1 });
    expect(reply.status).toBe(200);
    const { chain, ...head } = reply.body as { chain: { strike: number; ce: Record<string, unknown>; pe: Record<string, unknown> }[] };
    expect(head).toEqual({
      status: 'success',
      underlying: 'NIFTY',
      underlying_symbol: 'NIFTY',
      underlying_exchange: 'NSE_INDEX',
      underlying_ltp: 26012,
      underlying_prev_close: 26000,
      expiry_date: '01DEC26',
      expiry_ts: Date.UTC(2026, 11, 1, 10, 0) / 1000,
      server_ts: Date.UTC(2026, 10, 25, 4, 30) / 1000,
      atm_strike: 26000,
      quotes_included: true,
      greeks_included: false,
      forward_price: null,
    });
    expect(chain.map((row) => [row.strike, row.ce.symbol, row.ce.label, row.pe.symbol, row.pe.label])).toEqual([
      [25950, 'NIFTY01DEC2625950CE', 'ITM1', 'NIFTY01DEC2625950PE', 'OTM1'],
      [26000, 'NIFTY01DEC2626000CE', 'ATM', 'NIFTY01DEC2626000PE', 'ATM'],
      [26050, 'NIFTY01DEC2626050CE', 'OTM1', 'NIFTY01DEC2626050PE', 'ITM1'],
    ]);
    expect(chain[1]?.ce).toEqual({
      symbol: 'NIFTY01DEC2626000CE',
      label: 'ATM',
      ltp: 200.3,
      bid: 200.2,
      ask: 200.4,
      bid_qty: 650,
      ask_qty: 650,
      open: 200.3,
      high: 200.3,
      low: 200.3,
      prev_close: 200.3,
      volume: expect.any(Number),
      oi: 0,
      lotsize: 65,
      tick_size: 0.05,
    });
    expect(chain[1]?.pe).toMatchObject({ ltp: 172.55, bid: 172.45, ask: 172.65 });
  });

  it('without strike_count lists the whole ladder; an expiry inside the underlying wins', async () => {
    const reply = await call('optionchain', { ...niftyWeekly, underlying: 'NIFTY29DEC26FUT' });
    const chain = reply.body.chain as { strike: number; ce: { symbol: string; label: string } }[];
    expect(reply.body.expiry_date).toBe('29DEC26');
    expect(chain).toHaveLength(41);
    expect([chain[0]?.strike, chain[0]?.ce.label, chain[40]?.strike, chain[40]?.ce.label]).toEqual([25000, 'ITM20', 27000, 'OTM20']);
    expect(chain[20]?.ce.symbol).toBe('NIFTY29DEC2626000CE');
  });

  it('with_greeks prices every leg off the forward the ATM pair implies, to the 15:30 cut-off', async () => {
    const reply = await call('optionchain', { ...niftyWeekly, strike_count: 1, with_greeks: 'true', interest_rate: 0 });
    expect(reply.body).toMatchObject({ greeks_included: true, forward_price: 26027.75 });
    const atm = (reply.body.chain as Record<string, Record<string, unknown>>[])[1];
    expect(atm?.ce).toMatchObject({ implied_volatility: 13.73, delta: 0.5273, gamma: 0.000853, theta: -14.9106, vega: 13.5331 });
    expect(atm?.pe).toMatchObject({ implied_volatility: 13.73, delta: -0.4727, gamma: 0.000853, theta: -14.9106, vega: 13.5331 });
  });

  it('a price with no time value gets theoretical greeks: IV 0, delta 1 in the money', async () => {
    // Below its intrinsic value on the forward: 26027.75 − 25950 = 77.75.
    h.setPrice('NIFTY01DEC2625950CE', 'NFO', '50');
    h.clock.advance(1000); // past the gateway's quote cache, which kept the earlier price
    const reply = await call('optionchain', { ...niftyWeekly, strike_count: 1, with_greeks: true });
    const itm = (reply.body.chain as Record<string, Record<string, unknown>>[])[0];
    expect(itm?.ce).toMatchObject({ ltp: 50, implied_volatility: 0, delta: 1, gamma: 0, theta: 0, vega: 0 });
  });

  it('validates strike_count and interest_rate', async () => {
    expect(await call('optionchain', { ...niftyWeekly, strike_count: 101, interest_rate: -1 })).toEqual({
      status: 400,
      body: {
        status: 'error',
        message: 'Validation error',
        errors: { interest_rate: ['Must be greater than or equal to 0 and less than or equal to 100.'], strike_count: ['Must be greater than or equal to 1 and less than or equal to 100.'] },
      },
    });
  });

  it("reads with_greeks as marshmallow does ('True', 'yes', '1' / 'off', 'N', '0'), as the SDK passes its kwargs through", async () => {
    const included = async (withGreeks: unknown) =>
      (await call('optionchain', { ...niftyWeekly, strike_count: 1, with_greeks: withGreeks })).body.greeks_included;
    expect([await included('True'), await included('yes'), await included('1'), await included(1)]).toEqual([true, true, true, true]);
    expect([await included('off'), await included('N'), await included('0'), await included(0)]).toEqual([false, false, false, false]);
    expect(await call('optionchain', { ...niftyWeekly, with_greeks: 'maybe' })).toEqual({
      status: 400,
      body: { status: 'error', message: 'Validation error', errors: { with_greeks: ['Not a valid boolean.'] } },
    });
  });
});

describe('syntheticfuture', () => {
  it('is the ATM strike plus the ATM call less the ATM put', async () => {
    h.setPrice('NIFTY01DEC2626000CE', 'NFO', '200.3');
    h.setPrice('NIFTY01DEC2626000PE', 'NFO', '172.55');
    expect(await call('syntheticfuture', niftyWeekly)).toEqual({
      status: 200,
      body: { status: 'success', underlying: 'NIFTY', underlying_ltp: 26012, expiry: '01DEC26', atm_strike: 26000, synthetic_future_price: 26027.75 },
    });
  });
});

describe('optionsorder', () => {
  const base = { strategy: 'opt', ...niftyWeekly, action: 'BUY', product: 'NRML' };

  it('places the resolved contract on NFO, visible in the order book', async () => {
    const reply = await call('optionsorder', { ...base, offset: 'OTM1', option_type: 'PE', quantity: 65 });
    expect(reply).toEqual({
      status: 200,
      body: {
        status: 'success',
        orderid: expect.stringMatching(/^\d{14}$/),
        symbol: 'NIFTY01DEC2625950PE',
        exchange: 'NFO',
        underlying: 'NIFTY',
        underlying_ltp: 26012,
        offset: 'OTM1',
        option_type: 'PE',
      },
    });
    expect((await orders())[0]).toEqual({ orderid: reply.body.orderid, action: 'BUY', symbol: 'NIFTY01DEC2625950PE', quantity: 65, strategy: 'opt' });
  });

  it('splits into children of splitsize, the remainder last', async () => {
    const reply = await call('optionsorder', { ...base, offset: 'ATM', option_type: 'ce', quantity: 325, splitsize: 130 });
    expect(reply.body).toMatchObject({ symbol: 'NIFTY01DEC2626000CE', option_type: 'CE', total_quantity: 325, split_size: 130 });
    expect((reply.body.results as Record<string, unknown>[]).map((r) => [r.order_num, r.quantity, r.status])).toEqual([
      [1, 130, 'success'],
      [2, 130, 'success'],
      [3, 65, 'success'],
    ]);
  });

  it('places a USDINR option resolved against USDINR29DEC26FUT on CDS', async () => {
    h.setPrice('USDINR29DEC26FUT', 'CDS', '84.1');
    const reply = await call('optionsorder', {
      strategy: 'fx',
      underlying: 'USDINR',
      exchange: 'CDS',
      expiry_date: '29DEC26',
      action: 'SELL',
      product: 'NRML',
      offset: 'OTM1',
      option_type: 'CE',
      quantity: 2000,
    });
    expect(reply).toEqual({
      status: 200,
      body: {
        status: 'success',
        orderid: expect.stringMatching(/^\d{14}$/),
        symbol: 'USDINR29DEC2684.25CE',
        exchange: 'CDS',
        underlying: 'USDINR',
        underlying_ltp: 84.1,
        offset: 'OTM1',
        option_type: 'CE',
      },
    });
    expect((await orders())[0]).toEqual({ orderid: reply.body.orderid, action: 'SELL', symbol: 'USDINR29DEC2684.25CE', quantity: 2000, strategy: 'fx' });
  });

  it('refuses a quantity off the lot size with the reason, and answers validation errors in the option shape', async () => {
    expect(await call('optionsorder', { ...base, offset: 'ATM', option_type: 'CE', quantity: 50 })).toEqual({
      status: 400,
      body: { status: 'error', message: 'Quantity must be in multiples of lot size 65' },
    });
    expect(await call('optionsorder', { ...base, offset: 'ATM', option_type: 'CE', quantity: 0, product: 'CNC' })).toEqual({
      status: 400,
      body: {
        status: 'error',
        message: 'Validation error',
        errors: { product: ['Must be one of: MIS, NRML.'], quantity: ['Quantity must be a positive integer.'] },
      },
    });
  });
});

describe('optionsmultiorder', () => {
  const spread = {
    strategy: 'condor',
    ...niftyWeekly,
    legs: [
      { offset: 'OTM2', option_type: 'CE', action: 'SELL', quantity: 65 },
      { offset: 'OTM4', option_type: 'CE', action: 'BUY', quantity: 65 },
      { offset: 'OTM21', option_type: 'CE', action: 'BUY', quantity: 65 },
      { offset: 'OTM4', option_type: 'PE', action: 'buy', quantity: 130, splitsize: 65, expiry_date: '08DEC26' },
    ],
  };

  it('places BUY legs before SELL legs on one underlying price; a failing leg does not stop the others', async () => {
    const reply = await call('optionsmultiorder', spread);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: 'success', underlying: 'NIFTY', underlying_ltp: 26012 });
    const results = reply.body.results as Record<string, unknown>[];
    expect(results.map(({ orderid: _o, split_results: _s, ...rest }) => rest)).toEqual([
      { leg: 1, offset: 'OTM2', option_type: 'CE', action: 'SELL', symbol: 'NIFTY01DEC2626100CE', exchange: 'NFO', product: 'MIS', status: 'success', mode: 'live' },
      { leg: 2, offset: 'OTM4', option_type: 'CE', action: 'BUY', symbol: 'NIFTY01DEC2626200CE', exchange: 'NFO', product: 'MIS', status: 'success', mode: 'live' },
      { leg: 3, offset: 'OTM21', option_type: 'CE', action: 'BUY', status: 'error', message: 'Offset OTM21 is out of range for available strikes. Please use a smaller offset.' },
      {
        leg: 4,
        offset: 'OTM4',
        option_type: 'PE',
        action: 'BUY',
        symbol: 'NIFTY08DEC2625800PE',
        exchange: 'NFO',
        product: 'MIS',
        status: 'success',
        total_quantity: 130,
        split_size: 65,
        mode: 'live',
      },
    ]);
    // The order book lists the newest first: the SELL leg went last.
    const placed = (await orders()).slice(0, 4).reverse();
    expect(placed.map((o) => [o.action, o.symbol, o.strategy])).toEqual([
      ['BUY', 'NIFTY01DEC2626200CE', 'condor'],
      ['BUY', 'NIFTY08DEC2625800PE', 'condor'],
      ['BUY', 'NIFTY08DEC2625800PE', 'condor'],
      ['SELL', 'NIFTY01DEC2626100CE', 'condor'],
    ]);
    expect(placed[3]?.orderid).toBe(results[0]?.orderid);
  });

  it('reports a leg the broker refuses and one whose split would exceed 100 orders', async () => {
    const reply = await call('optionsmultiorder', {
      ...spread,
      legs: [
        { offset: 'ATM', option_type: 'CE', action: 'BUY', quantity: 10 },
        { offset: 'ATM', option_type: 'PE', action: 'BUY', quantity: 6565, splitsize: 65 },
      ],
    });
    expect(reply.body.results).toEqual([
      { leg: 1, offset: 'ATM', option_type: 'CE', action: 'BUY', symbol: 'NIFTY01DEC2626000CE', exchange: 'NFO', status: 'error', message: 'Quantity must be in multiples of lot size 65' },
      { leg: 2, offset: 'ATM', option_type: 'PE', action: 'BUY', symbol: 'NIFTY01DEC2626000PE', exchange: 'NFO', status: 'error', message: 'Split orders would exceed maximum limit of 100 per leg' },
    ]);
  });

  it('an underlying without a price fails every leg with the reason and places nothing', async () => {
    const before = (await orders()).length;
    const reply = await call('optionsmultiorder', { ...spread, underlying: 'NIFTYX', legs: spread.legs.slice(0, 2) });
    const reason = "Failed to fetch LTP for NIFTYX. Symbol 'NIFTYX' not found for exchange 'NSE_INDEX'. Please verify the symbol name and ensure master contracts are downloaded.";
    expect(reply).toEqual({
      status: 200,
      body: {
        status: 'success',
        underlying: 'NIFTYX',
        underlying_ltp: null,
        results: [
          { leg: 1, offset: 'OTM2', option_type: 'CE', action: 'SELL', status: 'error', message: reason },
          { leg: 2, offset: 'OTM4', option_type: 'CE', action: 'BUY', status: 'error', message: reason },
        ],
      },
    });
    expect(await orders()).toHaveLength(before);
  });

  it('validates the legs, their prices included', async () => {
    const finePrice = { offset: 'ATM', option_type: 'CE', action: 'BUY', quantity: 65, pricetype: 'LIMIT', price: '10.123456789' };
    expect(await call('optionsmultiorder', { ...spread, legs: [spread.legs[0], finePrice] })).toEqual({
      status: 400,
      body: { status: 'error', message: 'Validation error', errors: { legs: { 1: { price: ['10.123456789 has more than 8 decimal places.'] } } } },
    });
    expect(await call('optionsmultiorder', { ...spread, legs: [] })).toEqual({
      status: 400,
      body: { status: 'error', message: 'Validation error', errors: { legs: ['Legs must contain 1 to 20 items.'] } },
    });
    expect(await call('optionsmultiorder', { ...spread, legs: [{ offset: 'ATM', option_type: 'CE', action: 'BUY' }] })).toEqual({
      status: 400,
      body: { status: 'error', message: 'Validation error', errors: { legs: { 0: { quantity: ['Missing data for required field.'] } } } },
    });
  });

  it('in analyzer mode places sandbox orders and says so on every leg', async () => {
    await call('analyzer/toggle', { mode: true });
    try {
      const reply = await call('optionsmultiorder', { ...spread, legs: [spread.legs[1]] });
      expect(reply.body).toMatchObject({ status: 'success', mode: 'analyze' });
      expect(reply.body.results).toEqual([
        expect.objectContaining({ leg: 1, symbol: 'NIFTY01DEC2626200CE', status: 'success', orderid: expect.stringMatching(/^SB-\d{14}$/), mode: 'analyze' }),
      ]);
      const single = await call('optionsorder', { strategy: 'opt', ...niftyWeekly, action: 'SELL', offset: 'ATM', option_type: 'PE', quantity: 65 });
      expect(single.body).toMatchObject({ status: 'success', orderid: expect.stringMatching(/^SB-/), mode: 'analyze' });
    } finally {
      await call('analyzer/toggle', { mode: false });
    }
  });
});

describe('docs', () => {
  it('documents the five option routes under the options tag', async () => {
    const doc = (await (await fetch(`${h.url}/api/openapi.json`)).json()) as {
      paths: Record<string, { post: { summary: string; tags: string[]; requestBody: unknown; responses: Record<string, unknown> } }>;
    };
    for (const route of ['optionsymbol', 'optionchain', 'syntheticfuture', 'optionsorder', 'optionsmultiorder']) {
      const { post } = doc.paths[`/api/v1/${route}`] ?? { post: undefined };
      expect(post?.tags).toContain('options');
      expect(post?.summary).toEqual(expect.any(String));
      expect(Object.keys(post?.responses ?? {})).toEqual(expect.arrayContaining(['200', '400', '403', '404', '429']));
    }
  });
});
