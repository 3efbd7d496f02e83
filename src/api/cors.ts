// Cross-origin access for browser clients (OpenAlgo's CORS_* variables): an allow-list of exact origins, applied to
// every route of the server (the dialects, /api/auth, /api/admin, the docs and the 404s) by root-level hooks.
import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { CorsConfig } from '../config.js';

/**
 * Registers @fastify/cors on the root of `app` when `config.enabled`; otherwise adds nothing, so no response carries a
 * CORS header and OPTIONS requests meet the ordinary 404.
 *
 * A listed origin gets itself echoed in `Access-Control-Allow-Origin` (with `Vary: Origin`), the exposed headers and,
 * if asked, credentials; its preflights are answered 204 before authentication and rate limits, since browsers send
 * them without credentials. Any other origin, and a request without an Origin header, gets no CORS header: its
 * requests are answered as usual (the browser withholds the answer from the page), and its preflights fall through
 * to the not-found handler, a 404 in the `{"status":"error"}` envelope: a preflight names no resource that exists
 * for that origin, and a 403 would tell a probing page that the route is there.
 */
export async function registerCors(app: FastifyInstance, config: CorsConfig): Promise<void> {
  if (!config.enabled) return;
  const allowed = new Set(config.allowedOrigins);
  await app.register(cors, {
    // `false` turns CORS off for the request entirely (no header at all, preflight not handled), which a plain list
    // would not do: @fastify/cors still sends the exposed headers and answers the preflight for unlisted origins.
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: config.allowedMethods,
    allowedHeaders: config.allowedHeaders,
    exposedHeaders: config.exposedHeaders,
    credentials: config.allowCredentials,
    maxAge: config.maxAgeSeconds,
    // An OPTIONS from a listed origin without Access-Control-Request-Method is not a preflight, but answering it like
    // one is harmless, and the strict mode's reply is a text/plain 400 outside the error envelope.
    strictPreflight: false,
  });
}
