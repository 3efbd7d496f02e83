// quotes, multiquotes, depth, symbol, search, expiry, instruments over HTTP (frozen market, prices set exactly).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startGateway } from '../harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startGateway();
  h.setPrice('SBIN', 'NSE', '800');
});
afterAll(() => h.close());

const post = (path: string, body: Record<string, unknown>) => h.post(`/api/v1/${path}`, { apikey: h.key, ...body });

const NOSUCH = "Symbol 'NOSUCH' not found for exchange 'NSE'. Please verify the symbol name and ensure master contracts are downloaded.";

describe('quotes and depth', () => {
  it('quote the last price with the best bid and ask of the book', async () => {
    const reply = await post('quotes', { symbol: 'SBIN', exchange: 'NSE' });
    expect(reply.status).toBe(200);
    expect(reply.body.data).toMatchObject({ ltp: 800, bid: 799.95, ask: 800.05, oi: 0 });
    expect(Object.keys(reply.body.data as object).sort()).toEqual(['ask', 'bid', 'high', 'low', 'ltp', 'oi', 'open', 'prev_close', 'volume']);
  });

  it('show five levels each side, best first, with totals', async () => {
    const data = (await post('depth', { symbol: 'SBIN', exchange: 'NSE' })).body.data as Record<string, unknown>;
    expect(data.bids).toEqual([
      { price: 799.95, quantity: 100 },
      { price: 799.9, quantity: 200 },
      { price: 799.85, quantity: 300 },
      { price: 799.8, quantity: 400 },
      { price: 799.75, quantity: 500 },
    ]);
    expect((data.asks as { price: number }[]).map((l) => l.price)).toEqual([800.05, 800.1, 800.15, 800.2, 800.25]);
    expect([data.totalbuyqty, data.totalsellqty, data.ltp]).toEqual([1500, 1500, 800]);
  });

  it('multiquotes lists unknown symbols first, as OpenAlgo, and is a 400 when none is known', async () => {
    const reply = await post('multiquotes', {
      symbols: [
        { symbol: 'SBIN', exchange: 'NSE' },
        { symbol: 'NOSUCH', exchange: 'NSE' },
      ],
    });
    const results = reply.body.results as Record<string, unknown>[];
    expect(results[0]).toEqual({ symbol: 'NOSUCH', exchange: 'NSE', error: NOSUCH });
    expect(results[1]).toMatchObject({ symbol: 'SBIN', exchange: 'NSE', data: { ltp: 800 } });
    expect(await post('multiquotes', { symbols: [{ symbol: 'NOSUCH', exchange: 'NSE' }] })).toEqual({
      status: 400,
      body: { status: 'error', message: NOSUCH, invalid_symbols: [{ symbol: 'NOSUCH', exchange: 'NSE', error: NOSUCH }] },
    });
  });

  it('an unknown symbol is a 400 in OpenAlgo\'s words, a bad exchange 400, an empty symbol list 400', async () => {
    for (const route of ['quotes', 'depth']) {
      expect(await post(route, { symbol: 'NOSUCH', exchange: 'NSE' })).toEqual({ status: 400, body: { status: 'error', message: NOSUCH } });
    }
    const bad = await post('depth', { symbol: 'SBIN', exchange: 'XNSE' });
    expect(bad.status).toBe(400);
    expect((bad.body.message as Record<string, string[]>).exchange?.[0]).toMatch(/^Must be one of: NSE, NFO/);
    expect((await post('multiquotes', { symbols: [] })).status).toBe(400);
  });
});

