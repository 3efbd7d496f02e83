// placegttorder, modifygttorder, cancelgttorder, gttorderbook over HTTP against a real gateway, and GTTs firing when
// the last price crosses their triggers (h.checkGtts() runs one pass; the gateway's timer runs them too). Frozen
// market: an NSE equity set to P asks P + 1 tick × 100, P + 2 ticks × 200, … (SBIN and ITC tick 0.05; INFY, TCS,
// RELIANCE and HDFCBANK 0.10). The clock stands at 2026-11-25 10:00 IST.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startGateway } from '../harness.js';

type Body = Record<string, unknown>;

const GTT_ID = /^GTT-261125-[0-9a-f]{8}$/;

/**
 * Sets the last price and runs a GTT pass on it. `priceAt` steps the clock 10 ms past the gateway's quote cache (5 ms),
 * which a frozen manual clock would otherwise keep forever; timestamps in answers are whole seconds, so none moves.
 */
async function moveTo(h: Harness, symbol: string, price: string): Promise<void> {
  priceAt(h, symbol, price);
  await h.checkGtts();
}

function priceAt(h: Harness, symbol: string, price: string): void {
  h.setPrice(symbol, 'NSE', price);
  h.clock.advance(10);
}

function api(h: Harness) {
  const call = (route: string, body: Body) => h.post(`/api/v1/${route}`, { apikey: h.key, ...body });
  return {
    call,
    place: (body: Body) => call('placegttorder', { strategy: 'gtt', exchange: 'NSE', product: 'CNC', ...body }),
    modify: (body: Body) => call('modifygttorder', { strategy: 'gtt', exchange: 'NSE', product: 'CNC', ...body }),
    cancel: (trigger_id: unknown) => call('cancelgttorder', { strategy: 'gtt', trigger_id }),
    book: async () => {
      const reply = await call('gttorderbook', {});
      expect(reply.status).toBe(200);
      return reply.body.data as Body[];
    },
    /** The live orders tagged with `strategy`, newest first. */
    orders: async (strategy: string) => {
      const reply = await call('orderbook', {});
      expect(reply.status).toBe(200);
      return ((reply.body.data as { orders: Body[] }).orders).filter((order) => order.strategy === strategy);
    },
  };
}

