// What keeps the stream healthy under bad clients: a client that stops reading is conflated, and closed (1013) once it
// is more than the hard limit behind, whether market frames it missed or frames that may not be dropped pile up,
// without holding up the others; dead peers are cut off by the keep-alive; a connection that never authenticates is
// closed; the standalone port speaks the same protocol.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StreamHarness, TEST_KEY, type TestClient, startStreamGateway, until } from './stream-harness.js';

const SYMBOLS = ['SBIN', 'INFY', 'TCS', 'ITC', 'WIPRO', 'RELIANCE', 'HDFCBANK', 'ICICIBANK', 'AXISBANK', 'LT'];
const SOFT = 16 * 1024;
const marketData = (m: Record<string, unknown>) => m.type === 'market_data';

async function subscribeAll(client: TestClient, mode: number): Promise<void> {
  client.send({ action: 'subscribe', symbols: SYMBOLS.map((symbol) => ({ symbol, exchange: 'NSE' })), mode });
  expect(await client.take((m) => m.type === 'subscribe')).toMatchObject({ status: 'success' });
  for (let i = 0; i < SYMBOLS.length; i++) await client.take(marketData);
}

/** The SBIN price of tick `i`: 800 + i ticks of 0.05, as exact text. */
const priceOf = (i: number) => (800 + i * 0.05).toFixed(2);

describe('a client that stops reading', () => {
  let h: StreamHarness;
  beforeAll(async () => {
    // Every tick sends every frame (heartbeat 1), so a paused socket's buffers fill quickly.
    h = await startStreamGateway({ heartbeatTicks: 1, softBufferBytes: SOFT, hardBufferBytes: 96 * 1024, closeGraceMs: 200 });
  });
  afterAll(() => h.close());

  it('is conflated to the latest frame per subscription while a fast client gets every tick', async () => {
    const fast = await h.connectAuthenticated();
    const slow = await h.connectAuthenticated();
    await subscribeAll(fast, 3);
    await subscribeAll(slow, 3);
    slow.socket.pause();

    let tick = 0;
    let conflatedSeen = 0;
    for (let round = 0; round < 100 && conflatedSeen === 0; round++) {
      let ticked = 0;
      for (; ticked < 20 && conflatedSeen === 0; ticked++) {
        tick += 1;
        h.setPrice('SBIN', 'NSE', priceOf(tick));
        h.stream.tickNow();
        const stats = h.stream.connectionStats()[1];
        expect(stats).toBeDefined();
        // Bounded: at most one waiting frame per subscription, nothing else queued, buffer about the soft limit.
        expect(stats?.conflatedFrames).toBeLessThanOrEqual(SYMBOLS.length);
        expect(stats?.queuedFrames).toBe(0);
        expect(stats?.bufferedBytes).toBeLessThan(SOFT + 4096);
        conflatedSeen = Math.max(conflatedSeen, stats?.conflatedFrames ?? 0);
      }
      // The fast client has every frame of every tick so far, in order.
      const frames = (await fast.settle()).filter(marketData);
      expect(frames).toHaveLength(ticked * SYMBOLS.length);
      const sbin = frames.filter((m) => m.symbol === 'SBIN').map((m) => (m.data as { ltp: number }).ltp);
      expect(sbin.at(-1)).toBe(Number(priceOf(tick)));
    }
    expect(conflatedSeen).toBeGreaterThan(0);
    // A few more ticks replace waiting frames by newer ones: the client is behind, by far less than the hard limit.
    for (let i = 0; i < 3; i++) {
      tick += 1;
      h.setPrice('SBIN', 'NSE', priceOf(tick));
      h.stream.tickNow();
    }
    expect(h.stream.connectionStats()[1]?.supersededBytes).toBeGreaterThan(0);
    expect(h.stream.stats().overflows).toBe(0);

    // Once it reads again, it catches up: its last SBIN frame shows the latest price, and it skipped superseded ones.
    slow.socket.resume();
    const latest = Number(priceOf(tick));
    await slow.take((m) => m.symbol === 'SBIN' && (m.data as { ltp: number }).ltp === latest, 30_000);
    await slow.settle();
    const sbin = slow.history.filter((m) => m.symbol === 'SBIN').map((m) => (m.data as { ltp: number }).ltp);
    expect(sbin.at(-1)).toBe(latest);
    expect(sbin.length).toBeLessThan(tick + 1);
    const ticked = sbin.slice(1); // after the subscription's first frame (the reference price)
    expect(ticked).toEqual([...ticked].sort((a, b) => a - b)); // never an older price after a newer one
    await Promise.all([fast.close(), slow.close()]);
    await h.drained();
  });

  it('is closed (1013) when order updates, which are never dropped, pile up past the hard limit', async () => {
    await h.drained();
    const fast = await h.connectAuthenticated();
    const slow = await h.connectAuthenticated();
    await subscribeAll(slow, 3);
    expect(await slow.request({ action: 'subscribe_orders' })).toMatchObject({ status: 'success' });
    expect(await fast.request({ action: 'subscribe_orders' })).toMatchObject({ status: 'success' });
    slow.socket.pause();

    // Fill the slow socket's buffers with market frames until frames start to wait.
    let tick = 0;
    while ((h.stream.connectionStats()[1]?.conflatedFrames ?? 0) === 0 && tick < 5000) {
      tick += 1;
      h.setPrice('SBIN', 'NSE', priceOf(tick));
      h.stream.tickNow();
      if (tick % 20 === 0) await fast.settle();
    }
    expect(h.stream.connectionStats()[1]?.conflatedFrames).toBeGreaterThan(0);

    let placed = 0;
    while (h.stream.stats().overflows === 0 && placed < 2000) {
      const response = await h.post('/api/v1/placeorder', {
        apikey: TEST_KEY, strategy: 'slow', exchange: 'NSE', symbol: 'INFY', product: 'MIS', action: 'BUY', quantity: 1,
        pricetype: 'LIMIT', price: '100',
      });
      expect(response.body.status).toBe('success');
      placed += 1;
    }
    expect(h.stream.stats().overflows).toBe(1);
    // The fast client got every update.
    expect((await fast.settle()).filter((m) => m.type === 'order_update')).toHaveLength(placed);
    await until(() => h.stream.stats().connections === 1);

    slow.socket.resume();
    expect([1013, 1006]).toContain((await slow.whenClosed()).code);
    await h.post('/api/v1/cancelallorder', { apikey: TEST_KEY, strategy: 'slow' });
    await fast.close();
  });
});

