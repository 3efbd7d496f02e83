// The OpenAlgo WebSocket protocol on /ws against a real server: authentication, subscriptions in the three modes with
// exact frames (frozen market at T0), ticks, unsubscription, ping, reconnection and that closed clients leave nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StreamHarness, T0, TEST_KEY, type TestClient, startStreamGateway, until } from './stream-harness.js';

let h: StreamHarness;
let accountId: string;
beforeAll(async () => {
  h = await startStreamGateway({ heartbeatTicks: 5 });
  accountId = h.gateway.account.id;
  h.setPrice('SBIN', 'NSE', '800');
});
afterAll(() => h.close());

const SBIN_LTP = { type: 'market_data', symbol: 'SBIN', exchange: 'NSE', mode: 1, broker: 'paper', data: { ltp: 800, timestamp: T0 } };
// SBIN's reference (previous close, open) is 960; volume and last quantity are the seed's prints at T0.
const SBIN_QUOTE = {
  type: 'market_data',
  symbol: 'SBIN',
  exchange: 'NSE',
  mode: 2,
  broker: 'paper',
  data: {
    ltp: 800,
    open: 960,
    high: 960,
    low: 800,
    close: 960,
    volume: 2840089,
    change: -160,
    change_percent: -16.67,
    last_trade_quantity: 24,
    avg_trade_price: 853.35, // (960 + 800 + 800) / 3 on the 0.05 grid
    bid: 799.95,
    ask: 800.05,
    timestamp: T0,
  },
};
const ladder = (side: 1 | -1) =>
  [1, 2, 3, 4, 5].map((n) => ({ price: Number((800 + side * 0.05 * n).toFixed(2)), quantity: 100 * n, orders: n }));
const SBIN_DEPTH = {
  type: 'market_data',
  symbol: 'SBIN',
  exchange: 'NSE',
  mode: 3,
  broker: 'paper',
  data: { ltp: 800, depth: { buy: ladder(-1), sell: ladder(1) }, timestamp: T0, broker_supported: true },
};

const marketData = (m: Record<string, unknown>) => m.type === 'market_data';

async function subscribed(client: TestClient, request: Record<string, unknown>) {
  client.send({ action: 'subscribe', ...request });
  return client.take((m) => m.type === 'subscribe');
}

describe('authentication', () => {
  it('a valid key is answered with the account as user_id and the supported features', async () => {
    const client = await h.connect();
    expect(await client.request({ action: 'authenticate', api_key: TEST_KEY })).toEqual({
      type: 'auth',
      status: 'success',
      message: 'Authentication successful',
      broker: 'paper',
      user_id: accountId,
      supported_features: { ltp: true, quote: true, depth: true },
    });
    await client.close();
  });

  it('accepts `apikey` for the key and the legacy `type` field for the action', async () => {
    const client = await h.connect();
    expect(await client.request({ type: 'authenticate', apikey: TEST_KEY })).toMatchObject({ type: 'auth', status: 'success' });
    await client.close();
  });

  it('a wrong or missing key is an AUTHENTICATION_ERROR and the connection stays usable', async () => {
    const client = await h.connect();
    expect(await client.request({ action: 'authenticate', api_key: 'f'.repeat(64) })).toEqual({
      status: 'error',
      code: 'AUTHENTICATION_ERROR',
      message: 'Invalid API key',
    });
    expect(await client.request({ action: 'authenticate' })).toEqual({
      status: 'error',
      code: 'AUTHENTICATION_ERROR',
      message: 'API key is required',
    });
    expect(await client.request({ action: 'authenticate', api_key: TEST_KEY })).toMatchObject({ status: 'success' });
    await client.close();
  });

  it('anything but authenticate, ping and get_supported_brokers before authentication is NOT_AUTHENTICATED', async () => {
    const client = await h.connect();
    const notAuthenticated = { status: 'error', code: 'NOT_AUTHENTICATED', message: 'You must authenticate first' };
    for (const action of ['subscribe', 'unsubscribe', 'unsubscribe_all', 'subscribe_orders', 'unsubscribe_orders', 'get_broker_info']) {
      expect(await client.request({ action, symbol: 'SBIN', exchange: 'NSE', mode: 1 })).toEqual(notAuthenticated);
    }
    expect(await client.request({ action: 'subscribe', symbol: 'SBIN', exchange: 'NSE', request_id: 'r1' })).toEqual({
      ...notAuthenticated,
      request_id: 'r1',
    });
    expect(await client.request({ action: 'get_supported_brokers' })).toEqual({
      type: 'supported_brokers',
      status: 'success',
      brokers: ['paper'],
      count: 1,
    });
    expect(await client.request({ action: 'ping' })).toMatchObject({ type: 'pong', status: 'success' });
    expect(await client.settle()).toEqual([]);
    await client.close();
  });

  it('a key without the read scope is refused', async () => {
    const client = await h.connect();
    expect(await client.request({ action: 'authenticate', api_key: await h.issueKey(['trade']) })).toEqual({
      status: 'error',
      code: 'AUTHENTICATION_ERROR',
      message: "This API key lacks the 'read' scope",
    });
    await client.close();
  });
});

