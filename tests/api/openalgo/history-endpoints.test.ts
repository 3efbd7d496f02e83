// history, intervals, ticker over HTTP: a Fastify app set up as the server sets it up (OpenAlgo's Ajv options, the v1
// plugin's authentication and error handler), with the history routes in the v1 scope, over a walking market.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toNumber } from '../../../src/domain/decimal.js';
import type { InstrumentMaster } from '../../../src/exchange/instruments/master.js';
import type { MarketSimulator } from '../../../src/exchange/market/market-simulator.js';
import { T0, TEST_KEY } from '../harness.js';
import { type WalkingMarketV1, walkingMarketV1 } from './walking-market-v1.js';

const ist = (text: string) => Date.parse(`${text}+05:30`);
const seconds = (text: string) => ist(text) / 1000;
/** OpenAlgo's stamp of a D, W, M, Q or Y bar: 00:00 UTC of its date (05:30 IST), epoch seconds. */
const dayStamp = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;
const TODAY = '2026-11-25'; // T0 is 10:00 IST that day

let gateway: WalkingMarketV1;
let app: FastifyInstance;
let market: MarketSimulator;
let master: InstrumentMaster;

beforeAll(async () => {
  gateway = await walkingMarketV1();
  ({ app, market, master } = gateway);
});

afterAll(() => gateway.close());

const post = (route: string, body: Record<string, unknown>) => gateway.post(route, body);

async function ticker(spec: string, query: Record<string, string>) {
  const response = await app.inject({ method: 'GET', url: `/api/v1/ticker/${spec}`, query });
  return { status: response.statusCode, type: String(response.headers['content-type']), text: response.body };
}

const history = (body: Record<string, unknown>) =>
  post('history', { symbol: 'SBIN', exchange: 'NSE', interval: '5m', start_date: TODAY, end_date: TODAY, ...body });

type Row = { timestamp: number; open: number; high: number; low: number; close: number; volume: number; oi: number };
const rows = (reply: { body: Record<string, unknown> }) => reply.body.data as Row[];