describe('a client that never reads', () => {
  const HARD = 256 * 1024;
  let h: StreamHarness;
  beforeAll(async () => {
    // Every tick sends every frame; the grace is long so that the client, reading again, sees the close frame itself.
    h = await startStreamGateway({ heartbeatTicks: 1, softBufferBytes: SOFT, hardBufferBytes: HARD, closeGraceMs: 30_000 });
  });
  afterAll(() => h.close());

  it('is closed (1013) once it is more than the hard limit behind, its subscriptions released at once, while a reading client gets every frame', async () => {
    const equities = h.gateway.master
      .all()
      .filter((i) => i.exchange === 'NSE' && i.instrumentType === 'EQ')
      .slice(0, 200)
      .map(({ symbol }) => ({ symbol, exchange: 'NSE' }));
    const reader = await h.connectAuthenticated();
    const stalled = await h.connectAuthenticated();
    await subscribeAll(reader, 1);
    stalled.send({ action: 'subscribe', symbols: equities, mode: 3 });
    expect(await stalled.take((m) => m.type === 'subscribe')).toMatchObject({ status: 'success' });
    await stalled.settle();
    stalled.socket.pause();

    let ticks = 0;
    while (h.stream.stats().overflows === 0 && ticks < 2000) {
      ticks += 1;
      h.stream.tickNow();
      expect((await reader.settle()).filter(marketData)).toHaveLength(SYMBOLS.length);
    }
    expect(h.stream.stats().overflows).toBe(1);
    // Still closing (it reads nothing, so the close handshake waits), yet it holds no subscription any more.
    expect(h.stream.stats()).toMatchObject({ connections: 2, subscriptions: SYMBOLS.length, instruments: SYMBOLS.length });
    expect(h.stream.connectionStats()[1]).toMatchObject({ subscriptions: 0, queuedFrames: 0, conflatedFrames: 0 });
    h.stream.tickNow();
    expect((await reader.settle()).filter(marketData)).toHaveLength(SYMBOLS.length);

    stalled.socket.resume();
    expect(await stalled.whenClosed()).toEqual({ code: 1013, reason: 'Client too slow: send buffer limit exceeded' });
    await until(() => h.stream.stats().connections === 1);
    await reader.close();
  });
});