describe('GTT orders', () => {
  let h: Harness;
  let v1: ReturnType<typeof api>;

  beforeAll(async () => {
    h = await startGateway();
    v1 = api(h);
  });
  afterAll(() => h.close());

  it('a SINGLE GTT rests in the book with its trigger, leg, last price and times', async () => {
    priceAt(h, 'SBIN', '800');
    const placed = await v1.place({
      strategy: 'single-book',
      trigger_type: 'SINGLE',
      symbol: 'SBIN',
      action: 'buy',
      quantity: '10',
      price: 790.5,
      triggerprice_sl: 790,
    });
    expect(placed).toEqual({ status: 200, body: { status: 'success', trigger_id: expect.stringMatching(GTT_ID) } });

    const entry = (await v1.book()).find((gtt) => gtt.trigger_id === placed.body.trigger_id);
    expect(entry).toEqual({
      trigger_id: placed.body.trigger_id,
      trigger_type: 'single',
      status: 'active',
      symbol: 'SBIN',
      exchange: 'NSE',
      trigger_prices: [790],
      last_price: 800,
      legs: [{ action: 'BUY', quantity: 10, price: 790.5, pricetype: 'LIMIT', product: 'CNC' }],
      created_at: '2026-11-25 10:00:00',
      updated_at: '2026-11-25 10:00:00',
      expires_at: '2027-11-25 10:00:00',
    });
  });

  it('a SINGLE GTT fires when the last price falls to its trigger: its LIMIT order is in the order book and the GTT leaves the GTT book', async () => {
    priceAt(h, 'ITC', '400');
    const placed = await v1.place({
      strategy: 'single-fire',
      trigger_type: 'SINGLE',
      symbol: 'ITC',
      action: 'BUY',
      quantity: 20,
      price: 389.5,
      triggerprice_sl: 390,
    });
    expect(placed.status).toBe(200);

    await moveTo(h, 'ITC', '390.05');
    expect((await v1.book()).map((gtt) => gtt.trigger_id)).toContain(placed.body.trigger_id);
    expect(await v1.orders('single-fire')).toEqual([]);

    await moveTo(h, 'ITC', '390');
    expect((await v1.book()).map((gtt) => gtt.trigger_id)).not.toContain(placed.body.trigger_id);
    // A buy limit at 389.50 below the asks (390.05 and up) rests.
    expect(await v1.orders('single-fire')).toEqual([
      expect.objectContaining({
        symbol: 'ITC',
        exchange: 'NSE',
        action: 'BUY',
        quantity: 20,
        price: 389.5,
        pricetype: 'LIMIT',
        product: 'CNC',
        order_status: 'open',
      }),
    ]);

    // Fired once: another pass at the trigger places nothing more.
    await h.checkGtts();
    expect(await v1.orders('single-fire')).toHaveLength(1);
  });

  it('a SINGLE GTT on a rising trigger places a MARKET order that fills', async () => {
    priceAt(h, 'HDFCBANK', '1000');
    const placed = await v1.place({
      strategy: 'single-market',
      trigger_type: 'SINGLE',
      symbol: 'HDFCBANK',
      action: 'BUY',
      quantity: 5,
      pricetype: 'MARKET',
      price: 0,
      triggerprice_tg: 1010,
    });
    expect(placed.status).toBe(200);
    await moveTo(h, 'HDFCBANK', '1010');
    expect(await v1.orders('single-market')).toEqual([
      expect.objectContaining({ action: 'BUY', quantity: 5, pricetype: 'MARKET', order_status: 'complete', average_price: 1010.1 }),
    ]);
  });

  it('an OCO whose target fires places the target leg and drops the stop-loss leg', async () => {
    priceAt(h, 'INFY', '1500');
    const placed = await v1.place({
      strategy: 'oco-target',
      trigger_type: 'OCO',
      symbol: 'INFY',
      action: 'BUY',
      quantity: 3,
      price: 0,
      triggerprice_sl: 1480,
      stoploss: 1481,
      triggerprice_tg: 1520,
      target: 1521,
    });
    expect(placed.status).toBe(200);
    expect((await v1.book()).find((gtt) => gtt.trigger_id === placed.body.trigger_id)).toMatchObject({
      trigger_type: 'two-leg',
      trigger_prices: [1480, 1520],
      legs: [
        { action: 'BUY', quantity: 3, price: 1481, pricetype: 'LIMIT', product: 'CNC' },
        { action: 'BUY', quantity: 3, price: 1521, pricetype: 'LIMIT', product: 'CNC' },
      ],
    });

    await moveTo(h, 'INFY', '1520');
    // Marketable: the buy limit at 1521 takes the ask at 1520.10.
    expect(await v1.orders('oco-target')).toEqual([
      expect.objectContaining({ symbol: 'INFY', action: 'BUY', quantity: 3, price: 1521, order_status: 'complete', average_price: 1520.1 }),
    ]);
    expect((await v1.book()).map((gtt) => gtt.trigger_id)).not.toContain(placed.body.trigger_id);

    await moveTo(h, 'INFY', '1480');
    expect(await v1.orders('oco-target')).toHaveLength(1);
  });

  it('an OCO whose stop-loss fires places the stop-loss leg and drops the target leg', async () => {
    priceAt(h, 'TCS', '3500');
    const placed = await v1.place({
      strategy: 'oco-stop',
      trigger_type: 'oco',
      symbol: 'TCS',
      action: 'BUY',
      quantity: 2,
      price: 0,
      triggerprice_sl: '3400',
      stoploss: '3399.9',
      triggerprice_tg: '3600',
      target: '3600.1',
    });
    expect(placed.status).toBe(200);

    await moveTo(h, 'TCS', '3400');
    expect(await v1.orders('oco-stop')).toEqual([
      expect.objectContaining({ symbol: 'TCS', action: 'BUY', quantity: 2, price: 3399.9, pricetype: 'LIMIT', order_status: 'open' }),
    ]);
    await moveTo(h, 'TCS', '3600');
    expect(await v1.orders('oco-stop')).toHaveLength(1);
  });

  it('modify replaces the triggers, prices, quantity and last price of an active GTT', async () => {
    priceAt(h, 'RELIANCE', '1540');
    const placed = await v1.place({
      strategy: 'modify',
      trigger_type: 'SINGLE',
      symbol: 'RELIANCE',
      action: 'BUY',
      quantity: 1,
      price: 1500,
      triggerprice_sl: 1500,
    });
    priceAt(h, 'RELIANCE', '1550');
    h.clock.advance(60_000);
    const modified = await v1.modify({
      trigger_id: placed.body.trigger_id,
      trigger_type: 'SINGLE',
      symbol: 'RELIANCE',
      action: 'BUY',
      quantity: 4,
      price: 1510.5,
      triggerprice_sl: 1510,
    });
    expect(modified).toEqual({ status: 200, body: { status: 'success', trigger_id: placed.body.trigger_id } });
    expect((await v1.book()).find((gtt) => gtt.trigger_id === placed.body.trigger_id)).toMatchObject({
      trigger_prices: [1510],
      last_price: 1550,
      legs: [{ action: 'BUY', quantity: 4, price: 1510.5, pricetype: 'LIMIT', product: 'CNC' }],
      created_at: '2026-11-25 10:00:00',
      updated_at: '2026-11-25 10:01:00',
      expires_at: '2027-11-25 10:00:00',
    });

    const flipped = await v1.modify({
      trigger_id: placed.body.trigger_id,
      trigger_type: 'SINGLE',
      symbol: 'RELIANCE',
      action: 'SELL',
      quantity: 4,
      price: 1510.5,
      triggerprice_sl: 1510,
    });
    expect(flipped).toEqual({
      status: 400,
      body: { status: 'error', message: 'The side of a GTT cannot change; cancel it and place a new one' },
    });
  });

  it('modify and cancel of a GTT that is not active answer 404 in OpenAlgo words', async () => {
    const missing = await v1.modify({
      trigger_id: 'GTT-261125-00000000',
      trigger_type: 'SINGLE',
      symbol: 'SBIN',
      action: 'BUY',
      quantity: 1,
      price: 790,
      triggerprice_sl: 790,
    });
    expect(missing).toEqual({ status: 404, body: { status: 'error', message: "No active GTT with trigger_id 'GTT-261125-00000000'" } });
    expect(await v1.cancel('GTT-261125-00000000')).toEqual({
      status: 404,
      body: { status: 'error', message: "No active GTT with trigger_id 'GTT-261125-00000000'" },
    });
  });

  it('cancel takes a GTT (both legs of an OCO) out of the book; it never fires', async () => {
    priceAt(h, 'SBIN', '800');
    const placed = await v1.place({
      strategy: 'cancel',
      trigger_type: 'OCO',
      symbol: 'SBIN',
      action: 'BUY',
      quantity: 1,
      price: 0,
      triggerprice_sl: 780,
      stoploss: 780,
      triggerprice_tg: 820,
      target: 820,
    });
    expect(await v1.cancel(placed.body.trigger_id)).toEqual({ status: 200, body: { status: 'success', trigger_id: placed.body.trigger_id } });
    expect((await v1.book()).map((gtt) => gtt.trigger_id)).not.toContain(placed.body.trigger_id);
    await moveTo(h, 'SBIN', '820');
    expect(await v1.orders('cancel')).toEqual([]);
    expect((await v1.cancel(placed.body.trigger_id)).status).toBe(404);
  });

  it('the book lists active GTTs only, newest first', async () => {
    priceAt(h, 'SBIN', '800');
    const terms = { trigger_type: 'SINGLE', symbol: 'SBIN', action: 'BUY', quantity: 1, price: 750, triggerprice_sl: 750 };
    const older = await v1.place({ ...terms, strategy: 'book-order' });
    h.clock.advance(10);
    const newer = await v1.place({ ...terms, strategy: 'book-order' });
    const book = await v1.book();
    expect(book.slice(0, 2).map((gtt) => gtt.trigger_id)).toEqual([newer.body.trigger_id, older.body.trigger_id]);
    expect(new Set(book.map((gtt) => gtt.status))).toEqual(new Set(['active']));
  });

  it('a child order the account cannot fund is rejected in the order book, and the GTT is spent all the same', async () => {
    priceAt(h, 'SBIN', '800');
    const placed = await v1.place({ strategy: 'unfunded', trigger_type: 'SINGLE', symbol: 'SBIN', action: 'BUY', quantity: 50000, price: 810, triggerprice_tg: 810 });
    expect(placed.status).toBe(200);
    await moveTo(h, 'SBIN', '810');
    // 50,000 × 810 of CNC margin, more than the account holds.
    expect(await v1.orders('unfunded')).toEqual([
      expect.objectContaining({
        quantity: 50000,
        price: 810,
        order_status: 'rejected',
        rejection_reason: expect.stringMatching(/^Insufficient funds\. Required: .40500000\.00, Available: /),
      }),
    ]);
    expect((await v1.book()).map((gtt) => gtt.trigger_id)).not.toContain(placed.body.trigger_id);
  });

  describe('validation, in OpenAlgo words', () => {
    const single = { trigger_type: 'SINGLE', symbol: 'SBIN', action: 'BUY', quantity: 1, price: 790 };
    const oco = { ...single, trigger_type: 'OCO', price: 0, triggerprice_sl: 780, stoploss: 780, triggerprice_tg: 820, target: 820 };

    it.each([
      ['SINGLE with neither trigger', single, "{'triggerprice_sl': ['SINGLE GTT requires a positive triggerprice_sl or triggerprice_tg.']}"],
      [
        'SINGLE with both triggers',
        { ...single, triggerprice_sl: 790, triggerprice_tg: 810 },
        'A SINGLE GTT needs exactly one of triggerprice_sl or triggerprice_tg; an OCO needs both.',
      ],
      ['OCO without its stop-loss trigger', { ...oco, triggerprice_sl: 0 }, "{'triggerprice_sl': ['Required for OCO (stoploss trigger).']}"],
      ['OCO without its stop-loss limit', { ...oco, stoploss: null }, "{'stoploss': ['Required for OCO (stoploss leg limit).']}"],
      ['OCO without its target trigger', { ...oco, triggerprice_tg: '' }, "{'triggerprice_tg': ['Required for OCO (target trigger).']}"],
      ['OCO with a blank target limit', { ...oco, target: '' }, "{'target': ['Required for OCO (target leg limit).']}"],
      [
        'OCO with the stop-loss trigger not below the target trigger',
        { ...oco, triggerprice_sl: 820 },
        "{'triggerprice_sl': ['Stoploss trigger must be less than target trigger (triggerprice_tg).']}",
      ],
      ['an unknown trigger type', { ...single, trigger_type: 'TWO' }, `{'trigger_type': ["Must be 'SINGLE' or 'OCO'."]}`],
      [
        'MIS',
        { ...single, triggerprice_sl: 790, product: 'MIS' },
        "{'product': ['GTT supports only CNC (delivery) or NRML (overnight F&O); MIS is intraday-only.']}",
      ],
      ['no price', { ...single, triggerprice_sl: 790, price: undefined }, "{'price': ['Missing data for required field.']}"],
      ['a negative trigger', { ...single, triggerprice_sl: -1 }, "{'triggerprice_sl': ['triggerprice_sl must be non-negative.']}"],
      ['a fractional quantity', { ...single, triggerprice_sl: 790, quantity: 1.5 }, "{'quantity': ['Fractional quantity (1.5) is not allowed for non-crypto exchanges.']}"],
      ['a MARKET child with SL pricetype', { ...single, triggerprice_sl: 790, pricetype: 'SL' }, "{'pricetype': ['Must be one of: LIMIT, MARKET.']}"],
      ['a trigger the price has reached', { ...single, triggerprice_sl: 810 }, 'Trigger price 810 must be below the last price 800'],
      ['a trigger off the tick', { ...single, triggerprice_sl: 790.02 }, 'Trigger price 790.02 is not a multiple of the tick size 0.05'],
      ['an unreadable expiry', { ...single, triggerprice_sl: 790, expires_at: 'next week' }, "{'expires_at': ['Not a valid date or time: use YYYY-MM-DD, YYYY-MM-DD HH:MM:SS (IST) or ISO 8601.']}"],
      ['an expiry in the past', { ...single, triggerprice_sl: 790, expires_at: '2026-11-25 09:00:00' }, 'The expiry of a GTT must be in the future'],
    ])('placegttorder refuses %s (400)', async (_name, body, message) => {
      priceAt(h, 'SBIN', '800');
      expect(await v1.place(body)).toEqual({ status: 400, body: { status: 'error', message } });
    });

    it('placegttorder ignores fields it does not know and reads blank stoploss/target of a SINGLE as none', async () => {
      priceAt(h, 'SBIN', '800');
      const reply = await v1.place({ ...single, triggerprice_sl: 790, triggerprice_tg: '', stoploss: '', target: '', position_size: 5 });
      expect(reply).toEqual({ status: 200, body: { status: 'success', trigger_id: expect.stringMatching(GTT_ID) } });
    });

    it('cancelgttorder refuses fields it does not know, as OpenAlgo does', async () => {
      expect(await v1.call('cancelgttorder', { strategy: 'gtt', trigger_id: 'x', foo: 1 })).toEqual({
        status: 400,
        body: { status: 'error', message: "{'foo': ['Unknown field.']}" },
      });
    });
  });

  it('an expires_at date is the end of that IST day, and the GTT expires then without firing', async () => {
    priceAt(h, 'SBIN', '800');
    const placed = await v1.place({ ...{ trigger_type: 'SINGLE', symbol: 'SBIN', action: 'BUY', quantity: 1, price: 700 }, strategy: 'expiry', triggerprice_sl: 700, expires_at: '2026-11-26' });
    expect((await v1.book()).find((gtt) => gtt.trigger_id === placed.body.trigger_id)).toMatchObject({ expires_at: '2026-11-27 00:00:00' });
    const untilMidnight = Date.UTC(2026, 10, 26, 18, 30) - h.clock.now();
    h.clock.advance(untilMidnight - 1);
    await h.checkGtts();
    expect((await v1.book()).map((gtt) => gtt.trigger_id)).toContain(placed.body.trigger_id);
    h.clock.advance(1);
    await h.checkGtts();
    expect((await v1.book()).map((gtt) => gtt.trigger_id)).not.toContain(placed.body.trigger_id);
    await moveTo(h, 'SBIN', '700');
    expect(await v1.orders('expiry')).toEqual([]);
  });
});

