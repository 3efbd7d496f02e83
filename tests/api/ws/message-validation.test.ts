// Every client message is checked against its action's schema before anything acts on it: a malformed one is answered
// with an error naming the field, the rule and OpenAlgo's code, carrying the request_id back, and never with an internal
// error; a message that passes never leaves a subscription half made.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MarketSource } from '../../../src/api/ws/market-stream.js';
import type { Instrument } from '../../../src/domain/instrument.js';
import { type StreamHarness, startStreamGateway } from './stream-harness.js';

const NSE = (symbol: string) => ({ symbol, exchange: 'NSE' });
const invalid = (message: string, request_id: string) => ({ status: 'error', code: 'INVALID_PARAMETERS', message, request_id });
const invalidMode = (message: string, request_id: string) => ({ status: 'error', code: 'INVALID_MODE', message, request_id });
const SYMBOLS_RULE = 'symbols must be an array of at most 1000 {symbol, exchange} objects';
// OpenAlgo's words for a mode that is not one.
const MODE_NUMBERS = 'expected 1 (LTP), 2 (Quote), or 3 (Depth)';
const MODE_NAMES = "expected 'LTP', 'Quote', or 'Depth' (case-insensitive)";

describe('a malformed message', () => {
  let h: StreamHarness;
  beforeAll(async () => {
    h = await startStreamGateway();
  });
  afterAll(() => h.close());

  it('unsubscribe with an empty symbols list and a top-level symbol ends that symbol, echoing request_id', async () => {
    const client = await h.connectAuthenticated();
    client.send({ action: 'subscribe', ...NSE('SBIN'), mode: 1 });
    await client.take((m) => m.type === 'subscribe');
    await client.settle();

    const reply = await client.request({ action: 'unsubscribe', symbols: [], ...NSE('SBIN'), request_id: 'u1' });
    expect(reply).toEqual({
      type: 'unsubscribe',
      status: 'success',
      message: 'Unsubscription processing complete',
      successful: [{ ...NSE('SBIN'), status: 'success', broker: 'paper' }],
      failed: [],
      broker: 'paper',
      request_id: 'u1',
    });
    expect(h.stream.connectionStats().at(-1)).toMatchObject({ subscriptions: 0 });
    await client.close();
  });

  it("fails an unsubscribe entry whose mode is not one alone, in OpenAlgo's words: partial beside others, error alone", async () => {
    const client = await h.connectAuthenticated();
    client.send({ action: 'subscribe', symbols: [NSE('SBIN'), NSE('INFY')], mode: 1 });
    await client.take((m) => m.type === 'subscribe');
    await client.settle();
    const failed = (symbol: string, message: string) => ({ ...NSE(symbol), status: 'error', message, broker: 'paper' });

    const reply = await client.request({
      action: 'unsubscribe',
      symbols: [{ ...NSE('SBIN'), mode: 'full' }, { ...NSE('INFY'), mode: 1 }, { ...NSE('TCS'), mode: 7 }],
      request_id: 'u2',
    });
    expect(reply).toEqual({
      type: 'unsubscribe',
      status: 'partial',
      message: 'Unsubscription processing complete',
      successful: [{ ...NSE('INFY'), status: 'success', broker: 'paper' }],
      failed: [
        failed('SBIN', `Invalid mode 'full'; ${MODE_NAMES}`),
        failed('TCS', `Invalid mode 7; ${MODE_NUMBERS}`),
      ],
      broker: 'paper',
      request_id: 'u2',
    });
    expect(h.stream.connectionStats().at(-1)).toMatchObject({ subscriptions: 1 });

    expect(await client.request({ action: 'unsubscribe', symbols: [{ ...NSE('SBIN'), mode: true }, { ...NSE('SBIN'), mode: 1.5 }] })).toEqual({
      type: 'unsubscribe',
      status: 'error',
      message: 'Unsubscription processing complete',
      successful: [],
      failed: [failed('SBIN', 'Mode must be int or str, got bool (True)'), failed('SBIN', 'Mode must be int or str, got float')],
      broker: 'paper',
    });
    expect(h.stream.connectionStats().at(-1)).toMatchObject({ subscriptions: 1 });
    await client.close();
  });

  it('is answered with the field, the rule and the value sent (a mode in OpenAlgo\'s words), and the request_id', async () => {
    const client = await h.connectAuthenticated();
    const cases: Array<[Record<string, unknown>, Record<string, unknown>]> = [
      [{ action: 'subscribe', symbols: 'SBIN' }, invalid(`${SYMBOLS_RULE} (got "SBIN")`, 'r')],
      [{ action: 'subscribe', symbols: { symbol: 'SBIN' } }, invalid(SYMBOLS_RULE, 'r')],
      [{ action: 'subscribe', symbols: Array(1001).fill(NSE('SBIN')) }, invalid(SYMBOLS_RULE, 'r')],
      [{ action: 'subscribe', symbols: [null] }, invalid('symbols[0] must be a {symbol, exchange} object (got null)', 'r')],
      [{ action: 'subscribe', symbols: [[1, 2]] }, invalid('symbols[0] must be a {symbol, exchange} object', 'r')],
      [{ action: 'subscribe', symbols: [{ symbol: 'SBIN' }] }, invalid('symbols[0].exchange is required', 'r')],
      [
        { action: 'subscribe', symbols: [NSE('INFY'), { symbol: 5, exchange: 'NSE' }] },
        invalid('symbols[1].symbol must be a symbol of 1 to 64 characters (got 5)', 'r'),
      ],
      [
        { action: 'subscribe', symbols: [{ symbol: '', exchange: 'NSE' }] },
        invalid('symbols[0].symbol must be a symbol of 1 to 64 characters (got "")', 'r'),
      ],
      [
        { action: 'subscribe', symbol: { nested: { junk: [1] } }, exchange: 'NSE' },
        invalid('symbol must be a symbol of 1 to 64 characters', 'r'),
      ],
      [{ action: 'subscribe', ...NSE('SBIN'), mode: 4 }, invalidMode(`Invalid mode 4; ${MODE_NUMBERS}`, 'r')],
      [{ action: 'subscribe', ...NSE('SBIN'), mode: '4' }, invalidMode(`Invalid mode '4'; ${MODE_NAMES}`, 'r')],
      [{ action: 'subscribe', ...NSE('SBIN'), mode: true }, invalidMode('Mode must be int or str, got bool (True)', 'r')],
      [{ action: 'subscribe', ...NSE('SBIN'), mode: [1] }, invalidMode('Mode must be int or str, got list', 'r')],
      [
        { action: 'subscribe', ...NSE('SBIN'), depth: 'five' },
        invalid('depth must be a whole number of levels (5, 20, 30 or 50) (got "five")', 'r'),
      ],
      [{ action: 'unsubscribe', ...NSE('SBIN'), mode: 0 }, invalidMode(`Invalid mode 0; ${MODE_NUMBERS}`, 'r')],
      [
        { action: 'authenticate', api_key: 12345 },
        invalid('api_key must be a string of at most 256 characters (got 12345)', 'r'),
      ],
    ];
    for (const [message, answer] of cases) {
      expect(await client.request({ ...message, request_id: 'r' })).toEqual(answer);
    }
    expect(await client.settle()).toEqual([]);
    expect(h.stream.connectionStats().at(-1)).toMatchObject({ authenticated: true, subscriptions: 0 });
    await client.close();
  });

  it('that is not a JSON object is INVALID_JSON, whatever JSON it is', async () => {
    const client = await h.connectAuthenticated();
    const notAnObject = { status: 'error', code: 'INVALID_JSON', message: 'A message must be a JSON object' };
    for (const text of ['5', '"subscribe"', 'null', 'true', '[]', '[{"action":"ping"}]']) {
      expect(await client.request(text)).toEqual(notAnObject);
    }
    await client.close();
  });

  it('from a client that has not authenticated is NOT_AUTHENTICATED before its fields are checked', async () => {
    const client = await h.connect();
    expect(await client.request({ action: 'subscribe', symbols: 'junk', request_id: 'n' })).toEqual({
      status: 'error',
      code: 'NOT_AUTHENTICATED',
      message: 'You must authenticate first',
      request_id: 'n',
    });
    await client.close();
  });
});

