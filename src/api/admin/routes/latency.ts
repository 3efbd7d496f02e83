// GET /api/admin/latency: the latency monitor's figures for the v1 order calls, per endpoint and broker. System-wide
// aggregates with no account data, so any authenticated admin caller may read them.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, Type } from 'typebox';
import type { LatencyMonitor, LatencySummary, Percentiles } from '../../../gateway/latency-monitor.js';
import { AUTHENTICATED_ERRORS } from '../errors.js';

const Milliseconds = (phase: string) =>
  Type.Object(
    {
      p50: Type.Number({ minimum: 0 }),
      p90: Type.Number({ minimum: 0 }),
      p99: Type.Number({ minimum: 0 }),
    },
    { description: `${phase}: nearest-rank percentiles of the window, in milliseconds to the microsecond` },
  );

const Share = (limit: string) =>
  Type.Number({ minimum: 0, maximum: 1, description: `Share (0..1) of the window's requests answered in at most ${limit} in total` });

const EndpointLatency = Type.Object({
  endpoint: Type.String({ description: 'The route, for example `/api/v1/placeorder`' }),
  broker: Type.String({
    description: 'The broker that served the requests (`paper` is the built-in exchange); `none` for requests answered before reaching one (invalid, refused, replayed)',
  }),
  count: Type.Integer({ minimum: 1, description: 'Requests in the window, which the figures describe' }),
  recorded: Type.Integer({ minimum: 1, description: 'Requests recorded since the gateway started' }),
  total_ms: Milliseconds('From the request’s arrival to its response sent'),
  validation_ms: Milliseconds('Schema validation of the request (to the refusal sent, for an invalid one)'),
  broker_ms: Milliseconds('Time broker calls were in flight (overlapping calls count once)'),
  overhead_ms: Milliseconds("The gateway's own time: total minus broker, per request"),
  under_1ms: Share('1 ms'),
  under_5ms: Share('5 ms'),
  under_10ms: Share('10 ms'),
});

const LatencyReport = Type.Object({
  endpoints: Type.Array(EndpointLatency, { description: 'One entry per (endpoint, broker) seen, by endpoint then broker' }),
  window: Type.Integer({ minimum: 1, description: 'How many recent requests each entry keeps' }),
});

export async function latencyRoutes(fastify: FastifyInstance, { latency }: { latency: LatencyMonitor }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/latency',
    {
      schema: {
        summary: 'Latency of the order calls: gateway overhead against broker round-trip',
        description:
          'For each v1 route needing the `trade` scope and each broker, over the most recent requests: percentiles ' +
          'of the total time, the validation, the broker round-trip and the gateway overhead (total − broker, taken ' +
          'per request, so its percentiles are not differences of the others), and the shares answered within 1, 5 ' +
          'and 10 ms. `/metrics` has the same phases in `ordergate_order_latency_seconds`.',
        tags: ['admin'],
        response: { 200: LatencyReport, ...AUTHENTICATED_ERRORS },
      },
    },
    async () => ({ endpoints: latency.summary().map(endpointView), window: latency.window }),
  );
}

function endpointView(summary: LatencySummary): Static<typeof EndpointLatency> {
  const { phases, totalWithin } = summary;
  return {
    endpoint: summary.endpoint,
    broker: summary.broker,
    count: summary.count,
    recorded: summary.recorded,
    total_ms: milliseconds(phases.total),
    validation_ms: milliseconds(phases.validation),
    broker_ms: milliseconds(phases.broker),
    overhead_ms: milliseconds(phases.overhead),
    under_1ms: totalWithin.ms1,
    under_5ms: totalWithin.ms5,
    under_10ms: totalWithin.ms10,
  };
}

/** Nanoseconds to milliseconds, rounded to the microsecond. */
function milliseconds({ p50, p90, p99 }: Percentiles): Static<ReturnType<typeof Milliseconds>> {
  const ms = (ns: number) => Math.round(ns / 1_000) / 1_000;
  return { p50: ms(p50), p90: ms(p90), p99: ms(p99) };
}
