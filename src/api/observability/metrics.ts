// Prometheus metrics on /metrics: process defaults, HTTP traffic and the latency of order calls, in a registry owned
// by one gateway.
import type { FastifyInstance } from 'fastify';
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { LATENCY_PHASES, type LatencyMonitor, type LatencyPhase } from '../../gateway/latency-monitor.js';
import { type HistogramSeries, SeriesCounter, SeriesHistogram } from './series-metrics.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The gateway's metrics registry, for the metrics of parts built outside the HTTP server (broker circuits). */
    metricsRegistry: Registry;
  }
}

/** The route label of requests that matched no route, so a scan of random paths cannot grow the label set. */
export const UNMATCHED_ROUTE = 'unmatched';

// Fine-grained below 10 ms, where the gateway's own overhead lives; coarse above, where broker round-trips do.
const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
// The gateway's part of an order call is tens to hundreds of microseconds: buckets from 100 µs up.
const ORDER_LATENCY_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

/**
 * Counts and times every response, and serves the registry on `GET /metrics` (unauthenticated, not in the docs).
 * With a latency monitor, every order call it records is observed per phase in `ordergate_order_latency_seconds`.
 */
export function registerMetrics(app: FastifyInstance, latency?: LatencyMonitor): Registry {
  // Not prom-client's global registry: several gateways may run in one process (tests do).
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // Updated by every response: series resolved once per label set (series-metrics.ts), not prom-client's per-call hashing.
  const requests = new SeriesCounter(
    {
      name: 'ordergate_http_requests_total',
      help: 'HTTP requests answered, by method, matched route pattern and status code.',
      labelNames: ['method', 'route', 'status'] as const,
    },
    registry,
  );
  const duration = new SeriesHistogram(
    {
      name: 'ordergate_http_request_duration_seconds',
      help: 'Time from receiving a request to sending its answer, by method and matched route pattern.',
      labelNames: ['method', 'route'] as const,
      buckets: DURATION_BUCKETS,
    },
    registry,
  );

  app.addHook('onResponse', async (request, reply) => {
    const route = request.is404 ? UNMATCHED_ROUTE : (request.routeOptions.url ?? UNMATCHED_ROUTE);
    requests.labels({ method: request.method, route, status: String(reply.statusCode) }).inc();
    duration.labels({ method: request.method, route }).observe(reply.elapsedTime / 1000);
  });
  if (latency) observeOrderLatency(latency, registry);
  app.decorate('metricsRegistry', registry);
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
  return registry;
}

/** A broker connection's circuit breaker as /metrics shows it. */
export interface CircuitGaugeSource {
  broker: string;
  state: () => 'closed' | 'half-open' | 'open';
}

const CIRCUIT_STATE_VALUES = { closed: 0, 'half-open': 1, open: 2 } as const;

/** `ordergate_broker_circuit_state{broker}`: each connection's circuit, read at every scrape. */
export function observeBrokerCircuits(registry: Registry, circuits: readonly CircuitGaugeSource[]): void {
  new Gauge({
    name: 'ordergate_broker_circuit_state',
    help: 'Circuit breaker of each broker connection: 0 closed (calls pass), 1 half-open (a probe may pass), 2 open (calls fail fast).',
    labelNames: ['broker'] as const,
    registers: [registry],
    collect() {
      for (const circuit of circuits) this.set({ broker: circuit.broker }, CIRCUIT_STATE_VALUES[circuit.state()]);
    },
  });
}

/** 1 while faults are injected into the paper broker (`ordergate faults`), so that chaos left on can be alerted on. */
export function observePaperFaults(registry: Registry, injected: () => boolean): void {
  new Gauge({
    name: 'ordergate_paper_faults_injected',
    help: 'Whether faults are injected into the paper broker (ORDERGATE_PAPER_FAULTS, `ordergate faults`): 1 yes, 0 no.',
    registers: [registry],
    collect() {
      this.set(injected() ? 1 : 0);
    },
  });
}

function observeOrderLatency(latency: LatencyMonitor, registry: Registry): void {
  const histogram = new SeriesHistogram(
    {
      name: 'ordergate_order_latency_seconds',
      help:
        'Order calls (v1 routes needing the trade scope) by endpoint, broker and phase: total (arrival to response ' +
        'sent), validation (request schema), broker (broker calls in flight), overhead (total minus broker).',
      labelNames: ['endpoint', 'broker', 'phase'] as const,
      buckets: ORDER_LATENCY_BUCKETS,
    },
    registry,
  );
  // The series of each (endpoint, broker), looked up once: four observations per order call.
  const series = new Map<string, Record<LatencyPhase, HistogramSeries<'endpoint' | 'broker' | 'phase'>>>();
  latency.onSample(({ endpoint, broker, ns }) => {
    const key = `${endpoint}\u0000${broker}`;
    let byPhase = series.get(key);
    if (!byPhase) {
      byPhase = Object.fromEntries(LATENCY_PHASES.map((phase) => [phase, histogram.labels({ endpoint, broker, phase })])) as Record<
        LatencyPhase,
        HistogramSeries<'endpoint' | 'broker' | 'phase'>
      >;
      series.set(key, byPhase);
    }
    for (const phase of LATENCY_PHASES) byPhase[phase].observe(ns[phase] / 1e9);
  });
}