describe('a valid message', () => {
  let h: StreamHarness;
  let inner: MarketSource | undefined;
  // The paper market, except that TCS cannot be read (a broker feed that fails for one instrument).
  const market: MarketSource = {
    quote: (instrument: Instrument) => readable(instrument).quote(instrument),
    book: (instrument: Instrument, levels?: number) => readable(instrument).book(instrument, levels),
  };
  const readable = (instrument: Instrument): MarketSource => {
    if (instrument.symbol === 'TCS' || !inner) throw new Error(`no market for ${instrument.symbol}`);
    return inner;
  };
  beforeAll(async () => {
    h = await startStreamGateway({ market });
    inner = h.gateway.market;
  });
  afterAll(() => h.close());

  it('with symbols and a top-level symbol subscribes the listed symbols only (the top level is a fallback)', async () => {
    const client = await h.connectAuthenticated();
    client.send({ action: 'subscribe', symbols: [NSE('INFY')], ...NSE('SBIN'), mode: '1' });
    expect(await client.take((m) => m.type === 'subscribe')).toMatchObject({
      status: 'success',
      subscriptions: [{ ...NSE('INFY'), status: 'success', mode: 'LTP', depth: 5, broker: 'paper' }],
    });
    expect(await client.take((m) => m.type === 'market_data')).toMatchObject(NSE('INFY'));
    expect(h.stream.stats()).toMatchObject({ instruments: 1, subscriptions: 1 });
    await client.close();
    await h.drained();
  });

  it('whose market cannot be read for one symbol subscribes the others whole and keeps nothing of that one', async () => {
    const client = await h.connectAuthenticated();
    client.send({ action: 'subscribe', symbols: [NSE('SBIN'), NSE('TCS'), NSE('INFY')], mode: 3, request_id: 's' });
    expect(await client.take((m) => m.type === 'subscribe')).toEqual({
      type: 'subscribe',
      status: 'partial',
      subscriptions: [
        { ...NSE('SBIN'), status: 'success', mode: 'Depth', depth: 5, broker: 'paper' },
        { ...NSE('TCS'), status: 'error', message: 'Market data for TCS on NSE is unavailable', broker: 'paper' },
        { ...NSE('INFY'), status: 'success', mode: 'Depth', depth: 5, broker: 'paper' },
      ],
      message: 'Subscription processing complete',
      broker: 'paper',
      request_id: 's',
    });
    const frames = await client.settle();
    expect(frames.map((m) => m.symbol)).toEqual(['SBIN', 'INFY']);
    expect(h.stream.stats()).toMatchObject({ instruments: 2, subscriptions: 2 });
    expect(h.stream.connectionStats().at(-1)).toMatchObject({ subscriptions: 2 });
    expect(await client.request({ action: 'unsubscribe_all' })).toMatchObject({
      successful: [
        { ...NSE('SBIN'), status: 'success', broker: 'paper' },
        { ...NSE('INFY'), status: 'success', broker: 'paper' },
      ],
    });
    expect(h.stream.stats()).toMatchObject({ instruments: 0, subscriptions: 0 });
    await client.close();
  });
});
