// Headers every response carries: its request id and the browser hardening that a JSON API wants; and, once the
// server is closing, `Connection: close`.
import type { FastifyInstance } from 'fastify';
import { REQUEST_ID_HEADER } from './request-id.js';

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
} as const;

/** Adds the headers in an onSend hook on the root, so 404s and error replies carry them too. */
export function addResponseHeaders(app: FastifyInstance): void {
  // Requests in flight when the server starts closing are answered; their keep-alive connections must then end, or
  // the server's close would wait for each client to hang up (or for the 72 s keep-alive timeout). Fastify marks
  // only the requests that arrive while it closes (answered 503).
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (request, reply) => {
    if (closing) reply.header('connection', 'close');
    reply.header(REQUEST_ID_HEADER, request.id);
    reply.headers(SECURITY_HEADERS);
    // API answers are per-account and change with every fill: no cache may keep them.
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });
}