describe('symbols', () => {
  it("symbol returns the contract's terms in OpenAlgo's shape", async () => {
    const nifty = h.gateway.master.byExchange('NFO').find((i) => i.instrumentType === 'CE' && i.underlying === 'NIFTY')!;
    const data = (await post('symbol', { symbol: nifty.symbol, exchange: 'NFO' })).body.data as Record<string, unknown>;
    expect(data).toMatchObject({
      symbol: nifty.symbol,
      brsymbol: nifty.symbol,
      exchange: 'NFO',
      brexchange: 'NFO',
      instrumenttype: 'CE',
      lotsize: 65,
      tick_size: 0.05,
      freeze_qty: 1800,
      name: 'NIFTY',
    });
    expect(data.expiry).toMatch(/^\d{2}-[A-Z]{3}-\d{2}$/);
    expect((await post('symbol', { symbol: 'SBIN', exchange: 'NSE' })).body.data).toMatchObject({ brsymbol: 'SBIN-EQ', strike: -0.01, expiry: '' });
    expect((await post('symbol', { symbol: 'NOSUCH', exchange: 'NSE' })).status).toBe(404);
  });

  it('search matches every word in any case, across symbol, name and expiry', async () => {
    const reply = await post('search', { query: 'nifty 26000 dec ce', exchange: 'NFO' });
    const symbols = (reply.body.data as { symbol: string }[]).map((r) => r.symbol);
    expect(symbols.length).toBeGreaterThan(0);
    expect(symbols.every((s) => /^NIFTY\d{2}DEC2626000CE$/.test(s))).toBe(true);
    expect(reply.body.message).toBe(`Found ${symbols.length} matching symbols`);
    const bank = await post('search', { query: 'state bank', exchange: 'NSE' });
    expect((bank.body.data as { symbol: string }[]).map((r) => r.symbol)).toContain('SBIN');
    expect(await post('search', { query: 'zzzz' })).toEqual({ status: 200, body: { status: 'success', message: 'No matching symbols found', data: [] } });
    expect((await post('search', { query: '  ' })).status).toBe(400);
  });

  it('expiry lists the real upcoming expiries ascending as DD-MMM-YY', async () => {
    const reply = await post('expiry', { symbol: 'NIFTY', exchange: 'NFO', instrumenttype: 'options' });
    const dates = reply.body.data as string[];
    expect(reply.body.message).toBe(`Found ${dates.length} expiry dates for NIFTY options in NFO`);
    // T0 is 25 Nov 2026: NIFTY weeklies every Tuesday from 1 Dec, monthlies on the last Tuesday
    expect(dates.slice(0, 5)).toEqual(['01-DEC-26', '08-DEC-26', '15-DEC-26', '22-DEC-26', '29-DEC-26']);
    const futures = await post('expiry', { symbol: 'NIFTY', exchange: 'NFO', instrumenttype: 'futures' });
    expect(futures.body.data).toEqual(['29-DEC-26', '25-JAN-27', '23-FEB-27']);
    expect((await post('expiry', { symbol: 'NIFTY', exchange: 'NSE', instrumenttype: 'options' })).status).toBe(400);
    expect((await post('expiry', { symbol: 'NOSUCH', exchange: 'NFO', instrumenttype: 'options' })).status).toBe(404);
  });

  it('instruments lists the master as JSON or as a CSV download; no key is 401, a bad key 403', async () => {
    const json = await fetch(`${h.url}/api/v1/instruments?exchange=CRYPTO&apikey=${h.key}`);
    const body = (await json.json()) as { message: string; data: { symbol: string }[] };
    expect(body.data.map((r) => r.symbol)).toEqual(['BTCUSDFUT', 'ETHUSDFUT', 'SOLUSDFUT', 'XRPUSDFUT']);
    expect(body.message).toBe('Found 4 instruments');
    const csv = await fetch(`${h.url}/api/v1/instruments?exchange=CRYPTO&format=csv&apikey=${h.key}`);
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename=instruments_CRYPTO.csv');
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe('symbol,brsymbol,name,exchange,brexchange,token,expiry,strike,lotsize,instrumenttype,tick_size');
    expect(lines).toHaveLength(5);
    expect((await fetch(`${h.url}/api/v1/instruments`)).status).toBe(401);
    expect((await fetch(`${h.url}/api/v1/instruments?apikey=${'0'.repeat(64)}`)).status).toBe(403);
  });
});