describe('malformed messages', () => {
  it('text that is not a JSON object is INVALID_JSON; an unknown action is INVALID_ACTION', async () => {
    const client = await h.connectAuthenticated();
    expect(await client.request('{not json')).toEqual({ status: 'error', code: 'INVALID_JSON', message: 'Invalid JSON message' });
    expect(await client.request('[1,2]')).toEqual({ status: 'error', code: 'INVALID_JSON', message: 'A message must be a JSON object' });
    expect(await client.request({ action: 'launch' })).toEqual({ status: 'error', code: 'INVALID_ACTION', message: 'Invalid action: launch' });
    await client.close();
  });

  it('subscribe checks mode, depth and symbols, echoing request_id', async () => {
    const client = await h.connectAuthenticated();
    expect(await client.request({ action: 'subscribe', symbol: 'SBIN', exchange: 'NSE', mode: 4, request_id: 7 })).toEqual({
      status: 'error',
      code: 'INVALID_MODE',
      message: 'Invalid mode 4; expected 1 (LTP), 2 (Quote), or 3 (Depth)',
      request_id: 7,
    });
    expect(await client.request({ action: 'subscribe', symbol: 'SBIN', exchange: 'NSE', mode: 'Full' })).toMatchObject({
      code: 'INVALID_MODE',
    });
    expect(await client.request({ action: 'subscribe', symbol: 'SBIN', exchange: 'NSE', mode: 3, depth: 20 })).toEqual({
      status: 'error',
      code: 'UNSUPPORTED_DEPTH_LEVEL',
      message: 'Depth level 20 is not supported by the paper broker (supported: 5)',
    });
    expect(await client.request({ action: 'subscribe', mode: 1 })).toEqual({
      status: 'error',
      code: 'INVALID_PARAMETERS',
      message: 'At least one symbol must be specified (symbol and exchange, or symbols)',
    });
    expect(await client.request({ action: 'subscribe', symbols: [{ symbol: 'SBIN' }] })).toEqual({
      status: 'error',
      code: 'INVALID_PARAMETERS',
      message: 'symbols[0].exchange is required',
    });
    expect(await client.settle()).toEqual([]);
    expect(h.stream.connectionStats().at(-1)).toMatchObject({ subscriptions: 0 });
    await client.close();
  });
});