describe('POST /history', () => {
  it("answers today's 1m bars up to now, the last closing at the quote's last price", async () => {
    const reply = await history({ interval: '1m' });
    expect(reply.status).toBe(200);
    expect(reply.body.status).toBe('success');
    const data = rows(reply);
    expect(data).toHaveLength(601);
    expect(Object.keys(data[0]!)).toEqual(['timestamp', 'open', 'high', 'low', 'close', 'volume', 'oi']);
    expect(data[0]!.timestamp).toBe(seconds(`${TODAY}T00:00:00`));
    expect(data[600]!.timestamp).toBe(T0 / 1000);
    const sbin = master.require('SBIN', 'NSE');
    expect(data[600]!.close).toBe(toNumber(market.quote(sbin).lastPrice));
    expect(data.reduce((total, row) => total + row.volume, 0)).toBe(toNumber(market.quote(sbin).volume));
    expect(data.every((row) => row.oi === 0 && Number.isInteger(row.timestamp))).toBe(true);
  });

  it('answers daily bars stamped 00:00 UTC of their date, whose closes are the next opens, today ending at the quote', async () => {
    const data = rows(await history({ interval: 'D', start_date: '2026-11-19', end_date: TODAY }));
    expect(data.map((row) => row.timestamp)).toEqual([19, 20, 21, 22, 23, 24, 25].map((d) => dayStamp(`2026-11-${d}`)));
    expect(data[0]!.timestamp).toBe(seconds('2026-11-19T05:30:00'));
    for (let n = 0; n < 6; n++) expect(data[n]!.close).toBe(data[n + 1]!.open);
    const quote = market.quote(master.require('SBIN', 'NSE'));
    expect(data[6]).toEqual({
      timestamp: dayStamp(TODAY),
      open: toNumber(quote.open),
      high: toNumber(quote.high),
      low: toNumber(quote.low),
      close: toNumber(quote.lastPrice),
      volume: toNumber(quote.volume),
      oi: 0,
    });
  });

  it('replays GOOG.csv for GOOG on GLOBAL_INDEX, row for row', async () => {
    const reply = await post('history/', { symbol: 'GOOG', exchange: 'GLOBAL_INDEX', interval: 'D', start_date: '2004-08-19', end_date: '2004-08-20' });
    expect(reply).toEqual({
      status: 200,
      body: {
        status: 'success',
        data: [
          { timestamp: dayStamp('2004-08-19'), open: 100, high: 104.06, low: 95.96, close: 100.34, volume: 22351900, oi: 0 },
          { timestamp: dayStamp('2004-08-20'), open: 101.01, high: 109.08, low: 100.5, close: 108.31, volume: 11428600, oi: 0 },
        ],
      },
    });
  });

  it("answers source 'db' from the same market", async () => {
    expect(await history({ source: 'db' })).toEqual(await history({}));
  });

  it('reaches 30 days back from end_date for minutes, and is 400 beyond, naming the earliest start', async () => {
    expect((await history({ interval: '1h', start_date: '2026-10-26' })).status).toBe(200);
    expect(await history({ interval: '1h', start_date: '2026-10-25' })).toEqual({
      status: 400,
      body: {
        status: 'error',
        message: "Date range too long for interval '1h': at most 30 days before end_date, so start_date must be 2026-10-26 or later",
      },
    });
    expect((await history({ interval: '30s', start_date: '2026-11-23' })).body.message).toMatch(/at most 1 days before end_date/);
    expect((await history({ interval: 'W', start_date: '2025-11-24' })).body.message).toMatch(/at most 365 days before end_date, so start_date must be 2025-11-25/);
  });

  it('serves a replay ten years back in one request', async () => {
    const reply = await post('history', { symbol: 'GOOG', exchange: 'GLOBAL_INDEX', interval: 'D', start_date: '2003-03-04', end_date: '2013-03-01' });
    expect(rows(reply)).toHaveLength(2148);
  });

  it('an unknown symbol is a 400 with OpenAlgo words', async () => {
    expect(await history({ symbol: 'NOSUCH' })).toEqual({
      status: 400,
      body: {
        status: 'error',
        message: "Symbol 'NOSUCH' not found for exchange 'NSE'. Please verify the symbol name and ensure master contracts are downloaded.",
      },
    });
  });

  it('an interval outside the whitelist fails validation', async () => {
    const bad = await history({ interval: '7m' });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toEqual({
      interval: ['Must be one of: 1s, 5s, 10s, 15s, 30s, 45s, 1m, 2m, 3m, 5m, 10m, 15m, 20m, 30m, 1h, 2h, 3h, 4h, D, W, M, Q, Y.'],
    });
  });

  it('answers Q with the days of each calendar quarter aggregated, stamped 00:00 UTC of its first day', async () => {
    const days = rows(await history({ interval: 'D', start_date: '2026-10-01' }));
    const [quarter, ...more] = rows(await history({ interval: 'Q', start_date: '2026-10-01' }));
    expect(more).toEqual([]);
    expect(quarter).toEqual({
      timestamp: dayStamp('2026-10-01'),
      open: days[0]!.open,
      high: Math.max(...days.map((day) => day.high)),
      low: Math.min(...days.map((day) => day.low)),
      close: days.at(-1)!.close,
      volume: days.reduce((total, day) => total + day.volume, 0),
      oi: 0,
    });
    expect(rows(await history({ interval: 'Q', start_date: '2026-06-15' })).map((row) => row.timestamp)).toEqual(
      ['2026-04-01', '2026-07-01', '2026-10-01'].map(dayStamp),
    );
  });

  it('answers Y with the days of each calendar year aggregated', async () => {
    const body = { symbol: 'GOOG', exchange: 'GLOBAL_INDEX', start_date: '2005-01-01', end_date: '2006-12-31' };
    const years = rows(await post('history', { ...body, interval: 'Y' }));
    const months = rows(await post('history', { ...body, interval: 'M' }));
    expect(years.map((year) => year.timestamp)).toEqual([dayStamp('2005-01-01'), dayStamp('2006-01-01')]);
    expect(years[1]).toEqual({
      timestamp: dayStamp('2006-01-01'),
      open: months[12]!.open,
      high: Math.max(...months.slice(12).map((month) => month.high)),
      low: Math.min(...months.slice(12).map((month) => month.low)),
      close: months[23]!.close,
      volume: months.slice(12).reduce((total, month) => total + month.volume, 0),
      oi: 0,
    });
  });

  it('a replay cannot be cut finer than its rows', async () => {
    const reply = await post('history', { symbol: 'GOOG', exchange: 'GLOBAL_INDEX', interval: '1m', start_date: '2004-08-19', end_date: '2004-08-19' });
    expect(reply).toEqual({
      status: 400,
      body: {
        status: 'error',
        message: "Interval '1m' is not available for GOOG on GLOBAL_INDEX, which has bars replayed from GOOG.csv (daily). Supported intervals: D, W, M, Q, Y",
      },
    });
  });

  it('dates must be real YYYY-MM-DD days, the end not before the start', async () => {
    expect(await history({ start_date: '2026/11/25' })).toEqual({ status: 400, body: { status: 'error', message: { start_date: ['Not a valid date.'] } } });
    expect(await history({ end_date: '2026-02-30' })).toEqual({ status: 400, body: { status: 'error', message: { end_date: ['Not a valid date.'] } } });
    expect(await history({ start_date: '2026-11-26' })).toEqual({ status: 400, body: { status: 'error', message: 'end_date must not be before start_date' } });
  });

  it('a day without bars yet answers an empty list', async () => {
    expect(await history({ start_date: '2026-11-26', end_date: '2026-11-27' })).toEqual({ status: 200, body: { status: 'success', data: [] } });
  });

  it('missing fields are listed as a JSON object; a wrong key is 403', async () => {
    const reply = await app.inject({ method: 'POST', url: '/api/v1/history', payload: { symbol: 'SBIN' } });
    expect(reply.statusCode).toBe(400);
    const missing = ['Missing data for required field.'];
    expect(reply.json()).toEqual({
      status: 'error',
      message: { apikey: missing, end_date: missing, exchange: missing, interval: missing, start_date: missing },
    });
    expect(await history({ apikey: 'nope' })).toEqual({ status: 403, body: { status: 'error', message: 'Invalid openalgo apikey' } });
  });
});