describe('keep-alive, authentication deadline, subscription limit', () => {
  let h: StreamHarness;
  beforeAll(async () => {
    h = await startStreamGateway({ authTimeoutMs: 100, maxSubscriptions: 2 });
  });
  afterAll(() => h.close());

  it('a peer that answers pings stays; one that does not is cut off at the next round', async () => {
    const alive = await h.connectAuthenticated();
    const mute = await h.connect({ autoPong: false });
    mute.send({ action: 'authenticate', api_key: TEST_KEY });
    await mute.take((m) => m.type === 'auth');
    const pinged = new Promise<void>((resolve) => alive.socket.once('ping', () => resolve()));

    h.stream.pingNow();
    await pinged;
    await alive.settle(); // its pong is on the wire before the answer to this ping
    h.stream.pingNow();

    expect((await mute.whenClosed()).code).toBe(1006);
    expect(await alive.request({ action: 'ping' })).toMatchObject({ type: 'pong' });
    await alive.close();
  });

  it('a connection that does not authenticate in time is closed with 4401', async () => {
    const idle = await h.connect();
    const authenticated = await h.connectAuthenticated();
    expect(await idle.whenClosed()).toEqual({ code: 4401, reason: 'auth timeout' });
    expect(await authenticated.request({ action: 'ping' })).toMatchObject({ type: 'pong' });
    await authenticated.close();
  });

  it('a connection holds at most maxSubscriptions (instrument, mode) pairs; renewing one is not a new one', async () => {
    const client = await h.connectAuthenticated();
    client.send({ action: 'subscribe', symbols: ['SBIN', 'INFY', 'TCS'].map((symbol) => ({ symbol, exchange: 'NSE' })) });
    const reply = await client.take((m) => m.type === 'subscribe');
    expect(reply.status).toBe('partial');
    expect((reply.subscriptions as Array<Record<string, unknown>>)[2]).toEqual({
      symbol: 'TCS',
      exchange: 'NSE',
      status: 'error',
      message: 'Subscription limit of 2 reached',
      broker: 'paper',
    });
    client.send({ action: 'subscribe', symbol: 'SBIN', exchange: 'NSE' });
    expect(await client.take((m) => m.type === 'subscribe')).toMatchObject({ status: 'success' });
    await client.close();
  });
});

describe('the standalone port', () => {
  let h: StreamHarness;
  beforeAll(async () => {
    h = await startStreamGateway({ standalonePort: 0 });
  });
  afterAll(() => h.close());

  it('serves the same protocol at any path, from the same registry', async () => {
    const url = h.stream.standaloneUrl();
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    h.setPrice('SBIN', 'NSE', '800');
    const client = await h.connect(undefined, `${url}/`);
    expect(await client.request({ action: 'authenticate', api_key: TEST_KEY })).toMatchObject({ type: 'auth', status: 'success' });
    client.send({ action: 'subscribe', symbol: 'SBIN', exchange: 'NSE', mode: 1 });
    await client.take((m) => m.type === 'subscribe');
    expect(await client.take(marketData)).toMatchObject({ symbol: 'SBIN', data: { ltp: 800 } });
    expect(h.stream.stats()).toMatchObject({ connections: 1, subscriptions: 1 });
    await client.close();
    await h.drained();
    expect(h.stream.stats()).toMatchObject({ connections: 0, subscriptions: 0 });
  });
});

describe('shutdown', () => {
  it('closing the gateway closes every stream connection with 1001 (going away), on /ws and on the standalone port', async () => {
    const h = await startStreamGateway({ standalonePort: 0 });
    const onHttpPort = await h.connectAuthenticated();
    const onOwnPort = await h.connect(undefined, `${h.stream.standaloneUrl()}/`);
    await h.shutDown();
    const goingAway = { code: 1001, reason: 'Server shutting down' };
    expect(await onHttpPort.whenClosed()).toEqual(goingAway);
    expect(await onOwnPort.whenClosed()).toEqual(goingAway);
  });
});

describe('a plain HTTP request to the stream', () => {
  it('is answered 426 (Upgrade: websocket) with what the address is, in the v1 envelope', async () => {
    const h = await startStreamGateway();
    try {
      const response = await fetch(`${h.url}/ws`);
      expect(response.status).toBe(426);
      expect(response.headers.get('upgrade')).toBe('websocket');
      expect(await response.json()).toEqual({
        status: 'error',
        message: '/ws is the OpenAlgo WebSocket stream: connect with a WebSocket client',
      });
      // The stream itself still upgrades.
      const client = await h.connect(undefined, h.wsUrl.replace(/\/ws-under-test$/, '/ws'));
      expect(await client.request({ action: 'authenticate', api_key: TEST_KEY })).toMatchObject({ type: 'auth', status: 'success' });
      await client.close();
    } finally {
      await h.close();
    }
  });
});
