// One client connection's protocol state: who it authenticated as, what it subscribed to, and the answers to its
// messages. Everything it sends goes through its ConflatingSender; everything it holds elsewhere (market and order
// subscriptions) is released by `close`, so a reconnecting client starts clean and a closed one leaves nothing behind.
import { copyWith } from '../../domain/objects.js';
import { EXCHANGES, type Exchange, type Instrument } from '../../domain/instrument.js';
import type { VerifiedApiKey } from '../../gateway/api-keys.js';
import type { ConflatingSender } from './conflating-sender.js';
import { json } from './frames.js';
import { type MarketStream, type TickSink, frameKey, streamKey } from './market-stream.js';
import type { OrderStream } from './order-stream.js';
import type { AuthenticateMessage, PingMessage, SubscribeMessage, UnsubscribeMessage } from './messages.js';
import {
  type Envelope,
  MODE_LABEL,
  MODES,
  type Mode,
  OPEN_ACTIONS,
  type ProtocolError,
  type RequestId,
  type SymbolRef,
  apiKeyOf,
  checkEnvelope,
  isProtocolError,
  parseEnvelope,
  parseSubscribe,
  parseUnsubscribe,
  protocolError,
} from './protocol.js';

/** What the sessions of one stream share. */
export interface SessionContext {
  verifier: { verify(key: string): Promise<VerifiedApiKey | undefined> };
  instruments: { get(symbol: string, exchange: Exchange): Instrument | undefined };
  market: MarketStream;
  orders: OrderStream;
  broker: string;
  /**
   * Why the stream's market is not the account's (its broker is one the stream does not read), or undefined when it
   * is. Asked at authentication.
   */
  marketRefusal(accountId: string): Promise<string | undefined>;
  /** Most (instrument, mode) subscriptions one connection may hold. */
  maxSubscriptions: number;
  /** Epoch ms for `server_timestamp`. */
  now(): number;
  onError(error: unknown): void;
}

interface Subscription {
  instrument: Instrument;
  mode: Mode;
}

const KNOWN_EXCHANGES: ReadonlySet<string> = new Set(EXCHANGES);

export class ClientSession implements TickSink {
  /** Why this account gets no market data from the stream (its broker's market is not the one streamed). */
  private marketRefusal: string | undefined;
  private principal: VerifiedApiKey | undefined;
  /** frameKey → subscription. */
  private readonly subscriptions = new Map<string, Subscription>();
  private stopOrders: (() => void) | undefined;
  private closed = false;
  /**
   * The answers still under way (an authentication awaits the store): later messages wait behind them, so a client
   * that subscribes right after authenticating, without waiting for the answer, is answered in order.
   */
  private answering: Promise<void> | undefined;
  private readonly orderSink = (frame: Buffer): void => this.sender.send(frame);

  constructor(
    private readonly sender: ConflatingSender,
    private readonly context: SessionContext,
  ) {}

  get authenticated(): boolean {
    return this.principal !== undefined;
  }

  get subscriptionCount(): number {
    return this.subscriptions.size;
  }

  /** Answers one text message from the client, after the messages before it. */
  handle(text: string): void {
    const answered = this.answering ? this.answering.then(() => this.answer(text)) : this.answer(text);
    if (!answered) return;
    const tail: Promise<void> = answered.then(() => {
      if (this.answering === tail) this.answering = undefined;
    });
    this.answering = tail;
  }

  deliver(key: string, frame: Buffer): void {
    this.sender.sendConflated(key, frame);
  }

  /** Releases every subscription; the session ignores messages from now on. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribeAll();
    this.stopOrders?.();
    this.stopOrders = undefined;
  }

  /** Answers a message at once, or returns the answer under way; never rejects (failures are answered). */
  private answer(text: string): Promise<void> | void {
    if (this.closed) return;
    const raw = parseEnvelope(text);
    if (isProtocolError(raw)) return this.reply(raw);
    if (!this.principal && !OPEN_ACTIONS.has(raw.action)) {
      return this.reply(protocolError('NOT_AUTHENTICATED', 'You must authenticate first', raw.requestId));
    }
    const envelope = checkEnvelope(raw);
    if (isProtocolError(envelope)) return this.reply(envelope);
    const failed = (error: unknown): void => {
      this.context.onError(error);
      if (!this.closed) this.reply(protocolError('SERVER_ERROR', 'Internal error', envelope.requestId));
    };
    try {
      return this.dispatch(envelope)?.catch(failed);
    } catch (error) {
      failed(error);
    }
  }

