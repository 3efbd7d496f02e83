// How long a client may take to send a request, as Node's HTTP server enforces it. Every server Ordergate listens
// with gets these limits when it is made: Node reads them only then (set afterwards, as Fastify sets requestTimeout,
// they leave headers at 60 s), and checks them every connectionsCheckingInterval (30 s by default, which let a
// 30 s limit hold a connection for up to 60 s).
import type { ServerOptions } from 'node:http';

/** A request is cut within this much of its limit. */
export const TIMEOUT_CHECK_MS = 1000;

/** Node server options holding a request, its headers included, to `requestTimeoutMs` from its first byte. */
export function requestLimits(requestTimeoutMs: number): ServerOptions {
  return {
    headersTimeout: requestTimeoutMs,
    requestTimeout: requestTimeoutMs,
    connectionsCheckingInterval: TIMEOUT_CHECK_MS,
  };
}
