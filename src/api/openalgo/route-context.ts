// What a v1 route is given and asks of its request: the dialect's dependencies, its per-route config, the caller's key,
// client order id, trading service and order pace. Apart from plugin.ts, so the routes it registers need not import it.
import type { FastifyRequest } from 'fastify';
import type { GttDesk } from '../../core/gtt-desk.js';
import type { KeyedLock } from '../../core/keyed-lock.js';
import type { OrderPacer } from '../../core/order-pacer.js';
import type { TradingService } from '../../core/trading.js';
import type { Clock } from '../../domain/clock.js';
import type { InstrumentCatalog } from '../../domain/instrument.js';
import type { AnalyzerMode } from '../../gateway/analyzer-mode.js';
import type { ApiKeyVerifier, VerifiedApiKey } from '../../gateway/api-keys.js';
import { IDEMPOTENCY_HEADER, type IdempotencyGuard } from '../../gateway/idempotency.js';
import type { LatencyRecorder } from '../../gateway/latency-recorder.js';
import type { RateLimits } from '../../gateway/rate-limits.js';
import type { GuardRouteConfig } from '../../gateway/request-guard.js';
import type { ChartPreferenceRepository } from '../../store/store.js';
import type { ValidationStyle } from './validation-errors.js';

export interface OpenAlgoDeps {
  trading: TradingService;
  verifier: ApiKeyVerifier;
  instruments: InstrumentCatalog;
  /** Serializes smart orders per position. */
  smartOrderLock: KeyedLock;
  idempotency: IdempotencyGuard;
  /** Per-API-key budgets of the route groups. */
  rateLimits: RateLimits;
  /** Which accounts run in analyzer (sandbox) mode, and their request log. */
  analyzer: AnalyzerMode;
  /** Times the order calls (routes needing the `trade` scope); they go unmeasured without it. */
  latency?: LatencyRecorder;
  /** Good-till-triggered orders; the GTT routes are served only with it. */
  gtt?: GttDesk;
  /** The time the calendar's defaults are taken at. */
  clock: Clock;
  /** The accounts' chart preferences (GET/POST /chart). */
  chartPreferences: ChartPreferenceRepository;
}

/** Just the v1 dependencies out of a larger object (the server's options, a plugin's options with its prefix). */
export function openAlgoDepsOf(source: OpenAlgoDeps): OpenAlgoDeps {
  const { trading, verifier, instruments, smartOrderLock, idempotency, rateLimits, analyzer, latency } = source;
  const { gtt, clock, chartPreferences } = source;
  return { trading, verifier, instruments, smartOrderLock, idempotency, rateLimits, analyzer, latency, gtt, clock, chartPreferences };
}

/** Per-route settings: the guard's (key scope, rate-limit group) and how validation errors are rendered. */
export interface V1RouteConfig extends GuardRouteConfig {
  style: ValidationStyle;
  /** OpenAlgo answers 401 instead of 403 when some GET routes get no key at all. */
  missingKeyStatus?: 401;
  /** OpenAlgo answers 401 instead of 403 when its greeks routes get a wrong key. */
  invalidKeyStatus?: 401;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: VerifiedApiKey | null;
  }
}

/** The authenticated principal of a v1 route (the preHandler guarantees one). */
export function principalOf(request: FastifyRequest): VerifiedApiKey {
  if (!request.principal) throw new Error('v1 route reached without authentication');
  return request.principal;
}

/**
 * The client order id of the order a request places: its Idempotency-Key (the guard has checked its form), so that a
 * placement the gateway retries towards the broker, or the client retries after a 503, is recognised by the broker
 * instead of placed twice. Orders a request places several of (split, basket) add their number to it.
 */
export function clientOrderIdOf(request: FastifyRequest): string | undefined {
  const key = request.headers[IDEMPOTENCY_HEADER];
  return typeof key === 'string' && key.length > 0 ? key : undefined;
}

/** The trading service a v1 handler calls: for a measured request, one whose broker calls are charged to it. */
export function tradingFor(request: FastifyRequest, { trading, latency }: OpenAlgoDeps): TradingService {
  const timer = latency?.brokerTimer(request);
  return timer ? trading.through(timer) : trading;
}

/** How long, in all, the orders of one request may wait for the key's order budget before the rest fail. */
export const ORDER_PACE_MAX_WAIT_MS = 30_000;

/**
 * The pace of the orders a request places beyond its own count: each takes one unit of the key's ORDER_RATE_LIMIT,
 * waiting for it up to ORDER_PACE_MAX_WAIT_MS for the whole request; an order that would wait longer fails at once.
 */
export function orderPacerFor(request: FastifyRequest, { rateLimits }: OpenAlgoDeps): OrderPacer {
  const { keyId } = principalOf(request);
  let left = ORDER_PACE_MAX_WAIT_MS;
  return async () => {
    left -= await rateLimits.acquire('order', keyId, left);
  };
}
