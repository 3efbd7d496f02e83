// The adapter against a real HTTP server on a free port that answers each v1 endpoint as the test scripts it, shaped
// like OpenAlgo itself (no filled quantities, no trade ids): what it asks and what it reports. The contract suite runs
// it against a second Ordergate (tests/brokers/contract/).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OpenAlgoBroker } from '../../../src/brokers/openalgo/openalgo-broker.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { dec } from '../../../src/domain/decimal.js';
import { OrderNotModifiable } from '../../../src/domain/errors.js';
import { Instruments, equity } from '../../exchange/builders.js';

const KEY = 'ab'.repeat(32);
const NOW = Date.UTC(2026, 0, 7, 5, 0); // 10:30 IST

/** Endpoint → [status, body] it answers with; what it was sent, in order. */
let script: Record<string, [number, unknown]> = {};
const calls: Array<{ endpoint: string; body: Record<string, unknown> }> = [];
let server: http.Server;
let baseUrl: string;
const brokers: OpenAlgoBroker[] = [];

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let text = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    request.on('end', () => {
      const endpoint = (request.url ?? '').replace('/api/v1/', '');
      calls.push({ endpoint, body: JSON.parse(text) as Record<string, unknown> });
      const [status, body] = script[endpoint] ?? [404, { status: 'error', message: 'Not found' }];
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(() => {
  script = {};
  calls.length = 0;
  for (const broker of brokers.splice(0)) broker.close();
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function broker(): OpenAlgoBroker {
  const made = new OpenAlgoBroker({
    baseUrl,
    apiKey: KEY,
    accountId: 'acc',
    instruments: new Instruments([equity('SBIN')]),
    clock: new ManualClock(NOW),
  });
  brokers.push(made);
  return made;
}

const ok = (fields: Record<string, unknown>): [number, unknown] => [200, { status: 'success', ...fields }];
const ORDER_ROW = {
  orderid: '250107000001',
  symbol: 'SBIN',
  exchange: 'NSE',
  action: 'BUY',
  product: 'MIS',
  pricetype: 'LIMIT',
  quantity: '10',
  price: '960.05',
  trigger_price: '0',
  order_status: 'open',
  timestamp: '07-01-2026 10:00:15',
};

describe('OpenAlgoBroker', () => {
  it("places an order and reads it back, the client order id sent as Idempotency-Key and kept in its report", async () => {
    script = {
      placeorder: ok({ orderid: '250107000001' }),
      orderstatus: ok({ data: { ...ORDER_ROW, average_price: 0 } }),
      tradebook: ok({ data: [] }),
    };
    const report = await broker().placeOrder({
      accountId: 'acc',
      symbol: 'SBIN',
      exchange: 'NSE',
      side: 'BUY',
      quantity: dec(10),
      type: 'LIMIT',
      limitPrice: dec('960.05'),
      product: 'MIS',
      timeInForce: 'DAY',
      clientOrderId: '26010700000007',
    });
    expect(calls.map((call) => call.endpoint)).toEqual(['placeorder', 'orderstatus', 'tradebook']);
    expect(calls[0]?.body).toEqual({
      apikey: KEY,
      strategy: 'Ordergate',
      exchange: 'NSE',
      symbol: 'SBIN',
      action: 'BUY',
      quantity: 10,
      pricetype: 'LIMIT',
      product: 'MIS',
      price: 960.05,
      trigger_price: 0,
      disclosed_quantity: 0,
    });
    expect(calls[1]?.body).toEqual({ apikey: KEY, strategy: 'Ordergate', orderid: '250107000001' });
    expect(report).toEqual({
      order: {
        id: '250107000001',
        accountId: 'acc',
        clientOrderId: '26010700000007',
        symbol: 'SBIN',
        exchange: 'NSE',
        side: 'BUY',
        quantity: dec(10),
        type: 'LIMIT',
        limitPrice: dec('960.05'),
        product: 'MIS',
        timeInForce: 'DAY',
        status: 'open',
        filledQuantity: dec(0),
        averagePrice: dec(0),
        createdAt: Date.UTC(2026, 0, 7, 4, 30, 15),
        updatedAt: Date.UTC(2026, 0, 7, 4, 30, 15),
      },
      fills: [],
      allFills: true,
    });
  });

  it('reports a placement it cannot read back as accepted, with no fills claimed', async () => {
    script = { placeorder: ok({ orderid: '250107000002' }), orderstatus: [500, { status: 'error', message: 'boom' }] };
    const report = await broker().placeOrder({
      accountId: 'acc',
      symbol: 'SBIN',
      exchange: 'NSE',
      side: 'SELL',
      quantity: dec(1),
      type: 'MARKET',
      product: 'CNC',
      timeInForce: 'DAY',
    });
    expect(report.order).toMatchObject({ id: '250107000002', status: 'pending', filledQuantity: dec(0), createdAt: NOW });
    expect(report).toMatchObject({ fills: [], allFills: false });
  });

  it('modifies with the whole order read first, and refuses a complete one without sending it', async () => {
    script = { orderstatus: ok({ data: ORDER_ROW }), modifyorder: ok({ orderid: '250107000001' }), tradebook: ok({ data: [] }) };
    const adapter = broker();
    await adapter.modifyOrder('acc', '250107000001', { limitPrice: dec(955) });
    expect(calls.map((call) => call.endpoint)).toEqual(['orderstatus', 'modifyorder', 'orderstatus', 'tradebook']);
    expect(calls[1]?.body).toMatchObject({ orderid: '250107000001', price: 955, quantity: 10, pricetype: 'LIMIT', product: 'MIS' });

    calls.length = 0;
    script.orderstatus = ok({ data: { ...ORDER_ROW, order_status: 'complete' } });
    const refused = await adapter.modifyOrder('acc', '250107000001', { limitPrice: dec(955) }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OrderNotModifiable);
    expect(refused).toMatchObject({ action: 'modify', status: 'filled' });
    expect(calls.map((call) => call.endpoint)).toEqual(['orderstatus']);
  });

  it("reports every order of OpenAlgo's books with its fills, naming trades by order and position", async () => {
    const trade = { orderid: '250107000003', symbol: 'SBIN', exchange: 'NSE', action: 'SELL', product: 'MIS', timestamp: '07-01-2026 10:10:00' };
    script = {
      orderbook: ok({
        data: {
          orders: [ORDER_ROW, { ...ORDER_ROW, orderid: '250107000003', action: 'SELL', pricetype: 'MARKET', price: 0, order_status: 'complete', average_price: 961.5 }],
          statistics: {},
        },
      }),
      tradebook: ok({ data: [{ ...trade, quantity: 4, average_price: 961 }, { ...trade, quantity: 6, average_price: '961.8333' }] }),
    };
    const reports = await broker().statusReports('acc');
    expect(reports.map((report) => [report.order.id, report.order.status, report.order.filledQuantity, report.allFills])).toEqual([
      ['250107000001', 'open', dec(0), true],
      ['250107000003', 'filled', dec(10), true],
    ]);
    expect(reports[1]?.fills.map((fill) => [fill.tradeId, fill.quantity, fill.price])).toEqual([
      ['250107000003-1', dec(4), dec(961)],
      ['250107000003-2', dec(6), dec('961.8333')],
    ]);
    expect(reports[1]?.order.averagePrice).toBe(dec('961.49998'));
  });

  it('asks /history for the IST days a range covers and keeps the bars inside it', async () => {
    const minute = (hh: number, mm: number) => Date.UTC(2026, 0, 7, hh, mm) / 1000;
    const bar = (time: number) => ({ timestamp: time, open: 960, high: 961, low: 959, close: 960.5, volume: 100, oi: 0 });
    script = {
      intervals: ok({ data: { seconds: [], minutes: ['1m'], hours: [], days: ['D'], weeks: [], months: [] } }),
      history: ok({ data: [bar(minute(4, 29)), bar(minute(4, 30)), bar(minute(4, 31)), bar(minute(4, 32))] }),
    };
    const adapter = broker();
    await adapter.start();
    expect(adapter.historyIntervals()).toEqual([{ unit: 'minute', count: 1 }, { unit: 'day', count: 1 }]);
    const series = await adapter.getHistory('SBIN', 'NSE');
    const bars = await series.bars({ unit: 'minute', count: 1 }, minute(4, 30) * 1000, minute(4, 32) * 1000);
    expect(bars.map((each) => each.time)).toEqual([minute(4, 30) * 1000, minute(4, 31) * 1000]);
    expect(calls.find((call) => call.endpoint === 'history')?.body).toEqual({
      apikey: KEY,
      symbol: 'SBIN',
      exchange: 'NSE',
      interval: '1m',
      start_date: '2026-01-07',
      end_date: '2026-01-07',
    });
  });
});