describe('GTTs across a restart, a year, and analyzer mode', () => {
  let first: Harness;
  let h: Harness;

  beforeAll(async () => {
    first = await startGateway();
  });
  afterAll(async () => {
    await h.close();
  });

  it('a GTT placed before a restart is in the book after it and fires there', async () => {
    priceAt(first, 'SBIN', '800');
    const placed = await api(first).place({ strategy: 'restart', trigger_type: 'SINGLE', symbol: 'SBIN', action: 'BUY', quantity: 7, price: 810.5, triggerprice_tg: 810 });
    expect(placed.status).toBe(200);
    await first.stop();

    h = await startGateway({ dataDir: first.dataDir });
    const v1 = api(h);
    expect((await v1.book()).map((gtt) => gtt.trigger_id)).toEqual([placed.body.trigger_id]);
    await moveTo(h, 'SBIN', '810');
    expect(await v1.book()).toEqual([]);
    expect(await v1.orders('restart')).toEqual([
      expect.objectContaining({ symbol: 'SBIN', action: 'BUY', quantity: 7, price: 810.5, order_status: 'complete', average_price: 810.05 }),
    ]);
  });

  it('a GTT placed in analyzer mode belongs to the sandbox: answers say so, the live book does not list it, and it fires into the sandbox order book, not the live one', async () => {
    const v1 = api(h);
    const toggle = async (mode: boolean) => expect((await v1.call('analyzer/toggle', { mode })).status).toBe(200);
    priceAt(h, 'TCS', '3500');
    await toggle(true);
    const terms = { strategy: 'sandbox-gtt', trigger_type: 'SINGLE', symbol: 'TCS', action: 'BUY', quantity: 2, price: 3399.9, triggerprice_sl: 3400 };
    const placed = await v1.place(terms);
    expect(placed).toEqual({ status: 200, body: { status: 'success', trigger_id: expect.stringMatching(GTT_ID), mode: 'analyze' } });
    const trigger_id = placed.body.trigger_id;
    expect(await v1.modify({ ...terms, trigger_id, quantity: 3 })).toEqual({ status: 200, body: { status: 'success', trigger_id, mode: 'analyze' } });
    expect(await v1.call('gttorderbook', {})).toEqual({
      status: 200,
      body: {
        status: 'success',
        mode: 'analyze',
        data: [expect.objectContaining({ trigger_id, symbol: 'TCS', trigger_prices: [3400], last_price: 3500, legs: [expect.objectContaining({ quantity: 3 })] })],
      },
    });

    await toggle(false);
    expect((await v1.book()).map((gtt) => gtt.trigger_id)).not.toContain(trigger_id);
    const notLive = { status: 404, body: { status: 'error', message: `No active GTT with trigger_id '${trigger_id}'` } };
    expect(await v1.cancel(trigger_id)).toEqual(notLive);
    expect(await v1.modify({ ...terms, trigger_id })).toEqual(notLive);

    await toggle(true);
    await moveTo(h, 'TCS', '3400');
    expect((await v1.book()).map((gtt) => gtt.trigger_id)).not.toContain(trigger_id);
    // A buy limit at 3399.90 below the asks (3400.10 and up) rests in the sandbox, under a sandbox order id.
    expect(await v1.orders('sandbox-gtt')).toEqual([
      expect.objectContaining({ orderid: expect.stringMatching(/^SB-/), symbol: 'TCS', action: 'BUY', quantity: 3, price: 3399.9, order_status: 'open' }),
    ]);
    await toggle(false);
    expect(await v1.orders('sandbox-gtt')).toEqual([]);
  });

  it('a live GTT is neither listed, modified nor cancelled in analyzer mode, and fires live meanwhile', async () => {
    const v1 = api(h);
    priceAt(h, 'ITC', '400');
    const terms = { strategy: 'live-while-analyzing', trigger_type: 'SINGLE', symbol: 'ITC', action: 'BUY', quantity: 1, price: 389, triggerprice_sl: 390 };
    const placed = await v1.place(terms);
    expect(placed.status).toBe(200);
    const trigger_id = placed.body.trigger_id;

    expect((await v1.call('analyzer/toggle', { mode: true })).status).toBe(200);
    const notInSandbox = { status: 404, body: { status: 'error', message: `No active GTT with trigger_id '${trigger_id}'`, mode: 'analyze' } };
    expect(await v1.modify({ ...terms, trigger_id })).toEqual(notInSandbox);
    expect(await v1.cancel(trigger_id)).toEqual(notInSandbox);
    expect((await v1.book()).map((gtt) => gtt.trigger_id)).not.toContain(trigger_id);

    await moveTo(h, 'ITC', '390');
    expect(await v1.orders('live-while-analyzing')).toEqual([]);
    expect((await v1.call('analyzer/toggle', { mode: false })).status).toBe(200);
    expect(await v1.orders('live-while-analyzing')).toEqual([expect.objectContaining({ symbol: 'ITC', price: 389, order_status: 'open' })]);
  });

  it('a GTT with no expiry of its own expires a year (365 days) after it was placed', async () => {
    const v1 = api(h);
    priceAt(h, 'SBIN', '800');
    const placed = await v1.place({ strategy: 'year', trigger_type: 'SINGLE', symbol: 'SBIN', action: 'BUY', quantity: 1, price: 700, triggerprice_sl: 700 });
    h.clock.advance(365 * 86_400_000 - 1);
    await h.checkGtts();
    expect((await v1.book()).map((gtt) => gtt.trigger_id)).toEqual([placed.body.trigger_id]);
    h.clock.advance(1);
    await h.checkGtts();
    expect(await v1.book()).toEqual([]);
  });
});
