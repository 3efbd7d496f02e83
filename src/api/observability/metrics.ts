// Prometheus metrics on /metrics: process defaults and HTTP traffic, in a registry owned by one gateway.
import type { FastifyInstance } from 'fastify';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The route label of requests that matched no route, so a scan of random paths cannot grow the label set. */
export const UNMATCHED_ROUTE = 'unmatched';

// Fine-grained below 10 ms, where the gateway's own overhead lives; coarse above, where broker round-trips do.
const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** Counts and times every response, and serves the registry on `GET /metrics` (unauthenticated, not in the docs). */
export function registerMetrics(app: FastifyInstance): Registry {
  // Not prom-client's global registry: several gateways may run in one process (tests do).
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'ordergate_http_requests_total',
    help: 'HTTP requests answered, by method, matched route pattern and status code.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'ordergate_http_request_duration_seconds',
    help: 'Time from receiving a request to sending its answer, by method and matched route pattern.',
    labelNames: ['method', 'route'] as const,
    buckets: DURATION_BUCKETS,
    registers: [registry],
  });

  app.addHook('onResponse', async (request, reply) => {
    const route = request.is404 ? UNMATCHED_ROUTE : (request.routeOptions.url ?? UNMATCHED_ROUTE);
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
  return registry;
}