  private dispatch(envelope: Envelope): Promise<void> | void {
    const { broker } = this.context;
    const { requestId } = envelope;
    switch (envelope.action) {
      case 'authenticate':
        return this.authenticate(envelope.body, requestId);
      case 'ping':
        return this.reply(this.pong(envelope.body), requestId);
      case 'get_supported_brokers':
        return this.reply({ type: 'supported_brokers', status: 'success', brokers: [broker], count: 1 }, requestId);
      case 'get_broker_info':
        return this.reply(
          { type: 'broker_info', status: 'success', broker, adapter_status: 'connected', user_id: this.accountId },
          requestId,
        );
      case 'subscribe':
        return this.subscribe(envelope.body, requestId);
      case 'unsubscribe':
        return this.unsubscribe(envelope.body, requestId);
      case 'unsubscribe_all':
        return this.reply(this.unsubscribeReply(this.unsubscribeAll()), requestId);
      case 'subscribe_orders':
        this.stopOrders ??= this.context.orders.subscribe(this.accountId, this.orderSink);
        return this.reply(this.ordersReply('subscribe_orders', 'Subscribed to order updates'), requestId);
      case 'unsubscribe_orders':
        this.stopOrders?.();
        this.stopOrders = undefined;
        return this.reply(this.ordersReply('unsubscribe_orders', 'Unsubscribed from order updates'), requestId);
    }
  }

  // Echoes the client's timestamp and _pingId, so it can measure the round trip.
  private pong(body: PingMessage) {
    return {
      type: 'pong',
      status: 'success',
      server_timestamp: this.context.now(),
      ...(body.timestamp !== undefined ? { client_timestamp: body.timestamp } : {}),
      ...(body._pingId !== undefined ? { _pingId: body._pingId } : {}),
    };
  }

  private get accountId(): string {
    return (this.principal as VerifiedApiKey).accountId;
  }

  // A failed attempt leaves an earlier authentication in place; a key of another account drops the order updates of
  // the previous one (market subscriptions are not account data and stay).
  private async authenticate(body: AuthenticateMessage, requestId?: RequestId): Promise<void> {
    const key = apiKeyOf(body);
    if (key === undefined) return this.reply(protocolError('AUTHENTICATION_ERROR', 'API key is required', requestId));
    const principal = await this.context.verifier.verify(key);
    const marketRefusal = principal ? await this.context.marketRefusal(principal.accountId) : undefined;
    // Closed while the key was looked up: nothing to keep and no one to answer.
    if (this.closed) return;
    if (!principal) return this.reply(protocolError('AUTHENTICATION_ERROR', 'Invalid API key', requestId));
    if (!principal.scopes.includes('read')) {
      return this.reply(protocolError('AUTHENTICATION_ERROR', "This API key lacks the 'read' scope", requestId));
    }
    if (this.principal && this.principal.accountId !== principal.accountId) {
      this.stopOrders?.();
      this.stopOrders = undefined;
    }
    this.principal = principal;
    this.marketRefusal = marketRefusal;
    const streamed = marketRefusal === undefined;
    const reply = {
      type: 'auth',
      status: 'success',
      message: 'Authentication successful',
      broker: this.context.broker,
      user_id: principal.accountId,
      supported_features: { ltp: streamed, quote: streamed, depth: streamed },
    };
    this.reply(reply, requestId);
  }

