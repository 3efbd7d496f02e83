// portfolio/* over HTTP: OpenAlgo's portfolio backtester over the daily closes of a seeded walking market (the history
// routes' set-up), checked against the closes POST /history answers.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_KEY } from '../harness.js';
import { type WalkingMarketV1, walkingMarketV1 } from './walking-market-v1.js';

const TODAY = '2026-11-25'; // T0 is 10:00 IST that day

let gateway: WalkingMarketV1;
let app: FastifyInstance;

beforeAll(async () => {
  gateway = await walkingMarketV1();
  ({ app } = gateway);
});

afterAll(() => gateway.close());

const post = (route: string, body: Record<string, unknown>) => gateway.post(route, body);

const get = async (url: string) => {
  const response = await app.inject({ method: 'GET', url });
  return { status: response.statusCode, body: response.json() as Record<string, unknown> };
};
const HOLDINGS = [
  { symbol: 'SBIN', exchange: 'NSE', weight: 60 },
  { symbol: 'INFY', exchange: 'NSE', weight: 40 },
];
const backtest = (body: Record<string, unknown> = {}) =>
  post('portfolio/backtest', { holdings: HOLDINGS, start_date: '2026-10-26', end_date: TODAY, ...body });
/** Date → close of POST /history's daily bars (stamped 00:00 UTC of their date), every calendar day on the paper market. */
const closes = async (symbol: string, exchange = 'NSE') => {
  const rows = (await post('history', { symbol, exchange, interval: 'D', start_date: '2026-10-26', end_date: TODAY })).body.data as { timestamp: number; close: number }[];
  return new Map(rows.map((row) => [new Date(row.timestamp * 1000).toISOString().slice(0, 10), row.close]));
};
/** NSE's sessions from 2026-10-26 to 2026-11-25: weekdays but Diwali Balipratipada (11-10) and Guru Nanak Jayanti (11-24), and the Sunday Muhurat session (11-08). */
const SESSIONS = [
  '2026-10-26', '2026-10-27', '2026-10-28', '2026-10-29', '2026-10-30',
  '2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06', '2026-11-08',
  '2026-11-09', '2026-11-11', '2026-11-12', '2026-11-13',
  '2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20',
  '2026-11-23', '2026-11-25',
];
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
type Point = { date: string; value: number };

describe('GET /portfolio/benchmarks', () => {
  it('lists the indices of the master by exchange and symbol, after the key check', async () => {
    const reply = await get(`/api/v1/portfolio/benchmarks?apikey=${TEST_KEY}`);
    expect(reply.status).toBe(200);
    const data = reply.body.data as { symbol: string; exchange: string; name: string }[];
    expect(data[0]).toEqual({ symbol: 'BANKNIFTY', exchange: 'NSE_INDEX', name: 'Nifty Bank' });
    expect(data.map((row) => `${row.exchange}:${row.symbol}`)).toContain('BSE_INDEX:SENSEX');
    expect(data.findIndex((row) => row.exchange === 'BSE_INDEX')).toBeGreaterThan(data.findIndex((row) => row.symbol === 'NIFTY'));
    expect(await get('/api/v1/portfolio/benchmarks')).toEqual({ status: 403, body: { status: 'error', message: 'Invalid openalgo apikey' } });
  });
});

