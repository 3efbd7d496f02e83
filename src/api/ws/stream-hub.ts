// The stream's server side apart from Fastify: it takes connected sockets (from `/ws` or the standalone port), gives
// each a session and a conflating sender, runs the market tick and the keep-alive pings, and releases everything a
// connection held when it closes. `tickNow` and `pingNow` let tests drive both without timers.
import { priceDigitsFrom } from '../openalgo/mappers.js';
import type { FastifyBaseLogger } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { EventBus } from '../../core/event-bus.js';
import type { Order } from '../../domain/order.js';
import { ClientSession, type SessionContext } from './client-session.js';
import { ConflatingSender, type SenderStats } from './conflating-sender.js';
import { type MarketSource, MarketStream } from './market-stream.js';
import { type OrderSource, OrderStream } from './order-stream.js';

export interface StreamOptions {
  verifier: SessionContext['verifier'];
  instruments: SessionContext['instruments'];
  market: MarketSource;
  /** Committed order events (core/event-bus.ts). */
  bus: EventBus;
  /** The order as it stands; throws for an unknown one. */
  getOrder(accountId: string, orderId: string): Order;
  /** The analyzer (sandbox) exchange's own bus and orders: its updates reach the same subscribers, tagged "analyze". */
  analyzer?: OrderSource;
  /** The `broker` word in every message; default "paper". */
  broker?: string;
  /** The `broker` word of an order's updates; `broker` by default. */
  orderBroker?: (order: Order) => string;
  /** Why an account gets no market data from the stream; default: every account gets it. */
  marketRefusal?: (accountId: string) => Promise<string | undefined>;
  /** Time between market ticks; default 1000 ms (use the gateway's tick). */
  tickMs?: number;
  /** Run the tick on a timer (default true); tests turn it off and call `tickNow`. */
  autoTick?: boolean;
  /** An unchanged mode is still sent every this many ticks; default 10. */
  heartbeatTicks?: number;
  /** WebSocket pings; a peer that has not answered the previous ping is cut off. Default 20 000 ms; 0: none. */
  pingIntervalMs?: number;
  /** A connection that has not authenticated by then is closed with 4401; default 15 000 ms; 0: never. */
  authTimeoutMs?: number;
  /** Most (instrument, mode) subscriptions per connection; default 1000 (OpenAlgo's MAX_SYMBOLS_PER_WEBSOCKET). */
  maxSubscriptions?: number;
  /** Above this many bytes in a socket's send buffer, market frames are conflated; default 256 KiB. */
  softBufferBytes?: number;
  /**
   * A client further behind than this is closed (1013); default 4 MiB. Behind: its socket's send buffer, its waiting
   * frames and the market frames it skipped since the socket last took a write (see conflating-sender.ts).
   */
  hardBufferBytes?: number;
  /** Time a closed client gets to finish the close handshake before it is cut off; default 2000 ms. */
  closeGraceMs?: number;
  /** Epoch ms for `server_timestamp`; default Date.now. */
  now?: () => number;
}

export interface StreamStats {
  connections: number;
  authenticated: number;
  /** Instruments with a subscriber, and (connection, instrument, mode) subscriptions. */
  instruments: number;
  subscriptions: number;
  orderSubscribers: number;
  listeningToBus: boolean;
  ticks: number;
  /** Connections closed for not keeping up. */
  overflows: number;
}

export interface ConnectionStats extends SenderStats {
  authenticated: boolean;
  subscriptions: number;
}

interface Connection {
  socket: WebSocket;
  sender: ConflatingSender;
  session: ClientSession;
  alive: boolean;
  authTimer?: NodeJS.Timeout;
}

const CLOSE_AUTH_TIMEOUT = 4401;
const CLOSE_GOING_AWAY = 1001;
const OPEN = 1;

export class StreamHub {
  private readonly connections = new Set<Connection>();
  private readonly market: MarketStream;
  private readonly orders: OrderStream;
  private readonly context: SessionContext;
  private readonly options: Required<Omit<StreamOptions, 'verifier' | 'instruments' | 'market' | 'bus' | 'getOrder' | 'analyzer' | 'orderBroker'>>;
  private readonly timers: NodeJS.Timeout[] = [];
  private ticks = 0;
  private overflows = 0;

