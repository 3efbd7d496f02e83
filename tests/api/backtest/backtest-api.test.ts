// The backtest API end to end, over HTTP against a running gateway: a run answered at once and one as a job with its
// progress, the stored history, sweeps, the 404 and 422 answers, and user strategies that throw or loop forever
// failing their own run while the server keeps serving.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, type JsonAnswer, TEST_KEY, login, requestJson, startGateway } from '../harness.js';

let h: Harness;
let token: string;

const api = {
  get: (route: string) => requestJson(h.url, 'GET', `/api/backtest${route}`, { token }),
  post: (route: string, body: unknown) => requestJson(h.url, 'POST', `/api/backtest${route}`, { token, body }),
  delete: (route: string) => requestJson(h.url, 'DELETE', `/api/backtest${route}`, { token }),
};
const GOOG = { source: 'bundled', name: 'GOOG' };
const fixture = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../fixtures/backtest/goog-sma-10-20.json'), 'utf8')) as {
  stats: Record<string, number | string | null>;
};

/** Polls a job until it is no longer running. */
async function finished(jobId: string): Promise<JsonAnswer> {
  for (;;) {
    const answer = await api.get(`/jobs/${jobId}`);
    if (answer.body.status !== 'running') return answer;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

beforeAll(async () => {
  // A short time limit, so the strategy that loops forever fails within the test; a walking market (seeded, on the
  // harness's manual clock), so the exchange's history has crossovers to trade.
  h = await startGateway({ env: { ORDERGATE_BACKTEST_TIMEOUT_MS: '3000', ORDERGATE_BACKTEST_WORKERS: '2', ORDERGATE_MARKET: 'walk' } });
  token = (await login(h.url)).access_token;
});
afterAll(() => h.close());

describe('POST /api/backtest/run', () => {
  it('answers sma_cross on GOOG with backtesting.py’s statistics, under AlphaOracle’s names too', async () => {
    const answer = await api.post('/run', { strategy_name: 'sma_cross', params: { fast: 10, slow: 20 }, data: GOOG, initial_capital: 10_000, commission: 0 });
    expect(answer.status).toBe(200);
    const statistics = answer.body.statistics as Record<string, unknown>;
    for (const name of ['Return [%]', 'Sharpe Ratio', '# Trades', 'Win Rate [%]', 'Max. Drawdown [%]', 'Equity Final [$]', 'SQN']) {
      expect(statistics[name]).toBeCloseTo(fixture.stats[name] as number, 8);
    }
    expect(statistics.Start).toBe('2004-08-19T00:00:00.000Z');
    expect(answer.body).toMatchObject({
      strategy_name: 'sma_cross',
      params: { fast: 10, slow: 20 },
      fill_model: 'reference',
      bar_count: 2148,
      sharpe_ratio: statistics['Sharpe Ratio'],
      max_drawdown_pct: statistics['Max. Drawdown [%]'],
      total_return_pct: statistics['Return [%]'],
      total_trades: 93,
      win_rate: statistics['Win Rate [%]'],
    });
    expect((answer.body.equity as unknown[]).length).toBe(2148);
    expect(answer.body.fill_report).toBeNull();
    expect((answer.body.trades as unknown[]).length).toBe(93);
  });

  it('answers 202 with a job when asked, whose progress ends in the stored run', async () => {
    const started = await api.post('/run', { strategy_name: 'ema_cross', data: { source: 'bundled', name: 'EURUSD' }, async: true });
    expect(started.status).toBe(202);
    expect(started.headers.get('location')).toBe(`/api/backtest/jobs/${started.body.job_id}`);
    expect(started.body).toMatchObject({ kind: 'run', status: 'running' });
    const done = await finished(started.body.job_id as string);
    expect(done.body).toMatchObject({ status: 'succeeded', progress: 1 });
    const run = done.body.result as Record<string, unknown>;
    expect(run.params).toEqual({ fast: 10, slow: 20 });
    expect((await api.get(`/${run.id as string}`)).body).toEqual(run);
  });

  it('runs over the exchange’s history of an instrument, and through the exchange fill model', async () => {
    const answer = await api.post('/run', {
      strategy_name: 'sma_cross',
      data: { source: 'history', symbol: 'sbin', exchange: 'NSE', interval: 'D' },
      start_date: '2026-01-01',
      end_date: '2026-11-24',
      initial_capital: 1_000_000,
      fill_model: 'exchange',
      exchange_fill: { product: 'MIS' },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ fill_model: 'exchange', data: { source: 'history', symbol: 'SBIN', exchange: 'NSE', interval: 'D' } });
    // MIS on daily bars: every position is squared off at its bar's close, and each fill pays the charges.
    const report = answer.body.fill_report as Record<string, number>;
    expect(report.square_offs).toBeGreaterThan(0);
    expect(report.square_offs).toBe((answer.body.trades as unknown[]).length);
    expect(report.charges).toBeGreaterThan(0);
    expect(answer.body.bar_count).toBeGreaterThan(200);
    for (const trade of answer.body.trades as Array<{ size: number }>) expect(Number.isInteger(trade.size)).toBe(true);
  });

  it('refuses an unknown strategy with 404 and bad input with 422 naming the field', async () => {
    const unknown = await api.post('/run', { strategy_name: 'nope', data: GOOG });
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/No strategy named 'nope'; known strategies: sma_cross, ema_cross/);

    const field = await api.post('/run', { strategy_name: 'sma_cross', data: GOOG, initial_capital: -5 });
    expect(field.status).toBe(422);
    expect(field.body).toMatchObject({ status: 'error', code: 'unprocessable' });
    expect(field.body.message).toMatch(/initial_capital/);

    const param = await api.post('/run', { strategy_name: 'sma_cross', data: GOOG, params: { fast: 30, slow: 20 } });
    expect(param.status).toBe(422);
    expect(param.body.message).toMatch(/constraint/);

    const date = await api.post('/run', { strategy_name: 'sma_cross', data: GOOG, start_date: '2010-02-30' });
    expect(date).toMatchObject({ status: 422, body: { message: 'start_date: 2010-02-30 is not a date' } });
  });

  it('refuses data too short for the indicators with 422 and the reason', async () => {
    const csv = ['Date,Open,High,Low,Close,Volume', ...Array.from({ length: 10 }, (_, i) => `2020-01-${String(i + 1).padStart(2, '0')},1,2,0.5,1.5,100`)].join('\n');
    const answer = await api.post('/run', { strategy_name: 'sma_cross', data: { source: 'csv', csv } });
    expect(answer.status).toBe(422);
    expect(answer.body.message).toBe("The strategy's indicators need at least 21 bars, but the data has 10");
  });
});

describe('GET /api/backtest/history', () => {
  it('lists the caller’s runs newest first, filtered by strategy and limited', async () => {
    const all = await api.get('/history?limit=100');
    const names = (all.body.items as Array<{ strategy_name: string }>).map((item) => item.strategy_name);
    expect(names.slice(0, 3)).toEqual(['sma_cross', 'ema_cross', 'sma_cross']);
    const one = await api.get('/history?strategy=ema_cross&limit=1');
    expect((one.body.items as unknown[]).length).toBe(1);
    expect(one.body.items).toMatchObject([{ strategy_name: 'ema_cross' }]);
    expect((await api.get('/history?limit=0')).status).toBe(422);
    expect((await api.get('/history?limit=101')).status).toBe(422);
  });

  it('needs the admin API’s credentials and scope', async () => {
    expect((await requestJson(h.url, 'GET', '/api/backtest/history')).status).toBe(401);
    // The first key has the read and trade scopes, not admin.
    expect((await requestJson(h.url, 'GET', '/api/backtest/history', { key: TEST_KEY })).status).toBe(403);
    expect((await api.get('/bt_missing')).status).toBe(404);
  });
});

describe('POST /api/backtest/optimize', () => {
  it('ranks a grid by the statistic to maximise and draws the heatmap of two parameters', async () => {
    const answer = await api.post('/optimize', {
      strategy_name: 'sma_cross',
      data: GOOG,
      grid: { fast: [5, 10, 15], slow: [20, 30] },
      maximize: 'Equity Final [$]',
      top: 3,
    });
    expect(answer.status).toBe(200);
    expect(answer.body.combinations).toBe(6);
    const rows = answer.body.rows as Array<{ statistics: Record<string, number> }>;
    expect(rows).toHaveLength(3);
    expect(rows[0]!.statistics['Equity Final [$]']).toBeGreaterThanOrEqual(rows[1]!.statistics['Equity Final [$]']!);
    expect(answer.body.heatmap).toMatchObject({ x: { name: 'fast', values: [5, 10, 15] }, y: { name: 'slow', values: [20, 30] } });
  });
});

describe('user strategies', () => {
  const throwing = `export default defineStrategy({
  name: 'thrower',
  description: 'throws on its 30th bar',
  params: [],
  init: ({ indicators }) => ({ sma: indicators.sma(5) }),
  onBar: (ctx) => {
    if (ctx.bars.index === 30) {
      const missing: { x: number } | undefined = undefined;
      return missing!.x;
    }
  },
});
`;
  const looping = `export default defineStrategy({
  name: 'looper',
  description: 'never returns',
  params: [],
  init: ({ indicators }) => ({ sma: indicators.sma(5) }),
  onBar: () => {
    for (;;) {}
  },
});
`;

  it('uploads a strategy whose throw fails its run with the message and line', async () => {
    const uploaded = await api.post('/strategies', { source: throwing });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({ name: 'thrower', origin: 'upload', params: [] });
    const run = await api.post('/run', { strategy_name: 'thrower', data: GOOG });
    expect(run.status).toBe(422);
    expect(run.body.message).toMatch(/^TypeError: Cannot read properties of undefined \(reading 'x'\) at thrower\.ts:9$/);
  });

  it('fails a strategy that loops forever at the time limit while the server keeps serving', async () => {
    expect((await api.post('/strategies', { source: looping })).status).toBe(201);
    const started = await api.post('/run', { strategy_name: 'looper', data: GOOG, async: true });
    expect(started.status).toBe(202);
    expect((await requestJson(h.url, 'GET', '/health')).status).toBe(200);
    const done = await finished(started.body.job_id as string);
    expect(done.body).toMatchObject({ status: 'failed', error: { code: 'unprocessable', message: 'The run of looper ran longer than 3 s' } });
    expect((await api.post('/run', { strategy_name: 'sma_cross', data: GOOG })).status).toBe(200);
  });

  it('refuses a module with a syntax error, naming its line', async () => {
    const answer = await api.post('/strategies', { source: 'export default {\n  name: "broken",\n  params: [,\n' });
    expect(answer.status).toBe(422);
    expect(answer.body.message).toMatch(/Syntax error at upload\.ts:4/);
  });

  it('replaces an upload of the same name (200), and removes one (204, then 404)', async () => {
    const replaced = await api.post('/strategies', { source: throwing.replace('throws on its 30th bar', 'still throws') });
    expect(replaced).toMatchObject({ status: 200, body: { name: 'thrower', description: 'still throws' } });
    expect((await api.delete('/strategies/thrower')).status).toBe(204);
    expect((await api.delete('/strategies/thrower')).status).toBe(404);
    expect((await api.post('/run', { strategy_name: 'thrower', data: GOOG })).status).toBe(404);
  });

  it('cancels a running job', async () => {
    const started = await api.post('/run', { strategy_name: 'looper', data: GOOG, async: true });
    const cancelled = await api.delete(`/jobs/${started.body.job_id as string}`);
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    expect((await api.get('/strategies')).body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'looper', origin: 'upload' }), expect.objectContaining({ name: 'sma_cross', origin: 'builtin' })]),
    );
  });
});