describe('POST /portfolio/backtest', () => {
  it("buys the weights on the first session and lets them drift: equity is the weighted growth of the history's closes on NSE's sessions", async () => {
    const reply = await backtest({ benchmark: 'NIFTY' });
    expect(reply.status).toBe(200);
    const [sbin, infy, nifty] = [await closes('SBIN'), await closes('INFY'), await closes('NIFTY', 'NSE_INDEX')];
    expect(sbin.size).toBe(31); // the paper market has a bar every calendar day; weekends and holidays are not sessions
    const equity = reply.body.equity as Point[];
    expect(equity.map((point) => point.date)).toEqual(SESSIONS);
    // No Saturday or Sunday but the Muhurat session, which NSE holds on a Sunday in 2026.
    expect(equity.map((point) => point.date).filter((date) => weekday(date) === 0 || weekday(date) === 6)).toEqual(['2026-11-08']);
    expect(equity[0]).toEqual({ date: '2026-10-26', value: 100000 });
    const [first, last] = [SESSIONS[0]!, SESSIONS.at(-1)!];
    equity.forEach((point) => {
      const value = 60000 * (sbin.get(point.date)! / sbin.get(first)!) + 40000 * (infy.get(point.date)! / infy.get(first)!);
      expect(point.value).toBeCloseTo(Number(value.toFixed(4)), 3);
    });
    expect((reply.body.benchmark_equity as Point[]).map((point) => point.date)).toEqual(SESSIONS);
    expect((reply.body.benchmark_equity as Point[]).at(-1)!.value).toBeCloseTo((100000 * nifty.get(last)!) / nifty.get(first)!, 3);
    expect(Object.keys(reply.body)).toEqual(['status', 'meta', 'equity', 'benchmark_equity', 'metrics', 'items', 'correlation', 'diversification', 'series', 'asset_returns', 'allocation', 'costs', 'rebalancing']);
    const metrics = reply.body.metrics as Record<string, number>;
    expect(Object.keys(metrics)).toContain('beta');
    expect(metrics.excess_cagr).toBeCloseTo(metrics.cagr! - metrics.benchmark_cagr!, 5);
    expect(reply.body.costs).toEqual({ model: 'indian_equity', brokerage: 0, stt: 0, exchange_txn: 0, sebi: 0, stamp_duty: 0, gst: 0, slippage: 0, total: 0, orders: 0, schedule: 'India delivery (NSE)', drag: 0, turnover: 0 });
    expect((reply.body.meta as Record<string, unknown>).target_weights).toEqual({ SBIN: 0.6, INFY: 0.4 });
  });

  it("rebalances monthly on each month's last session (the run's last one too), charging the India delivery schedule", async () => {
    const reply = await backtest({ rebalance: 'monthly' });
    const rebalancing = reply.body.rebalancing as { count: number; dates: string[] };
    expect(rebalancing.dates).toEqual(['2026-10-30', '2026-11-25']); // 10-31 is a Saturday
    const costs = reply.body.costs as Record<string, number>;
    // STT 0.1 % of both legs, stamp duty 0.015 % of the buy leg, GST 18 % of the exchange and SEBI charges.
    expect(costs.stamp_duty).toBeCloseTo(costs.stt! * 0.075, 5);
    expect(costs.gst).toBeCloseTo((costs.exchange_txn! + costs.sebi!) * 0.18, 5);
    expect(costs.total).toBeCloseTo(costs.stt! + costs.exchange_txn! + costs.sebi! + costs.stamp_duty! + costs.gst!, 5);
    expect(costs.orders).toBe(4);
  });

  it("answers OpenAlgo's validation messages, then its refusals: 400 for the engine, 422 for the data", async () => {
    expect(await post('portfolio/backtest', { start_date: TODAY, end_date: TODAY })).toEqual({ status: 400, body: { status: 'error', message: { holdings: ['Missing data for required field.'] } } });
    expect((await backtest({ drift_band: 1 })).body.message).toEqual({ drift_band: ['Must be greater than or equal to 0 and less than or equal to 0.99.'] });
    expect((await backtest({ rebalance: 'weekly' })).body.message).toEqual({ rebalance: ['Must be one of: never, monthly, quarterly, yearly.'] });
    expect(await backtest({ charges: { stt: { rate: '1e400' } } })).toEqual({
      status: 400,
      body: { status: 'error', message: { charges: { stt: { rate: ['Special numeric values (nan or infinity) are not permitted.'] } } } },
    });
    // The overrides are a record of records: their values are read as marshmallow reads numbers, like named fields.
    expect(await backtest({ charges: { stt: { rate: '0x10' }, sebi: { cap: 'inf' } } })).toEqual({
      status: 400,
      body: {
        status: 'error',
        message: { charges: { stt: { rate: ['Not a valid number.'] }, sebi: { cap: ['Special numeric values (nan or infinity) are not permitted.'] } } },
      },
    });
    expect(await backtest({ holdings: [HOLDINGS[0], HOLDINGS[0]] })).toEqual({ status: 400, body: { status: 'error', message: 'duplicate symbol in holdings' } });
    expect(await backtest({ holdings: [{ symbol: 'SBIN', weight: 0 }] })).toEqual({ status: 400, body: { status: 'error', message: 'weights sum to zero' } });
    const unknown = await backtest({ holdings: [{ symbol: 'NOSUCH', weight: 1 }] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.message).toMatch(/^NOSUCH \(NSE\): history request failed \[400\] Symbol 'NOSUCH' not found/);
    expect(await backtest({ start_date: '2026-10-31', end_date: '2026-11-01' })).toEqual({ status: 422, body: { status: 'error', message: 'SBIN: history response contained no bars' } });
    expect((await backtest({ start_date: '2026-02-30' })).body).toEqual({ status: 'error', message: { start_date: ['Not a valid date.'] } });
    expect((await backtest({ apikey: 'nope' })).status).toBe(403);
  });

  it('reads a window longer than one history request (365 days on the paper market) in slices', async () => {
    const reply = await backtest({ holdings: [{ symbol: 'SBIN', weight: 1 }], start_date: '2025-06-02' });
    expect(reply.status).toBe(200);
    const dates = (reply.body.equity as Point[]).map((point) => point.date);
    expect([dates[0], dates.at(-1)]).toEqual(['2025-06-02', TODAY]);
    // The weekend days kept are Muhurat sessions only (2025-10-21 was a Tuesday).
    expect(dates.filter((date) => weekday(date) === 0 || weekday(date) === 6)).toEqual(['2026-11-08']);
    expect(dates).toContain('2025-10-21');
    expect(dates).not.toContain('2025-12-25');
  });
});

describe('POST /portfolio/tearsheet', () => {
  it('answers an HTML attachment of the same backtest', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/portfolio/tearsheet',
      payload: { apikey: TEST_KEY, holdings: HOLDINGS, start_date: '2026-10-26', end_date: TODAY },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="portfolio-tearsheet.html"');
    expect(response.body).toMatch(/^<!DOCTYPE html>.*<h1>Portfolio Tearsheet<\/h1>.*2026-10-26 to 2026-11-25, 22 sessions/s);
  });
});

describe('POST /portfolio/holdings', () => {
  it('answers 422 for an account without holdings, and checks the lookback', async () => {
    expect(await post('portfolio/holdings', {})).toEqual({ status: 422, body: { status: 'error', message: 'no holdings with a usable quantity and price' } });
    expect((await post('portfolio/holdings', { lookback_days: 30 })).body.message).toEqual({ lookback_days: ['Must be greater than or equal to 60 and less than or equal to 3650.'] });
  });
});
