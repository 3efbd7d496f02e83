// Root-level hooks feeding the traffic log: every answered request under the API (404s included) with who made it,
// but never its query string or body, where keys may sit, nor a key a client put in the path itself. Operational endpoints (/health, /ready, /metrics, /docs)
// are left out: probes and scrapers would drown the clients' traffic.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiKeyVerifier, VerifiedApiKey } from '../../gateway/api-keys.js';
import type { AdminPrincipal } from '../admin/principal.js';
import { redactSecrets } from '../../gateway/redaction.js';
import type { TrafficLog } from '../../gateway/traffic-log.js';
import type { TrafficEntry } from '../../store/store.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Epoch ms on the traffic log's clock when the request arrived. */
    trafficArrivedAt: number;
  }
}

const UNLOGGED = new Set(['/health', '/ready', '/metrics', '/docs']);

/**
 * Adds the hooks on the root, before any plugin, so every route and the 404 handler get them. `verifier` attributes
 * v1 requests refused before authentication ran (a schema-invalid order with a valid key) to their key's account.
 */
export function registerTrafficLog(app: FastifyInstance, traffic: TrafficLog, verifier: ApiKeyVerifier): void {
  app.decorateRequest('trafficArrivedAt', 0);
  app.addHook('onRequest', async (request) => {
    request.trafficArrivedAt = traffic.now();
  });
  app.addHook('onResponse', async (request, reply) => {
    const path = pathOf(request.url);
    if (isUnlogged(path)) return;
    // Either dialect's decorator is absent (undefined) on the other's requests and on 404s.
    const admin = request.adminPrincipal;
    const key = admin ? undefined : (request.principal ?? (path.startsWith('/api/v1/') ? await presentedKeyOf(request, verifier) : undefined));
    traffic.record(entryOf(request, reply, path, admin, key));
  });
}

/** One row, built in one object literal (every entry one shape): the identity first, from whichever dialect decorated the request. */
function entryOf(
  request: FastifyRequest,
  reply: FastifyReply,
  path: string,
  admin: AdminPrincipal | null | undefined,
  key: VerifiedApiKey | undefined,
): TrafficEntry {
  return {
    at: request.trafficArrivedAt,
    keyId: admin ? admin.keyId : (key?.keyId ?? null),
    accountId: admin ? admin.boundAccountId : (key?.accountId ?? null),
    userId: admin?.userId ?? null,
    // Undefined when the client hung up before the answer was written; the row is still worth keeping.
    ip: request.ip ?? '',
    method: request.method,
    // `/instruments;apikey=…` and `/instruments&apikey=…` have no query string: the key is in the path.
    path: redactSecrets(path),
    route: request.is404 ? null : (request.routeOptions.url ?? null),
    status: reply.statusCode,
    // Fastify's own timing (performance.now(), monotonic) from the request's arrival to the response's last byte
    // handed to the socket.
    durationUs: Math.round(reply.elapsedTime * 1000),
  };
}

/** The identity of the key a v1 request carried, when its answer came before authentication. */
async function presentedKeyOf(request: FastifyRequest, verifier: ApiKeyVerifier): Promise<VerifiedApiKey | undefined> {
  const body = request.body as { apikey?: unknown } | undefined;
  const query = request.query as { apikey?: unknown } | undefined;
  const key = (isRecord(body) ? body.apikey : undefined) ?? (isRecord(query) ? query.apikey : undefined);
  return typeof key === 'string' ? verifier.verify(key) : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function pathOf(url: string): string {
  const end = url.indexOf('?');
  return end === -1 ? url : url.slice(0, end);
}

function isUnlogged(path: string): boolean {
  // The router ignores trailing slashes, so `/health/` is the same endpoint.
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return UNLOGGED.has(trimmed) || trimmed.startsWith('/docs/');
}
