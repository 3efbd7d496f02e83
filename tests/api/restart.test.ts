// Durability across a restart: a gateway stopped and started again on the same data directory serves exactly the same
// order book, trade book, positions and funds, and its exchange carries on from there (resting orders still work,
// ids continue their sequence). Frozen market: an instrument at P asks P + n ticks and bids P − n ticks at level n
// (n × 100 shares for equities, n × 10 lots for futures; SBIN ticks 0.05, INFY and the NIFTY future 0.10; see
// market-simulator.ts). Price overrides
// live in memory, so every start sets the same prices. The harness clock stands at 2026-11-25 10:00 IST.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startGateway } from './harness.js';

type Body = Record<string, unknown>;
type Row = Record<string, unknown>;

interface Books {
  orderbook: Body;
  tradebook: Body;
  positionbook: Body;
  funds: Body;
}

let first: Harness;
let second: Harness | undefined;
let future: string;
let dataDir: string;
let before: Books;
const ids: Record<string, string> = {};

function setPrices(h: Harness): void {
  h.setPrice('SBIN', 'NSE', '800');
  h.setPrice('INFY', 'NSE', '1500');
  h.setPrice('TCS', 'NSE', '3500');
  h.setPrice(future, 'NFO', '26000');
}

async function readBooks(h: Harness): Promise<Books> {
  const read = async (route: string) => {
    const reply = await h.post(`/api/v1/${route}`, { apikey: h.key });
    expect(reply.status).toBe(200);
    return reply.body;
  };
  return {
    orderbook: await read('orderbook'),
    tradebook: await read('tradebook'),
    positionbook: await read('positionbook'),
    funds: await read('funds'),
  };
}

/** Places an order with the test key; returns the HTTP status and envelope. */
function place(h: Harness, order: Body) {
  return h.post('/api/v1/placeorder', { apikey: h.key, strategy: 'restart', ...order });
}

async function orderStatus(h: Harness, orderid: string): Promise<Row> {
  const reply = await h.post('/api/v1/orderstatus', { apikey: h.key, orderid });
  expect(reply.status).toBe(200);
  return reply.body.data as Row;
}

beforeAll(async () => {
  first = await startGateway();
  dataDir = first.dataDir;
  const nifty = first.gateway.master.byExchange('NFO').find((i) => i.instrumentType === 'FUT' && i.underlying === 'NIFTY');
  if (!nifty) throw new Error('no NIFTY future listed');
  future = nifty.symbol;
  setPrices(first);

  const accepted = async (name: string, order: Body) => {
    const reply = await place(first, order);
    expect(reply, name).toEqual({ status: 200, body: { status: 'success', orderid: expect.stringMatching(/^\d{14}$/) } });
    ids[name] = reply.body.orderid as string;
  };
  const nse = { exchange: 'NSE' };
  const nfo = { exchange: 'NFO', symbol: future, product: 'NRML' };
  await accepted('sbinBuy', { ...nse, symbol: 'SBIN', action: 'BUY', quantity: 100, pricetype: 'MARKET', product: 'CNC' });
  await accepted('sbinSell', { ...nse, symbol: 'SBIN', action: 'SELL', quantity: 40, pricetype: 'MARKET', product: 'CNC' });
  await accepted('futBuy', { ...nfo, action: 'BUY', quantity: 130, pricetype: 'MARKET' });
  await accepted('futSell', { ...nfo, action: 'SELL', quantity: 65, pricetype: 'MARKET' });
  await accepted('restingLimit', { ...nse, symbol: 'INFY', action: 'BUY', quantity: 5, pricetype: 'LIMIT', price: '1440', product: 'MIS' });
  const modify = await first.post('/api/v1/modifyorder', {
    apikey: first.key,
    orderid: ids.restingLimit,
    ...nse,
    symbol: 'INFY',
    action: 'BUY',
    product: 'MIS',
    pricetype: 'LIMIT',
    quantity: 10,
    price: '1450',
  });
  expect(modify).toEqual({ status: 200, body: { status: 'success', orderid: ids.restingLimit } });
  await accepted('stopLoss', { ...nse, symbol: 'SBIN', action: 'SELL', quantity: 20, pricetype: 'SL-M', trigger_price: '790', product: 'CNC' });
  await accepted('cancelled', { ...nse, symbol: 'TCS', action: 'BUY', quantity: 5, pricetype: 'LIMIT', price: '3000', product: 'MIS' });
  const cancel = await first.post('/api/v1/cancelorder', { apikey: first.key, orderid: ids.cancelled });
  expect(cancel).toEqual({ status: 200, body: { status: 'success', orderid: ids.cancelled } });

  const rejected = await place(first, { ...nse, symbol: 'TCS', action: 'SELL', quantity: 10, pricetype: 'MARKET', product: 'CNC' });
  expect(rejected).toEqual({
    status: 400,
    body: { status: 'error', message: 'Cannot sell 10 TCS (CNC): only 0 held and not already on sale' },
  });

  before = await readBooks(first);
  await first.stop();

  second = await startGateway({ dataDir });
  setPrices(second);
});

