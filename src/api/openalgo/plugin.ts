// The OpenAlgo v1 dialect under /api/v1: API-key auth from the body (or query), OpenAlgo's error envelopes, its routes.
import { copyWith } from '../../domain/objects.js';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { KeyedLock } from '../../core/keyed-lock.js';
import type { OrderPacer } from '../../core/order-pacer.js';
import type { TradingService } from '../../core/trading.js';
import type { InstrumentCatalog } from '../../domain/instrument.js';
import type { AnalyzerMode } from '../../gateway/analyzer-mode.js';
import type { ApiKeyVerifier, VerifiedApiKey } from '../../gateway/api-keys.js';
import { IDEMPOTENCY_HEADER, type IdempotencyGuard } from '../../gateway/idempotency.js';
import type { LatencyRecorder } from '../../gateway/latency-recorder.js';
import type { RateLimits } from '../../gateway/rate-limits.js';
import type { RateLimitGroup } from '../../config.js';
import type { ApiKeyScope } from '../../store/store.js';
import { INVALID_API_KEY, domainErrorReply, errorReply, rateLimitedBody } from './errors.js';
import { FieldError } from './mappers.js';
import { accountRoutes } from './routes/account.js';
import { analyzerRoutes } from './routes/analyzer.js';
import { batchRoutes } from './routes/batches.js';
import { historyRoutes } from './routes/history.js';
import { marketDataRoutes } from './routes/market-data.js';
import { symbolRoutes } from './routes/symbols.js';
import { orderRoutes } from './routes/orders.js';
import { positionRoutes } from './routes/positions.js';
import { type ValidationStyle, fieldErrorMessage, requestValidationBody } from './validation-errors.js';

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

/** Just the v1 dependencies out of a larger object (the server's options, a plugin's options with its prefix). */
export function openAlgoDepsOf(source: OpenAlgoDeps): OpenAlgoDeps {
  const { trading, verifier, instruments, smartOrderLock, idempotency, rateLimits, analyzer, latency } = source;
  return { trading, verifier, instruments, smartOrderLock, idempotency, rateLimits, analyzer, latency };
}

/** Per-route settings: how validation errors are rendered and which key scope the route needs. */
export interface V1RouteConfig {
  style: ValidationStyle;
  scope: ApiKeyScope;
  /** OpenAlgo answers 401 instead of 403 when some GET routes get no key at all. */
  missingKeyStatus?: 401;
  /** The rate-limit bucket the route counts against; `api` when absent. */
  group?: RateLimitGroup;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: VerifiedApiKey | null;
  }
}