  constructor(
    deps: StreamOptions,
    private readonly log: FastifyBaseLogger,
  ) {
    this.options = {
      broker: deps.broker ?? 'paper',
      tickMs: deps.tickMs ?? 1000,
      autoTick: deps.autoTick ?? true,
      heartbeatTicks: deps.heartbeatTicks ?? 10,
      pingIntervalMs: deps.pingIntervalMs ?? 20_000,
      authTimeoutMs: deps.authTimeoutMs ?? 15_000,
      maxSubscriptions: deps.maxSubscriptions ?? 1000,
      softBufferBytes: deps.softBufferBytes ?? 256 * 1024,
      hardBufferBytes: deps.hardBufferBytes ?? 4 * 1024 * 1024,
      closeGraceMs: deps.closeGraceMs ?? 2000,
      now: deps.now ?? Date.now,
      marketRefusal: deps.marketRefusal ?? (async () => undefined),
    };
    const { broker, heartbeatTicks } = this.options;
    this.market = new MarketStream({
      source: deps.market,
      broker,
      heartbeatTicks,
      onError: (error, instrument) => log.error({ err: error, symbol: instrument.symbol }, 'market tick failed for an instrument'),
    });
    this.orders = new OrderStream({
      bus: deps.bus,
      broker,
      brokerOf: deps.orderBroker,
      priceDigits: priceDigitsFrom(deps.instruments),
      getOrder: deps.getOrder,
      analyzer: deps.analyzer,
      onError: (error) => log.error({ err: error }, 'order update lookup failed'),
    });
    this.context = {
      verifier: deps.verifier,
      instruments: deps.instruments,
      market: this.market,
      orders: this.orders,
      broker,
      marketRefusal: this.options.marketRefusal,
      maxSubscriptions: this.options.maxSubscriptions,
      now: this.options.now,
      onError: (error) => log.error({ err: error }, 'WebSocket message failed'),
    };
  }

  /** Serves a connected socket until it closes. */
  accept(socket: WebSocket): void {
    if (socket.readyState !== OPEN) return;
    const { softBufferBytes, hardBufferBytes, closeGraceMs, authTimeoutMs } = this.options;
    const limits = { softBytes: softBufferBytes, hardBytes: hardBufferBytes, closeGraceMs };
    // A client closed for falling behind gives up its subscriptions now, not when its close handshake ends (it may
    // never read the close frame): the tick stops reading the market for it and its frames are freed. This runs inside
    // the tick's or the order stream's fan-out, whose loops tolerate a subscriber leaving.
    const sender = new ConflatingSender(socket, limits, (stats) => {
      this.overflows += 1;
      this.log.warn({ ...stats }, 'closing a WebSocket client that does not keep up');
      session.close();
    });
    const session = new ClientSession(sender, this.context);
    const connection: Connection = { socket, sender, session, alive: true };
    this.connections.add(connection);
    socket.on('message', (data) => session.handle(textOf(data)));
    socket.on('pong', () => {
      connection.alive = true;
    });
    socket.on('error', (error) => this.log.debug({ err: error }, 'WebSocket client error'));
    socket.on('close', () => this.release(connection));
    if (authTimeoutMs > 0) {
      connection.authTimer = setTimeout(() => {
        if (!session.authenticated) socket.close(CLOSE_AUTH_TIMEOUT, 'auth timeout');
      }, authTimeoutMs);
      connection.authTimer.unref();
    }
  }

  /** One market tick now. */
  tickNow(): void {
    this.ticks += 1;
    this.market.tick();
  }

  /** One keep-alive round now: cuts off peers that did not answer the last ping, pings the others. */
  pingNow(): void {
    for (const connection of this.connections) {
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      if (connection.socket.readyState === OPEN) connection.socket.ping();
    }
  }

  /** Starts the tick and ping timers. */
  start(): void {
    if (this.timers.length > 0) return;
    const { autoTick, tickMs, pingIntervalMs } = this.options;
    if (autoTick) {
      this.timers.push(
        setInterval(() => {
          try {
            this.tickNow();
          } catch (error) {
            this.log.error({ err: error }, 'market tick failed');
          }
        }, tickMs),
      );
    }
    if (pingIntervalMs > 0) this.timers.push(setInterval(() => this.pingNow(), pingIntervalMs));
  }

  /** Stops the timers, closes every connection (1001) and cuts off those that do not finish closing in time. */
  async close(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    if (this.connections.size === 0) return;
    const closing = [...this.connections].map(({ socket }) => closeSocket(socket, CLOSE_GOING_AWAY, 'Server shutting down'));
    await within(Promise.all(closing), this.options.closeGraceMs);
    for (const { socket } of this.connections) socket.terminate();
  }

  stats(): StreamStats {
    const market = this.market.stats();
    const orders = this.orders.stats();
    let authenticated = 0;
    for (const { session } of this.connections) if (session.authenticated) authenticated += 1;
    return {
      connections: this.connections.size,
      authenticated,
      instruments: market.instruments,
      subscriptions: market.subscriptions,
      orderSubscribers: orders.subscribers,
      listeningToBus: orders.listening,
      ticks: this.ticks,
      overflows: this.overflows,
    };
  }

  /** Per connection, in the order they connected. */
  connectionStats(): ConnectionStats[] {
    return [...this.connections].map(({ session, sender }) => ({
      authenticated: session.authenticated,
      subscriptions: session.subscriptionCount,
      ...sender.stats(),
    }));
  }

  private release(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    clearTimeout(connection.authTimer);
    connection.session.close();
  }
}

function closeSocket(socket: WebSocket, code: number, reason: string): Promise<void> {
  return new Promise((resolve) => {
    if (socket.readyState === socket.CLOSED) return resolve();
    socket.once('close', () => resolve());
    socket.close(code, reason);
  });
}

/** Resolves when `promise` does or after `ms`, whichever comes first. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([promise, late]);
  clearTimeout(timer);
}

function textOf(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