afterAll(async () => {
  await second?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('before the restart', () => {
  it('the account holds the mix that was placed: fills, a modified resting limit, a pending stop, a cancel, a reject', () => {
    const { orders, statistics } = before.orderbook.data as { orders: Row[]; statistics: Row };
    const rejectedId = orders[0]?.orderid as string;
    // Ids are YYMMDD + a sequence; the rejected order took the next number like any other.
    expect(Object.values(ids)).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `2611250000000${n}`));
    expect(rejectedId).toBe('26112500000008');
    expect(orders.map((o) => [o.orderid, o.symbol, o.order_status, o.filled_quantity, o.average_price])).toEqual([
      [rejectedId, 'TCS', 'rejected', 0, 0],
      [ids.cancelled, 'TCS', 'cancelled', 0, 0],
      [ids.stopLoss, 'SBIN', 'trigger pending', 0, 0],
      [ids.restingLimit, 'INFY', 'open', 0, 0],
      [ids.futSell, future, 'complete', 65, 25999.9],
      [ids.futBuy, future, 'complete', 130, 26000.1],
      [ids.sbinSell, 'SBIN', 'complete', 40, 799.95],
      [ids.sbinBuy, 'SBIN', 'complete', 100, 800.05],
    ]);
    expect(orders[3]).toMatchObject({ orderid: ids.restingLimit, pricetype: 'LIMIT', price: 1450, quantity: 10, pending_quantity: 10 });
    expect(orders[0]?.rejection_reason).toBe('Cannot sell 10 TCS (CNC): only 0 held and not already on sale');
    expect(statistics).toEqual({
      total_buy_orders: 4,
      total_sell_orders: 4,
      total_completed_orders: 4,
      total_open_orders: 1,
      total_rejected_orders: 1,
      total_trigger_pending_orders: 1,
    });

    expect((before.tradebook.data as Row[]).map((t) => [t.tradeid, t.orderid, t.action, t.quantity, t.average_price])).toEqual([
      ['26112500000001', ids.sbinBuy, 'BUY', 100, 800.05],
      ['26112500000002', ids.sbinSell, 'SELL', 40, 799.95],
      ['26112500000003', ids.futBuy, 'BUY', 130, 26000.1],
      ['26112500000004', ids.futSell, 'SELL', 65, 25999.9],
    ]);

    // SBIN: 60 left at 800.05, marked at 800, realized 40 × −0.10. Future: 65 left at 26000.10, realized 65 × −0.20.
    expect(before.positionbook.data).toEqual([
      { symbol: 'SBIN', exchange: 'NSE', product: 'CNC', currency: 'INR', quantity: 60, average_price: 800.05, ltp: 800, pnl: -7 },
      { symbol: future, exchange: 'NFO', product: 'NRML', currency: 'INR', quantity: 65, average_price: 26000.1, ltp: 26000, pnl: -19.5 },
    ]);

    // Margin in use: SBIN CNC 60 × 800.05 = 48003; future 10 % of 65 × 26000.10 = 169000.65; INFY MIS limit
    // 20 % of 10 × 1450 = 2900; the CNC stop sells held shares and blocks nothing. 1,00,00,000 − 17 − 219903.65.
    const rupees = { availablecash: '9780079.35', collateral: '0.00', m2mrealized: '-17.00', m2munrealized: '-9.50', utiliseddebits: '219903.65' };
    expect(before.funds.data).toEqual({
      ...rupees,
      currency: 'INR',
      balances: [{ currency: 'INR', ...rupees }, { currency: 'USD', availablecash: '100000.00', collateral: '0.00', m2mrealized: '0.00', m2munrealized: '0.00', utiliseddebits: '0.00' }],
    });
  });
});