export async function openAlgoV1(app: FastifyInstance, deps: OpenAlgoDeps): Promise<void> {
  app.decorateRequest('principal', null);
  // First, so that validation is timed up to the authentication preHandler below.
  deps.latency?.register(app, (request) => routeConfigOf(request).scope === 'trade');

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const { scope, missingKeyStatus, group = 'api' } = routeConfigOf(request);
    if (missingKeyStatus && presentedKey(request) === undefined) {
      return reply.code(missingKeyStatus).send(errorReply(missingKeyStatus, 'API key is required').body);
    }
    const principal = await authenticate(request, deps);
    if (!principal) return reply.code(403).send(errorReply(403, INVALID_API_KEY).body);
    if (scope === undefined || !principal.scopes.includes(scope)) {
      return reply.code(403).send(errorReply(403, `This API key lacks the '${scope}' scope`).body);
    }
    request.principal = principal;

    // Counted per API key, after authentication: requests with a bad key or a failed validation cost no budget.
    let decision;
    try {
      decision = await deps.rateLimits.consume(group, principal.keyId);
    } catch (error) {
      // The limit's store (Redis) is unreachable: refuse rather than run unlimited, and say it is worth retrying.
      request.log.error({ err: error }, 'rate limit store failed');
      return reply.code(503).header('Retry-After', 1).send(errorReply(503, 'Rate limit store unavailable; retry shortly').body);
    }
    reply.header('RateLimit-Limit', decision.limit);
    reply.header('RateLimit-Remaining', decision.remaining);
    reply.header('RateLimit-Reset', decision.resetSeconds);
    if (!decision.allowed) {
      const seconds = decision.retryAfterSeconds;
      return reply.code(429).header('Retry-After', seconds).send(rateLimitedBody(seconds));
    }
  });

  // After authentication and the rate limit (so a 429 is never stored): a retried order request with the same
  // Idempotency-Key gets the first answer. Reads (quotes, history, books) are safe to repeat, so their answers, some
  // of them megabytes, are never stored.
  app.addHook(
    'preHandler',
    deps.idempotency.preHandler(
      (request) => (routeConfigOf(request).scope === 'trade' ? request.principal?.accountId : undefined),
      (reply, statusCode, message) => reply.code(statusCode).send(errorReply(statusCode, message).body),
    ),
  );
  // Before the idempotency guard's onSend, so a stored answer is the tagged one.
  app.addHook('onSend', analyzerTagging(deps));
  app.addHook('onSend', deps.idempotency.onSend);
  app.addHook('onResponse', deps.idempotency.onResponse);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const style = routeConfigOf(request).style ?? 'data';
    const invalid = requestValidationBody(error, request, style);
    if (invalid) return reply.code(400).send(invalid);
    if (error instanceof FieldError) {
      return reply.code(400).send({ status: 'error', message: fieldErrorMessage(error.field, error.message, style) });
    }
    const domain = domainErrorReply(error);
    if (domain?.retryAfterSeconds !== undefined) reply.header('Retry-After', domain.retryAfterSeconds);
    if (domain) return reply.code(domain.statusCode).send(domain.body);
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.code(error.statusCode).send(errorReply(error.statusCode, error.message).body);
    }
    request.log.error({ err: error }, 'unexpected error in the v1 API');
    return reply.code(500).send(errorReply(500, 'An unexpected error occurred in the API endpoint').body);
  });

  // Pass only the dependencies: the options Fastify hands this plugin also carry its prefix.
  const routeDeps = openAlgoDepsOf(deps);
  await app.register(orderRoutes, routeDeps);
  await app.register(positionRoutes, routeDeps);
  await app.register(batchRoutes, routeDeps);
  await app.register(marketDataRoutes, routeDeps);
  await app.register(symbolRoutes, routeDeps);
  await app.register(historyRoutes, routeDeps);
  await app.register(accountRoutes, routeDeps);
  await app.register(analyzerRoutes, routeDeps);
}

/**
 * An onSend hook: every JSON answer to an account in analyzer mode carries `"mode":"analyze"` (as OpenAlgo's sandbox
 * answers do) and is logged with its request. Added to the serialized body, so no response schema can drop it.
 * Answers sent before authentication (validation errors) authenticate here; an invalid key gets no tag.
 */
function analyzerTagging(deps: OpenAlgoDeps) {
  const { analyzer } = deps;
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    if (typeof payload !== 'string' || !isJson(reply)) return payload;
    const principal = request.principal ?? (await authenticate(request, deps));
    if (!principal || !analyzer.isOn(principal.accountId)) return payload;
    const body: unknown = JSON.parse(payload);
    const tagged = isRecord(body) ? JSON.stringify(copyWith(body, { mode: 'analyze' })) : payload;
    await analyzer.record(principal.accountId, {
      path: request.url.split('?')[0] ?? request.url,
      statusCode: reply.statusCode,
      requestBody: request.body,
      response: tagged,
    });
    return tagged;
  };
}

function isJson(reply: FastifyReply): boolean {
  const type = reply.getHeader('content-type');
  return typeof type === 'string' && type.startsWith('application/json');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Every v1 route declares a V1RouteConfig; unmatched requests (404s) have none, hence Partial.
function routeConfigOf(request: FastifyRequest): Partial<V1RouteConfig> {
  return request.routeOptions.config as unknown as Partial<V1RouteConfig>;
}

function presentedKey(request: FastifyRequest): unknown {
  const body = request.body as { apikey?: unknown } | undefined;
  const query = request.query as { apikey?: unknown } | undefined;
  return body?.apikey ?? query?.apikey;
}

/**
 * The identity of the request's key, with the analyzer switches brought up to date for it: the order path asks
 * `isOn` synchronously, so a switch another gateway changed must be in memory before the request goes on.
 */
async function authenticate(request: FastifyRequest, { verifier, analyzer }: OpenAlgoDeps): Promise<VerifiedApiKey | undefined> {
  const key = presentedKey(request);
  const principal = typeof key === 'string' ? await verifier.verify(key) : undefined;
  if (principal) await analyzer.refresh();
  return principal;
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

/** The authenticated principal of a v1 route (the preHandler guarantees one). */
export function principalOf(request: FastifyRequest): VerifiedApiKey {
  if (!request.principal) throw new Error('v1 route reached without authentication');
  return request.principal;
}