  // Replies first, then the current frame of every subscription it made, so a success always comes with data. Each
  // symbol is subscribed whole or not at all: one whose market cannot be read is an error entry of the reply, and
  // neither the session nor the market stream keeps anything of it.
  private subscribe(body: SubscribeMessage, requestId?: RequestId): void {
    const request = parseSubscribe(body, requestId);
    if (isProtocolError(request)) return this.reply(request);
    const { mode, depth } = request;
    const { broker, market } = this.context;
    const entries: Array<Record<string, unknown>> = [];
    const frames: Array<{ key: string; frame: Buffer }> = [];
    for (const { symbol, exchange } of request.symbols) {
      const found = this.subscribable(symbol, exchange, mode);
      if (typeof found === 'string') {
        entries.push({ symbol, exchange, status: 'error', message: found, broker });
        continue;
      }
      let frame: Buffer;
      try {
        frame = market.subscribe(this, found, mode);
      } catch (error) {
        this.context.onError(error);
        entries.push({ symbol, exchange, status: 'error', message: `Market data for ${symbol} on ${exchange} is unavailable`, broker });
        continue;
      }
      const key = frameKey(found, mode);
      this.subscriptions.set(key, { instrument: found, mode });
      frames.push({ key, frame });
      entries.push({ symbol, exchange, status: 'success', mode: MODE_LABEL[mode], depth, broker });
    }
    // As OpenAlgo: `partial` whenever a symbol failed, even every one (the entries say which).
    const status = frames.length === entries.length ? 'success' : 'partial';
    this.reply({ type: 'subscribe', status, subscriptions: entries, message: 'Subscription processing complete', broker }, requestId);
    for (const { key, frame } of frames) this.deliver(key, frame);
  }

  /** The instrument to subscribe to, or why not. */
  private subscribable(symbol: string, exchange: string, mode: Mode): Instrument | string {
    if (this.marketRefusal !== undefined) return this.marketRefusal;
    const instrument = KNOWN_EXCHANGES.has(exchange) ? this.context.instruments.get(symbol, exchange as Exchange) : undefined;
    if (!instrument) return `Symbol ${symbol} not found on ${exchange}`;
    const { maxSubscriptions } = this.context;
    if (!this.subscriptions.has(frameKey(instrument, mode)) && this.subscriptions.size >= maxSubscriptions) {
      return `Subscription limit of ${maxSubscriptions} reached`;
    }
    return instrument;
  }

  // An entry without a mode ends that symbol's subscriptions in every mode. Ending one that does not exist succeeds; an
  // entry whose mode is not one fails alone.
  private unsubscribe(body: UnsubscribeMessage, requestId?: RequestId): void {
    const request = parseUnsubscribe(body, requestId);
    if (isProtocolError(request)) return this.reply(request);
    const ended: SymbolRef[] = [];
    const failed: Array<SymbolRef & { message: string }> = [];
    for (const entry of request.symbols) {
      const { symbol, exchange } = entry;
      if ('refused' in entry) {
        failed.push({ symbol, exchange, message: entry.refused });
        continue;
      }
      for (const each of entry.mode === undefined ? MODES : [entry.mode]) {
        const key = streamKey(exchange, symbol, each);
        const subscription = this.subscriptions.get(key);
        if (subscription) this.end(key, subscription);
      }
      ended.push({ symbol, exchange });
    }
    this.reply(this.unsubscribeReply(ended, failed), requestId);
  }

  private unsubscribeAll(): Array<{ symbol: string; exchange: string }> {
    const ended = [];
    for (const [key, subscription] of [...this.subscriptions]) {
      this.end(key, subscription);
      ended.push({ symbol: subscription.instrument.symbol, exchange: subscription.instrument.exchange });
    }
    return ended;
  }

  private end(key: string, { instrument, mode }: Subscription): void {
    this.subscriptions.delete(key);
    this.context.market.unsubscribe(this, instrument, mode);
    this.sender.drop(key);
  }

  // OpenAlgo's status: `success` when nothing failed, `partial` when some did, `error` when all did.
  private unsubscribeReply(ended: SymbolRef[], failed: Array<SymbolRef & { message: string }> = []) {
    const { broker } = this.context;
    return {
      type: 'unsubscribe',
      status: failed.length === 0 ? 'success' : ended.length > 0 ? 'partial' : 'error',
      message: 'Unsubscription processing complete',
      successful: ended.map(({ symbol, exchange }) => ({ symbol, exchange, status: 'success', broker })),
      failed: failed.map(({ symbol, exchange, message }) => ({ symbol, exchange, status: 'error', message, broker })),
      broker,
    };
  }

  private ordersReply(type: string, message: string) {
    return { type, status: 'success', message, user_id: this.accountId, broker: this.context.broker };
  }

  /** Sends a reply (or an error, which carries its own request_id), echoing the request's id. */
  private reply(message: ProtocolError | Record<string, unknown>, requestId?: RequestId): void {
    this.sender.send(json(requestId === undefined ? message : copyWith(message, { request_id: requestId })));
  }
}