describe('subscribe', () => {
  it('LTP: the reply lists the subscription and the first frame follows at once', async () => {
    const client = await h.connectAuthenticated();
    expect(await subscribed(client, { symbol: 'SBIN', exchange: 'NSE', mode: 1, request_id: 'a' })).toEqual({
      type: 'subscribe',
      status: 'success',
      subscriptions: [{ symbol: 'SBIN', exchange: 'NSE', status: 'success', mode: 'LTP', depth: 5, broker: 'paper' }],
      message: 'Subscription processing complete',
      broker: 'paper',
      request_id: 'a',
    });
    expect(await client.take()).toEqual(SBIN_LTP);
    await client.close();
  });

  it('Quote (the default mode): OHLC, previous close, change, volume and touch', async () => {
    const client = await h.connectAuthenticated();
    const reply = await subscribed(client, { symbols: [{ symbol: 'SBIN', exchange: 'NSE' }] });
    expect(reply.subscriptions).toEqual([{ symbol: 'SBIN', exchange: 'NSE', status: 'success', mode: 'Quote', depth: 5, broker: 'paper' }]);
    expect(await client.take()).toEqual(SBIN_QUOTE);
    await client.close();
  });

  it('Depth: five levels a side of the frozen ladder', async () => {
    const client = await h.connectAuthenticated();
    await subscribed(client, { symbol: 'SBIN', exchange: 'NSE', mode: 'depth' });
    expect(await client.take()).toEqual(SBIN_DEPTH);
    await client.close();
  });

  it('mode names in any case and numeric strings; one connection may hold several modes of a symbol', async () => {
    const client = await h.connectAuthenticated();
    const modes = [];
    for (const mode of ['ltp', 'QUOTE', '3']) {
      const reply = await subscribed(client, { symbol: 'SBIN', exchange: 'NSE', mode });
      modes.push((reply.subscriptions as Array<{ mode: string }>)[0]?.mode);
    }
    expect(modes).toEqual(['LTP', 'Quote', 'Depth']);
    const frames = (await client.settle()).filter(marketData);
    expect(frames).toEqual([SBIN_LTP, SBIN_QUOTE, SBIN_DEPTH]);
    await client.close();
  });

  it('an unknown symbol gets an error entry, and the reply is partial, with a known one or alone (as OpenAlgo)', async () => {
    const client = await h.connectAuthenticated();
    const reply = await subscribed(client, {
      symbols: [
        { symbol: 'SBIN', exchange: 'NSE' },
        { symbol: 'NOSUCH', exchange: 'NSE' },
        { symbol: 'SBIN', exchange: 'MOON' },
      ],
      mode: 1,
    });
    expect(reply).toEqual({
      type: 'subscribe',
      status: 'partial',
      subscriptions: [
        { symbol: 'SBIN', exchange: 'NSE', status: 'success', mode: 'LTP', depth: 5, broker: 'paper' },
        { symbol: 'NOSUCH', exchange: 'NSE', status: 'error', message: 'Symbol NOSUCH not found on NSE', broker: 'paper' },
        { symbol: 'SBIN', exchange: 'MOON', status: 'error', message: 'Symbol SBIN not found on MOON', broker: 'paper' },
      ],
      message: 'Subscription processing complete',
      broker: 'paper',
    });
    expect((await client.settle()).filter(marketData)).toEqual([SBIN_LTP]);
    expect(await subscribed(client, { symbol: 'NOSUCH', exchange: 'NSE' })).toEqual({
      type: 'subscribe',
      status: 'partial',
      subscriptions: [{ symbol: 'NOSUCH', exchange: 'NSE', status: 'error', message: 'Symbol NOSUCH not found on NSE', broker: 'paper' }],
      message: 'Subscription processing complete',
      broker: 'paper',
    });
    await client.close();
  });
});

