// The OpenAlgo WebSocket stream in Fastify: `/ws` on the HTTP port (through @fastify/websocket) and, when asked, the
// same protocol on a port of its own at any path (OpenAlgo's WEBSOCKET_PORT, 8765, where its SDKs connect by default).
// The tick and ping timers start when the server is ready; closing the server closes every stream connection with
// 1001 (going away), so clients know to reconnect.
import { type Server, createServer } from 'node:http';
import websocket from '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import { WebSocketServer } from 'ws';
import { clientErrorHandler } from '../client-errors.js';
import { requestLimits } from '../request-limits.js';
import { type ConnectionStats, type StreamOptions, type StreamStats, StreamHub } from './stream-hub.js';

export interface MarketStreamDeps extends StreamOptions {
  /** Route on the HTTP port; default "/ws". */
  path?: string;
  /** Also serve the stream on this port (0: any free port); off when undefined. */
  standalonePort?: number;
  /** Address of the standalone port; default 127.0.0.1. */
  standaloneHost?: string;
  /** Largest message a client may send (larger ones close the connection with 1009); default 256 KiB. */
  maxPayloadBytes?: number;
  /** How long a client of the standalone port may take to send its upgrade request (408 after it); default 30 s. */
  requestTimeoutMs?: number;
}

/** What the server keeps of the stream, for wiring, metrics and tests. */
export interface MarketStreamHandle {
  /** One market tick now (tests; the timer calls the same). */
  tickNow(): void;
  /** One keep-alive round now: cuts off peers that did not answer the last ping, pings the others. */
  pingNow(): void;
  stats(): StreamStats;
  connectionStats(): ConnectionStats[];
  /** `ws://host:port` of the standalone listener once the server is ready; undefined when there is none. */
  standaloneUrl(): string | undefined;
}

const DEFAULT_MAX_PAYLOAD = 256 * 1024;
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Registers the stream on `app` (before it is ready) and returns its handle. */
export async function registerMarketStream(app: FastifyInstance, deps: MarketStreamDeps): Promise<MarketStreamHandle> {
  const log = app.log.child({ component: 'ws' });
  const hub = new StreamHub(deps, log);
  const maxPayload = deps.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD;
  if (!app.hasDecorator('websocketServer')) {
    // The plugin's own preClose would close every connection without a code (clients see 1005) before the hub's
    // hook below says goodbye with 1001: it only stops taking upgrades here (later ones are answered 503). Not
    // waiting for the server's close, which comes once the hub has closed the connections.
    await app.register(websocket, {
      options: { maxPayload },
      preClose(this: FastifyInstance, done: () => void) {
        this.websocketServer.close();
        done();
      },
    });
  }
  await app.register(async (scope) => {
    const path = deps.path ?? '/ws';
    scope.route({
      method: 'GET',
      url: path,
      schema: { hide: true },
      wsHandler: (socket) => hub.accept(socket),
      // A plain GET (a browser, curl): say what the address is, in the v1 envelope, rather than an empty 404.
      handler: (_request, reply) =>
        reply
          .code(426)
          .header('upgrade', 'websocket')
          .send({ status: 'error', message: `${path} is the OpenAlgo WebSocket stream: connect with a WebSocket client` }),
    });
  });

  let standalone: WebSocketServer | undefined;
  app.addHook('onReady', async () => {
    if (deps.standalonePort !== undefined) {
      const requestTimeoutMs = deps.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
      standalone = await listenStandalone(deps.standaloneHost ?? '127.0.0.1', deps.standalonePort, maxPayload, requestTimeoutMs);
      standalone.on('connection', (socket) => hub.accept(socket));
      log.info({ url: urlOf(standalone) }, 'OpenAlgo WebSocket stream listening on its own port');
    }
    hub.start();
  });
  app.addHook('preClose', async () => {
    await hub.close();
    standalone?.close();
    // Upgraded connections are the hub's, closed above; requests still arriving are cut.
    const server = standalone?.options.server as Server | undefined;
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()).closeAllConnections() : resolve()));
  });

  return {
    tickNow: () => hub.tickNow(),
    pingNow: () => hub.pingNow(),
    stats: () => hub.stats(),
    connectionStats: () => hub.connectionStats(),
    standaloneUrl: () => (standalone ? urlOf(standalone) : undefined),
  };
}

/**
 * The stream on a server of its own, made with the HTTP port's request limits and error envelopes (the one ws makes
 * keeps Node's defaults: headers may take 60 s, checked every 30 s).
 */
function listenStandalone(host: string, port: number, maxPayload: number, requestTimeoutMs: number): Promise<WebSocketServer> {
  const server = createServer(requestLimits(requestTimeoutMs), (_request, response) => {
    const body = JSON.stringify({ status: 'error', message: 'This port serves the OpenAlgo WebSocket stream: connect with a WebSocket client' });
    response.writeHead(426, { upgrade: 'websocket', 'content-type': 'application/json; charset=utf-8' }).end(body);
  });
  server.on('clientError', clientErrorHandler(requestTimeoutMs));
  const stream = new WebSocketServer({ server, maxPayload, perMessageDeflate: false });
  return new Promise((resolve, reject) => {
    server.once('listening', () => {
      server.off('error', reject);
      resolve(stream);
    });
    server.once('error', reject);
    server.listen(port, host);
  });
}

function urlOf(server: WebSocketServer): string | undefined {
  const address = server.address();
  if (address === null || typeof address === 'string') return undefined;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `ws://${host}:${address.port}`;
}
