// A real gateway (as tests/api/harness.ts builds it: random port, temporary data folder on the pass's engine, known
// key, frozen market at T0) with the WebSocket stream registered before it listens, ticked only by the test; and a
// `ws` client that queues what it receives so tests can wait for messages instead of sleeping.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket, { type ClientOptions } from 'ws';
import { type Gateway, createGateway } from '../../../src/app.js';
import { type MarketStreamDeps, type MarketStreamHandle, registerMarketStream } from '../../../src/api/ws/plugin.js';
import { loadConfig } from '../../../src/config.js';
import { ManualClock } from '../../../src/domain/clock.js';
import { dec } from '../../../src/domain/decimal.js';
import type { Exchange } from '../../../src/domain/instrument.js';
import { ApiKeyVerifier, issueApiKey } from '../../../src/gateway/api-keys.js';
import { loadOrCreatePepper } from '../../../src/gateway/pepper.js';
import type { ApiKeyScope } from '../../../src/store/store.js';
import { databaseEnvFor } from '../../postgres-database.js';
import { GENEROUS_RATE_LIMITS, T0, TEST_KEY, postJson } from '../harness.js';

export { T0, TEST_KEY };

export interface StreamHarness {
  url: string;
  /** ws:// URL of the stream under test on the HTTP port. */
  wsUrl: string;
  key: string;
  gateway: Gateway;
  clock: ManualClock;
  stream: MarketStreamHandle;
  post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  setPrice(symbol: string, exchange: Exchange, price: string): void;
  /** Opens a client and waits until it is connected. */
  connect(options?: ClientOptions, url?: string): Promise<TestClient>;
  /** Opens a client and authenticates it with the test key (the auth reply is consumed). */
  connectAuthenticated(options?: ClientOptions): Promise<TestClient>;
  /** A new key with these scopes, of the default account unless another is named. */
  issueKey(scopes: ApiKeyScope[], accountId?: string): Promise<string>;
  /** Resolves once the server holds no connection (their close events have run). */
  drained(): Promise<void>;
  /** Terminates the test's clients, then closes the gateway. */
  close(): Promise<void>;
  /** Closes the gateway with the clients still connected, as a SIGTERM does. */
  shutDown(): Promise<void>;
}

export async function startStreamGateway(deps: Partial<MarketStreamDeps> = {}): Promise<StreamHarness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordergate-ws-test-'));
  const config = loadConfig({
    ...(await databaseEnvFor(dataDir)),
    PORT: '0',
    ORDERGATE_DATA_DIR: dataDir,
    ORDERGATE_MARKET: 'frozen',
    ORDERGATE_BOOTSTRAP_API_KEY: TEST_KEY,
    LOG_LEVEL: 'silent',
    ...GENEROUS_RATE_LIMITS,
  });
  const clock = new ManualClock(T0);
  const gateway = await createGateway({ config, clock });
  const pepper = loadOrCreatePepper(config.dataDir);
  // Once app.ts wires the stream at /ws, the instance under test (ticked by hand) takes another path.
  const routePath = gateway.app.hasRoute({ method: 'GET', url: '/ws' }) ? '/ws-under-test' : '/ws';
  const stream = await registerMarketStream(gateway.app, {
    verifier: new ApiKeyVerifier(pepper, gateway.store.apiKeys, gateway.store.changes),
    instruments: gateway.master,
    market: gateway.market,
    bus: gateway.bus,
    getOrder: (accountId, orderId) => gateway.orders.getOrder(accountId, orderId),
    autoTick: false,
    pingIntervalMs: 0,
    authTimeoutMs: 0,
    now: () => clock.now(),
    path: routePath,
    ...deps,
  });
  const url = await gateway.listen();
  const wsUrl = `${url.replace(/^http/, 'ws')}${routePath}`;
  const clients = new Set<TestClient>();

  const connect = async (options?: ClientOptions, target = wsUrl) => {
    const client = await TestClient.open(target, options);
    clients.add(client);
    return client;
  };
  const harness: StreamHarness = {
    url,
    wsUrl,
    key: TEST_KEY,
    gateway,
    clock,
    stream,
    post: (route, body) => postJson(url, route, body),
    setPrice(symbol, exchange, price) {
      gateway.market.setPrice(gateway.master.require(symbol, exchange), dec(price));
    },
    connect,
    async connectAuthenticated(options) {
      const client = await connect(options);
      client.send({ action: 'authenticate', api_key: TEST_KEY });
      await client.take((m) => m.type === 'auth' || m.status === 'error');
      return client;
    },
    issueKey: async (scopes, accountId = gateway.account.id) => (await issueApiKey(pepper, gateway.store.apiKeys, accountId, scopes)).key,
    drained: () => until(() => stream.stats().connections === 0),
    async close() {
      for (const client of clients) client.terminate();
      await harness.shutDown();
    },
    async shutDown() {
      await gateway.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

export type Message = Record<string, unknown>;
type Predicate = (message: Message) => boolean;

/** A `ws` client that keeps every message it has not handed out yet. */
export class TestClient {
  private readonly inbox: Message[] = [];
  /** Every message received, in order (handed out or not). */
  readonly history: Message[] = [];
  private waiter: (() => void) | undefined;
  closeEvent: { code: number; reason: string } | undefined;
  private readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as Message;
      this.inbox.push(message);
      this.history.push(message);
      this.waiter?.();
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => {
        this.closeEvent = { code, reason: reason.toString() };
        this.waiter?.();
        resolve(this.closeEvent);
      });
    });
    socket.on('error', () => undefined);
  }

  static open(url: string, options?: ClientOptions): Promise<TestClient> {
    const socket = new WebSocket(url, options);
    const client = new TestClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Sends and returns the next message (the reply, when nothing else is in flight). */
  async request(message: unknown): Promise<Message> {
    this.send(message);
    return this.take();
  }

  /** The first message not handed out yet that matches, waiting for it if needed. */
  async take(predicate: Predicate = () => true, timeoutMs = 10_000): Promise<Message> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.inbox.findIndex(predicate);
      if (index >= 0) return this.inbox.splice(index, 1)[0] as Message;
      if (this.closeEvent) throw new Error(`connection closed (${this.closeEvent.code}) while waiting for a message`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching message within ${timeoutMs} ms; unread: ${JSON.stringify(this.inbox)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
  }

  /** Everything received and not handed out yet, then forgets it. */
  drain(): Message[] {
    return this.inbox.splice(0);
  }

  /**
   * Everything the server sent before the answer to a ping sent now (messages arrive in order, so nothing sent
   * earlier can come later); the pong itself is not included.
   */
  async settle(): Promise<Message[]> {
    const marker = `settle-${Math.random()}`;
    this.send({ action: 'ping', _pingId: marker });
    await this.take((m) => m.type === 'pong' && m._pingId === marker);
    return this.drain();
  }

  whenClosed(): Promise<{ code: number; reason: string }> {
    return this.closed;
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close();
    await this.closed;
  }

  terminate(): void {
    this.socket.terminate();
  }
}

/** Waits (polling the event loop) until the condition holds; fails after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