describe('ticks', () => {
  it('a price change reaches subscribers on the next tick; an unchanged market sends nothing until the heartbeat', async () => {
    h.setPrice('INFY', 'NSE', '1500');
    const client = await h.connectAuthenticated();
    await subscribed(client, { symbol: 'INFY', exchange: 'NSE', mode: 1 });
    expect(await client.take(marketData)).toMatchObject({ symbol: 'INFY', data: { ltp: 1500 } });

    h.stream.tickNow();
    expect(await client.settle()).toEqual([]);

    h.setPrice('INFY', 'NSE', '1501.5');
    h.stream.tickNow();
    expect(await client.settle()).toEqual([
      { type: 'market_data', symbol: 'INFY', exchange: 'NSE', mode: 1, broker: 'paper', data: { ltp: 1501.5, timestamp: T0 } },
    ]);

    // heartbeatTicks is 5 here: four quiet ticks send nothing, the fifth repeats the frame.
    for (let i = 0; i < 4; i++) h.stream.tickNow();
    expect(await client.settle()).toEqual([]);
    h.stream.tickNow();
    expect((await client.settle()).map((m) => (m.data as { ltp: number }).ltp)).toEqual([1501.5]);
    await client.close();
  });

  it('Quote subscribers see a moved touch; Depth subscribers a changed book', async () => {
    h.setPrice('RELIANCE', 'NSE', '1400');
    const quote = await h.connectAuthenticated();
    const depth = await h.connectAuthenticated();
    await subscribed(quote, { symbol: 'RELIANCE', exchange: 'NSE', mode: 2 });
    await subscribed(depth, { symbol: 'RELIANCE', exchange: 'NSE', mode: 3 });
    await quote.take(marketData);
    await depth.take(marketData);

    h.setPrice('RELIANCE', 'NSE', '1400.5');
    h.stream.tickNow();
    const [q] = await quote.settle();
    expect(q).toMatchObject({ mode: 2, data: { ltp: 1400.5, bid: 1400.4, ask: 1400.6, low: 1400.5, close: 1540 } });
    const [d] = await depth.settle();
    expect((d?.data as { depth: { buy: Array<{ price: number }> } }).depth.buy.map((l) => l.price)).toEqual([
      1400.4, 1400.3, 1400.2, 1400.1, 1400,
    ]);
    await Promise.all([quote.close(), depth.close()]);
  });

  it('every subscriber of an instrument gets the same tick', async () => {
    h.setPrice('TCS', 'NSE', '3000');
    const clients = await Promise.all([1, 2, 3].map(() => h.connectAuthenticated()));
    for (const client of clients) {
      await subscribed(client, { symbol: 'TCS', exchange: 'NSE', mode: 1 });
      await client.take(marketData);
    }
    h.setPrice('TCS', 'NSE', '3001');
    h.stream.tickNow();
    for (const client of clients) expect((await client.take(marketData)).data).toEqual({ ltp: 3001, timestamp: T0 });
    await Promise.all(clients.map((c) => c.close()));
  });
});

describe('unsubscribe', () => {
  it('stops delivery of that symbol and mode; others continue', async () => {
    h.setPrice('ITC', 'NSE', '400');
    h.setPrice('WIPRO', 'NSE', '250');
    const client = await h.connectAuthenticated();
    await subscribed(client, { symbols: [{ symbol: 'ITC', exchange: 'NSE' }, { symbol: 'WIPRO', exchange: 'NSE' }], mode: 1 });
    await client.settle();

    expect(await client.request({ action: 'unsubscribe', symbol: 'ITC', exchange: 'NSE', mode: 1, request_id: 'u' })).toEqual({
      type: 'unsubscribe',
      status: 'success',
      message: 'Unsubscription processing complete',
      successful: [{ symbol: 'ITC', exchange: 'NSE', status: 'success', broker: 'paper' }],
      failed: [],
      broker: 'paper',
      request_id: 'u',
    });
    h.setPrice('ITC', 'NSE', '401');
    h.setPrice('WIPRO', 'NSE', '251');
    h.stream.tickNow();
    expect((await client.settle()).map((m) => m.symbol)).toEqual(['WIPRO']);
    await client.close();
  });

  it('without a mode, ends the symbol in every mode; unsubscribe_all ends everything', async () => {
    h.setPrice('ITC', 'NSE', '410');
    const client = await h.connectAuthenticated();
    await subscribed(client, { symbol: 'ITC', exchange: 'NSE', mode: 1 });
    await subscribed(client, { symbol: 'ITC', exchange: 'NSE', mode: 3 });
    await subscribed(client, { symbol: 'SBIN', exchange: 'NSE', mode: 2 });
    await client.settle();
    expect(h.stream.connectionStats().at(-1)).toMatchObject({ subscriptions: 3 });

    await client.request({ action: 'unsubscribe', symbols: [{ symbol: 'ITC', exchange: 'NSE' }] });
    expect(h.stream.connectionStats().at(-1)).toMatchObject({ subscriptions: 1 });
    expect(await client.request({ action: 'unsubscribe_all' })).toMatchObject({
      type: 'unsubscribe',
      status: 'success',
      successful: [{ symbol: 'SBIN', exchange: 'NSE', status: 'success', broker: 'paper' }],
    });
    h.setPrice('ITC', 'NSE', '411');
    h.setPrice('SBIN', 'NSE', '801');
    h.stream.tickNow();
    expect(await client.settle()).toEqual([]);
    h.setPrice('SBIN', 'NSE', '800');
    await client.close();
  });
});