describe('after the restart on the same data directory', () => {
  it('serves the same order book, trade book, position book and funds', async () => {
    const after = await readBooks(second!);
    expect(after.orderbook).toEqual(before.orderbook);
    expect(after.tradebook).toEqual(before.tradebook);
    expect(after.positionbook).toEqual(before.positionbook);
    expect(after.funds).toEqual(before.funds);
  });

  it('the key of the first start still works and the restart creates no new key', async () => {
    const ping = await second!.post('/api/v1/ping', { apikey: second!.key });
    expect(ping).toEqual({ status: 200, body: { status: 'success', data: { message: 'pong', broker: 'paper' } } });
    expect(second!.gateway.createdKey).toBeUndefined();
  });

  it('the resting LIMIT fills once the ask reaches it, and the trade id continues the sequence', async () => {
    const h = second!;
    h.tick();
    expect(await orderStatus(h, ids.restingLimit!)).toMatchObject({ order_status: 'open', filled_quantity: 0 });

    h.setPrice('INFY', 'NSE', '1449.9'); // INFY ticks 0.10: the ask becomes 1450.00
    h.tick();
    expect(await orderStatus(h, ids.restingLimit!)).toMatchObject({
      order_status: 'complete',
      filled_quantity: 10,
      average_price: 1450,
    });
    const trades = (await h.post('/api/v1/tradebook', { apikey: h.key })).body.data as Row[];
    expect(trades).toHaveLength(5);
    expect(trades[4]).toMatchObject({ tradeid: '26112500000005', orderid: ids.restingLimit, action: 'BUY', quantity: 10 });
  });

  it('the pending SL-M still triggers when the last price reaches it', async () => {
    const h = second!;
    h.setPrice('SBIN', 'NSE', '790');
    h.tick();
    expect(await orderStatus(h, ids.stopLoss!)).toMatchObject({
      order_status: 'complete',
      filled_quantity: 20,
      average_price: 789.95,
    });
    const positions = (await h.post('/api/v1/positionbook', { apikey: h.key })).body.data as Row[];
    expect(positions.find((p) => p.symbol === 'SBIN')).toMatchObject({ quantity: 40, average_price: 800.05, ltp: 790 });
  });

  it('new orders continue the order id sequence without reusing an id', async () => {
    const reply = await place(second!, {
      exchange: 'NSE',
      symbol: 'INFY',
      action: 'SELL',
      quantity: 10,
      pricetype: 'MARKET',
      product: 'MIS',
    });
    expect(reply).toEqual({ status: 200, body: { status: 'success', orderid: '26112500000009' } });
    const orders = ((await second!.post('/api/v1/orderbook', { apikey: second!.key })).body.data as { orders: Row[] }).orders;
    const orderIds = orders.map((o) => o.orderid);
    expect(orderIds).toHaveLength(9);
    expect(new Set(orderIds).size).toBe(9);
    expect(orderIds[0]).toBe('26112500000009');
  });
});

// A modification that changes the order type drops the price the new type does not use. The journal keeps only the
// changes, so the replay must drop it too (an SL turned LIMIT once came back with its old trigger after a restart).
describe('modifications that change the order type, across a restart', () => {
  let original: Harness;
  let restarted: Harness | undefined;
  const live: Record<string, Row> = {};
  const order = { exchange: 'NSE', symbol: 'SBIN', action: 'BUY', product: 'MIS', quantity: 5 };

  beforeAll(async () => {
    original = await startGateway();
    original.setPrice('SBIN', 'NSE', '800');
    const modify = async (orderid: string, changes: Body) => {
      const reply = await original.post('/api/v1/modifyorder', { apikey: original.key, orderid, ...order, ...changes });
      expect(reply).toEqual({ status: 200, body: { status: 'success', orderid } });
    };

    const stop = (await place(original, { ...order, pricetype: 'SL', trigger_price: '810', price: '812' })).body.orderid as string;
    await modify(stop, { pricetype: 'LIMIT', price: '790' });
    const limit = (await place(original, { ...order, pricetype: 'LIMIT', price: '790' })).body.orderid as string;
    await modify(limit, { pricetype: 'SL-M', price: '0', trigger_price: '815' }); // modifyorder requires a price
    live.slToLimit = await orderStatus(original, stop);
    live.limitToSlm = await orderStatus(original, limit);
    await original.stop();

    restarted = await startGateway({ dataDir: original.dataDir });
    restarted.setPrice('SBIN', 'NSE', '800');
  });
  afterAll(async () => {
    await restarted?.stop();
    fs.rmSync(original.dataDir, { recursive: true, force: true });
  });

  it('an SL turned LIMIT rests without its trigger, before and after the restart', async () => {
    expect(live.slToLimit).toMatchObject({ pricetype: 'LIMIT', price: 790, trigger_price: 0, order_status: 'open' });
    expect(await orderStatus(restarted!, live.slToLimit!.orderid as string)).toEqual(live.slToLimit);
  });

  it('a LIMIT turned SL-M waits for its trigger without its limit, before and after the restart', async () => {
    expect(live.limitToSlm).toMatchObject({ pricetype: 'SL-M', price: 0, trigger_price: 815, order_status: 'trigger pending' });
    expect(await orderStatus(restarted!, live.limitToSlm!.orderid as string)).toEqual(live.limitToSlm);
  });
});
