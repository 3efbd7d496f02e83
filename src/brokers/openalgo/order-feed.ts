// The upstream's WebSocket order feed (reference §10): authenticate with the API key, `subscribe_orders`, and hear the
// id of every order the upstream changes. It reconnects with a doubling delay whenever the socket drops, is refused or
// goes silent (pings unanswered), and says when it is up (subscribed) and when it goes down.
import WebSocket, { type RawData } from 'ws';

export interface OrderFeedOptions {
  /** `ws://host:port/ws`, or OpenAlgo's own `ws://host:8765`. */
  url: string;
  apiKey: string;
  /** First delay before reconnecting, in ms; doubled after each failed attempt up to `maxReconnectMs`. */
  reconnectMs: number;
  maxReconnectMs: number;
  /** How often the socket is pinged; one left unanswered until the next means the connection is dead. */
  heartbeatMs: number;
  /** An order of the account changed at the upstream (its live orders only, not its analyzer's). */
  onOrderChanged(orderId: string): void;
  /** Subscribed; `again` when the feed had been up before (it came back after a drop). */
  onUp(again: boolean): void;
  onDown(): void;
  /** Why a connection failed or was refused; the feed keeps trying. Must not throw. */
  onError(error: Error): void;
}

export class OrderFeed {
  private socket: WebSocket | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private failedAttempts = 0;
  private everUp = false;
  private subscribed = false;
  private closed = false;

  constructor(private readonly options: OrderFeedOptions) {}

  /** Whether order updates are arriving now (authenticated and subscribed). */
  get up(): boolean {
    return this.subscribed;
  }

  start(): void {
    if (!this.socket && !this.reconnectTimer && !this.closed) this.connect();
  }

  /** Closes the socket and stops reconnecting. */
  close(): void {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.socket?.terminate();
  }

  private connect(): void {
    const socket = new WebSocket(this.options.url, { perMessageDeflate: false, handshakeTimeout: this.options.heartbeatMs });
    this.socket = socket;
    let answered = true;
    socket.on('open', () => {
      socket.send(JSON.stringify({ action: 'authenticate', api_key: this.options.apiKey }));
      this.heartbeat = setInterval(() => {
        if (!answered) return socket.terminate();
        answered = false;
        socket.ping();
      }, this.options.heartbeatMs).unref();
    });
    socket.on('pong', () => (answered = true));
    socket.on('message', (data) => {
      answered = true;
      this.onMessage(socket, data);
    });
    // A failed connection emits `error` and then `close`; the reconnect is arranged on `close`.
    socket.on('error', (error) => this.options.onError(new Error(`The upstream's order feed failed: ${describe(error)}`)));
    socket.on('close', () => this.onClose(socket));
  }

  private onMessage(socket: WebSocket, data: RawData): void {
    let message: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(data.toString());
      if (typeof parsed !== 'object' || parsed === null) return;
      message = parsed as Record<string, unknown>;
    } catch {
      return;
    }
    if (message.type === 'order_update') {
      if (message.mode !== 'analyze' && (typeof message.orderid === 'string' || typeof message.orderid === 'number')) {
        this.options.onOrderChanged(String(message.orderid));
      }
      return;
    }
    if (message.status === 'error') {
      // The key was refused (or the upstream has no order feed): try again later, as after a drop.
      this.options.onError(new Error(`The upstream refused the order feed: ${String(message.code ?? '')} ${String(message.message ?? '')}`.trim()));
      socket.terminate();
      return;
    }
    if (message.type === 'auth' && message.status === 'success') {
      socket.send(JSON.stringify({ action: 'subscribe_orders' }));
    } else if (message.type === 'subscribe_orders' && message.status === 'success') {
      const again = this.everUp;
      this.everUp = true;
      this.subscribed = true;
      this.failedAttempts = 0;
      this.options.onUp(again);
    }
  }

  private onClose(socket: WebSocket): void {
    if (socket !== this.socket) return;
    clearInterval(this.heartbeat);
    this.socket = undefined;
    const wasUp = this.subscribed;
    this.subscribed = false;
    if (this.closed) return;
    if (wasUp) this.options.onDown();
    const delay = Math.min(this.options.maxReconnectMs, this.options.reconnectMs * 2 ** this.failedAttempts);
    this.failedAttempts += 1;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.closed) this.connect();
    }, delay);
    this.reconnectTimer.unref();
  }
}

function describe(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error.message;
}
