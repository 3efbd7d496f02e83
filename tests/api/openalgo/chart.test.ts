// GET and POST /chart: the account's chart preferences, kept in the store, with OpenAlgo's limits and words.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pythonJsonLength } from '../../../src/api/openalgo/routes/chart.js';
import { type Harness, requestJson, startGateway } from '../harness.js';

let h: Harness;
beforeEach(async () => {
  h = await startGateway();
});
afterEach(() => h.close());

const save = (preferences: Record<string, unknown>) => h.post('/api/v1/chart', { apikey: h.key, ...preferences });
const read = async (key = h.key) => {
  const { status, body } = await requestJson(h.url, 'GET', `/api/v1/chart?apikey=${key}`);
  return { status, body };
};

describe('chart preferences', () => {
  it('are empty at first, then hold every value as written; a later write replaces its keys and keeps the others', async () => {
    expect(await read()).toEqual({ status: 200, body: { status: 'success', data: {} } });
    const layout = '{"charts":[{"panes":[]}]}';
    expect(await save({ tv_theme: 'dark', tv_chart_layout: layout, watchlist: ['SBIN', 'INFY'], zoom: 1.5, grid: null })).toEqual({
      status: 200,
      body: { status: 'success', message: 'Preferences updated successfully' },
    });
    expect(await save({ tv_theme: 'light' })).toEqual({ status: 200, body: { status: 'success', message: 'Preferences updated successfully' } });
    expect((await read()).body).toEqual({
      status: 'success',
      data: { grid: null, tv_chart_layout: layout, tv_theme: 'light', watchlist: ['SBIN', 'INFY'], zoom: 1.5 },
    });
  });

  it('survive a restart', async () => {
    await save({ tv_theme: 'dark' });
    await h.stop();
    const restarted = await startGateway({ dataDir: h.dataDir });
    try {
      const { body } = await requestJson(restarted.url, 'GET', `/api/v1/chart?apikey=${restarted.key}`);
      expect(body).toEqual({ status: 'success', data: { tv_theme: 'dark' } });
    } finally {
      await restarted.close();
    }
  });

  it("refuse more than 50 keys, a key over 50 characters and a value over 1 MB as Python's json.dumps measures it", async () => {
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, index) => [`k${index}`, index]));
    expect(await save(many)).toEqual({ status: 400, body: { status: 'error', message: 'Too many preference keys (max 50)' } });
    expect(await save({ ['x'.repeat(51)]: 1 })).toEqual({
      status: 400,
      body: { status: 'error', message: `Preference key too long: ${'x'.repeat(20)}... (max 50 chars)` },
    });
    expect((await save({ ['x'.repeat(50)]: 1 })).status).toBe(200);
    // json.dumps of a string of n ASCII characters is n + 2 long: 1,048,574 fit, 1,048,575 do not.
    expect((await save({ big: 'a'.repeat(1_048_574) })).status).toBe(200);
    expect(await save({ big: 'a'.repeat(1_048_575) })).toEqual({
      status: 400,
      body: { status: 'error', message: 'Preference value too large for key: big (max 1MB)' },
    });
    // Non-ASCII is escaped to \uXXXX: 200,000 é are 1,200,002 characters to json.dumps.
    expect((await save({ accents: 'é'.repeat(200_000) })).body.message).toBe('Preference value too large for key: accents (max 1MB)');
    expect((await read()).body.data).toMatchObject({ big: 'a'.repeat(1_048_574) });
  });

  it('refuse a request with no preference, and a read without the key in the query', async () => {
    expect(await save({})).toEqual({ status: 400, body: { status: 'error', message: 'No preferences provided to update' } });
    expect(await requestJson(h.url, 'GET', '/api/v1/chart')).toMatchObject({
      status: 400,
      body: { status: 'error', message: { apikey: ['Missing data for required field.'] } },
    });
    expect(await read('nope')).toEqual({ status: 403, body: { status: 'error', message: 'Invalid openalgo apikey' } });
  });
});

describe("Python's json.dumps length", () => {
  it('counts escapes and its separators', () => {
    expect(pythonJsonLength('abc')).toBe(5);
    expect(pythonJsonLength('é')).toBe(8);
    expect(pythonJsonLength([1, 2, 3])).toBe('[1, 2, 3]'.length);
    expect(pythonJsonLength({ a: 1, b: [true, null] })).toBe('{"a": 1, "b": [true, null]}'.length);
  });
});