describe('POST /intervals', () => {
  it('lists exactly the intervals served, grouped as OpenAlgo groups them', async () => {
    expect(await post('intervals', {})).toEqual({
      status: 200,
      body: {
        status: 'success',
        data: {
          days: ['D'],
          hours: ['1h', '2h', '3h', '4h'],
          minutes: ['1m', '2m', '3m', '5m', '10m', '15m', '20m', '30m'],
          months: ['M', 'Q', 'Y'],
          seconds: ['1s', '5s', '10s', '15s', '30s', '45s'],
          weeks: ['W'],
        },
      },
    });
  });

  it('needs a valid key', async () => {
    expect((await post('intervals', { apikey: 'nope' })).status).toBe(403);
  });
});

describe('GET /ticker/:EXCHANGE:SYMBOL', () => {
  it('answers JSON like /history, daily by default', async () => {
    const reply = await ticker('NSE:SBIN', { apikey: TEST_KEY, from: '2026-11-19', to: TODAY });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.text)).toEqual((await history({ interval: 'D', start_date: '2026-11-19' })).body);
    const fiveMinutes = await ticker('NSE%3ASBIN', { apikey: TEST_KEY, interval: '5m', from: TODAY, to: TODAY });
    expect(JSON.parse(fiveMinutes.text)).toEqual((await history({})).body);
  });

  it('format=txt answers daily lines without a time, as OpenAlgo prints them', async () => {
    const reply = await ticker('GLOBAL_INDEX:GOOG', { apikey: TEST_KEY, interval: 'D', from: '2004-08-19', to: '2004-08-23', format: 'txt' });
    expect(reply.status).toBe(200);
    expect(reply.type).toBe('text/plain; charset=utf-8');
    expect(reply.text).toBe(
      [
        'GLOBAL_INDEX:GOOG,2004-08-19,100.0,104.06,95.96,100.34,22351900',
        'GLOBAL_INDEX:GOOG,2004-08-20,101.01,109.08,100.5,108.31,11428600',
        'GLOBAL_INDEX:GOOG,2004-08-23,110.75,113.48,109.05,109.4,9137200',
      ].join('\n'),
    );
  });

  it('format=txt puts the IST time of the stamp after the date for any other interval: 05:30 for a week', async () => {
    const weekly = await ticker('GLOBAL_INDEX:GOOG', { apikey: TEST_KEY, interval: 'W', from: '2004-08-19', to: '2004-08-20', format: 'TXT' });
    expect(weekly.text).toBe('GLOBAL_INDEX:GOOG,2004-08-16,05:30:00,100.0,109.08,95.96,108.31,33780500');
    const lines = (await ticker('NSE:SBIN', { apikey: TEST_KEY, interval: '15m', from: TODAY, to: TODAY, format: 'txt' })).text.split('\n');
    expect(lines).toHaveLength(41);
    expect(lines[0]).toMatch(/^NSE:SBIN,2026-11-25,00:00:00,\d+\.\d+,\d+\.\d+,\d+\.\d+,\d+\.\d+,\d+$/);
    const ltp = toNumber(market.quote(master.require('SBIN', 'NSE')).lastPrice);
    expect(lines[40]!.split(',').slice(1, 3)).toEqual([TODAY, '10:00:00']);
    expect(Number(lines[40]!.split(',')[6])).toBe(ltp);
  });

  it('takes epoch seconds and milliseconds as instants, `to` included', async () => {
    const from = seconds(`${TODAY}T09:00:00`);
    const bySeconds = await ticker('NSE:SBIN', { apikey: TEST_KEY, interval: '30m', from: String(from), to: String(from + 1800) });
    expect((JSON.parse(bySeconds.text) as { data: Row[] }).data.map((row) => row.timestamp)).toEqual([from, from + 1800]);
    const byMillis = await ticker('NSE:SBIN', { apikey: TEST_KEY, interval: '30m', from: String(from * 1000), to: String(from * 1000 + 1799_999) });
    expect((JSON.parse(byMillis.text) as { data: Row[] }).data.map((row) => row.timestamp)).toEqual([from]);
  });

  it('cuts a range longer than /history allows to end at `to`, as OpenAlgo does', async () => {
    const hourly = JSON.parse((await ticker('NSE:SBIN', { apikey: TEST_KEY, interval: '4h', from: '2026-01-01', to: TODAY })).text) as { data: Row[] };
    expect(hourly.data[0]!.timestamp).toBe(seconds('2026-10-26T00:00:00'));
    expect(hourly.data).toHaveLength(31 * 6 - 3);
  });

  it('a missing key fails validation (400, as OpenAlgo), in text with format=txt', async () => {
    const json = await ticker('NSE:SBIN', { from: TODAY, to: TODAY });
    expect([json.status, JSON.parse(json.text)]).toEqual([400, { status: 'error', message: { apikey: ['Missing data for required field.'] } }]);
    const text = await ticker('NSE:SBIN', { from: TODAY, to: TODAY, format: 'txt' });
    expect([text.status, text.type, text.text]).toEqual([400, 'text/plain; charset=utf-8', "{'apikey': ['Missing data for required field.']}"]);
  });

  it('a wrong key is 403, in text with format=txt', async () => {
    const json = await ticker('NSE:SBIN', { apikey: 'nope', from: TODAY, to: TODAY });
    expect([json.status, JSON.parse(json.text)]).toEqual([403, { status: 'error', message: 'Invalid openalgo apikey' }]);
    const text = await ticker('NSE:SBIN', { apikey: 'nope', from: TODAY, to: TODAY, format: 'txt' });
    expect([text.status, text.text]).toEqual([403, 'Invalid openalgo apikey']);
  });

  it('refuses a path that is not EXCHANGE:SYMBOL, an unknown exchange or symbol, and bad dates', async () => {
    const message = async (spec: string, query: Record<string, string> = {}) => {
      const reply = await ticker(spec, { apikey: TEST_KEY, from: TODAY, to: TODAY, ...query });
      return [reply.status, (JSON.parse(reply.text) as { message: unknown }).message];
    };
    expect(await message('SBIN')).toEqual([400, 'Symbol must be EXCHANGE:SYMBOL, e.g. NSE:RELIANCE']);
    expect(await message('XNSE:SBIN')).toEqual([
      400,
      { exchange: ['Must be one of: NSE, NFO, CDS, BSE, BFO, BCD, MCX, NCDEX, NCO, NSE_INDEX, BSE_INDEX, MCX_INDEX, GLOBAL_INDEX, CRYPTO.'] },
    ]);
    expect(await message('NSE:NOSUCH')).toEqual([
      400,
      "Symbol 'NOSUCH' not found for exchange 'NSE'. Please verify the symbol name and ensure master contracts are downloaded.",
    ]);
    expect(await message('NSE:SBIN', { from: '25-11-2026' })).toEqual([
      400,
      { from: ["Field must be a string in 'YYYY-MM-DD' format or a numeric timestamp."] },
    ]);
    expect(await message('NSE:SBIN', { from: '2026-11-26' })).toEqual([400, 'from must not be after to']);
    expect(await message('NSE:SBIN', { interval: '1d' })).toEqual([
      400,
      { interval: ['Must be one of: 1s, 5s, 10s, 15s, 30s, 45s, 1m, 2m, 3m, 5m, 10m, 15m, 20m, 30m, 1h, 2h, 3h, 4h, D, W, M, Q, Y.'] },
    ]);
  });
});

describe('OpenAPI', () => {
  it('documents the three endpoints from their schemas, the ticker answering JSON or text', () => {
    type Operation = { responses: Record<string, { content?: Record<string, unknown> }> };
    const { paths } = app.swagger() as unknown as { paths: Record<string, Record<string, Operation>> };
    expect(Object.keys(paths).filter((p) => /history|intervals|ticker/.test(p)).sort()).toEqual([
      '/api/v1/history',
      '/api/v1/intervals',
      '/api/v1/ticker/{symbol}',
    ]);
    expect(Object.keys(paths['/api/v1/ticker/{symbol}']!.get!.responses['200']!.content ?? {})).toEqual(['application/json', 'text/plain']);
  });
});