describe('ping, broker info', () => {
  it('pong carries the server time and echoes the client timestamp and _pingId', async () => {
    const client = await h.connectAuthenticated();
    expect(await client.request({ action: 'ping', timestamp: 123, _pingId: 'p-1' })).toEqual({
      type: 'pong',
      status: 'success',
      server_timestamp: T0,
      client_timestamp: 123,
      _pingId: 'p-1',
    });
    expect(await client.request({ action: 'get_broker_info' })).toEqual({
      type: 'broker_info',
      status: 'success',
      broker: 'paper',
      adapter_status: 'connected',
      user_id: accountId,
    });
    await client.close();
  });
});

describe('reconnection', () => {
  it('a client that reconnects, authenticates and subscribes again gets ticks; closed clients leave no subscription', async () => {
    await h.drained();
    h.setPrice('HDFCBANK', 'NSE', '1600');
    const first = await h.connectAuthenticated();
    await subscribed(first, { symbol: 'HDFCBANK', exchange: 'NSE', mode: 1 });
    await subscribed(first, { symbol: 'SBIN', exchange: 'NSE', mode: 3 });
    first.send({ action: 'subscribe_orders' });
    await first.settle();
    expect(h.stream.stats()).toMatchObject({ connections: 1, subscriptions: 2, instruments: 2, orderSubscribers: 1, listeningToBus: true });

    first.terminate(); // a dropped connection, not a clean close
    await h.drained();
    expect(h.stream.stats()).toMatchObject({ connections: 0, subscriptions: 0, instruments: 0, orderSubscribers: 0, listeningToBus: false });

    const second = await h.connectAuthenticated();
    await subscribed(second, { symbol: 'HDFCBANK', exchange: 'NSE', mode: 1 });
    expect(await second.take(marketData)).toMatchObject({ symbol: 'HDFCBANK', data: { ltp: 1600 } });
    h.setPrice('HDFCBANK', 'NSE', '1601');
    h.stream.tickNow();
    expect(await second.take(marketData)).toMatchObject({ symbol: 'HDFCBANK', data: { ltp: 1601 } });
    expect(h.stream.stats()).toMatchObject({ connections: 1, subscriptions: 1 });

    await second.close();
    await h.drained();
    expect(h.stream.stats()).toMatchObject({ connections: 0, authenticated: 0, subscriptions: 0, instruments: 0, orderSubscribers: 0 });
  });

  it('many clients subscribing and leaving in any order leave the registry empty', async () => {
    await h.drained();
    const clients = await Promise.all(Array.from({ length: 20 }, () => h.connectAuthenticated()));
    await Promise.all(
      clients.map((client, i) =>
        subscribed(client, { symbols: [{ symbol: 'SBIN', exchange: 'NSE' }, { symbol: i % 2 ? 'INFY' : 'TCS', exchange: 'NSE' }], mode: (i % 3) + 1 }),
      ),
    );
    expect(h.stream.stats()).toMatchObject({ connections: 20, subscriptions: 40 });
    await Promise.all(clients.map((client, i) => (i % 2 ? client.close() : Promise.resolve(client.terminate()))));
    await until(() => h.stream.stats().connections === 0);
    expect(h.stream.stats()).toMatchObject({ subscriptions: 0, instruments: 0 });
  });
});
