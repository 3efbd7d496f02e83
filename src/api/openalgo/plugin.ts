// The OpenAlgo v1 dialect under /api/v1: its parts of the request guard (the API key from the body or query, OpenAlgo's
// error envelopes), its error handler and its routes.
import { copyWith } from '../../domain/objects.js';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VerifiedApiKey } from '../../gateway/api-keys.js';
import { type Refusal, registerRequestGuard } from '../../gateway/request-guard.js';
import { INVALID_API_KEY, domainErrorReply, errorReply, rateLimitedBody } from './errors.js';
import { FieldError } from './mappers.js';
import { type OpenAlgoDeps, type V1RouteConfig, openAlgoDepsOf } from './route-context.js';
import { accountRoutes } from './routes/account.js';
import { analyzerRoutes } from './routes/analyzer.js';
import { batchRoutes } from './routes/batches.js';
import { historyRoutes } from './routes/history.js';
import { marketDataRoutes } from './routes/market-data.js';
import { symbolRoutes } from './routes/symbols.js';
import { orderRoutes } from './routes/orders.js';
import { positionRoutes } from './routes/positions.js';
import { optionAnalyticsRoutes } from './routes/option-analytics.js';
import { optionGreeksRoutes } from './routes/option-greeks.js';
import { optionOrderRoutes } from './routes/option-orders.js';
import { gttRoutes } from './routes/gtt.js';
import { marginRoutes } from './routes/margin.js';
import { calendarRoutes } from './routes/calendar.js';
import { pnlRoutes } from './routes/pnl.js';
import { portfolioRoutes } from './routes/portfolio.js';
import { chartRoutes } from './routes/chart.js';
import { sipRoutes } from './routes/sip.js';
import { notServedRoutes } from './routes/not-served.js';
import { fieldErrorMessage, requestValidationBody } from './validation-errors.js';

export async function openAlgoV1(app: FastifyInstance, deps: OpenAlgoDeps): Promise<void> {
  app.decorateRequest('principal', null);
  // First, so that validation is timed up to the guard's preHandler below.
  deps.latency?.register(app, (request) => routeConfigOf(request).scope === 'trade');

  // Before the guard's idempotency onSend, so a stored answer is the tagged one.
  app.addHook('onSend', analyzerTagging(deps));
  registerRequestGuard(app, {
    credentialsOf: presentedKey,
    verify: (key) => verifyKey(key, deps),
    attach: (request, principal) => {
      request.principal = principal;
    },
    limitKeyOf: (principal) => principal.keyId,
    rateLimits: deps.rateLimits,
    // A retried order request with the same Idempotency-Key gets the first answer. Reads (quotes, history, books)
    // are safe to repeat, so their answers, some of them megabytes, are never stored.
    idempotency: {
      guard: deps.idempotency,
      accountOf: (request) => (routeConfigOf(request).scope === 'trade' ? request.principal?.accountId : undefined),
    },
    refuse: refuseInOpenAlgoWords,
  });

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
  await app.register(optionAnalyticsRoutes, routeDeps);
  await app.register(optionGreeksRoutes, routeDeps);
  await app.register(optionOrderRoutes, routeDeps);
  await app.register(gttRoutes, routeDeps);
  await app.register(marginRoutes, routeDeps);
  await app.register(calendarRoutes, routeDeps);
  await app.register(pnlRoutes, routeDeps);
  await app.register(portfolioRoutes, routeDeps);
  await app.register(chartRoutes, routeDeps);
  await app.register(sipRoutes, routeDeps);
  await app.register(notServedRoutes, routeDeps);
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

/** The `apikey` of the body, or else of the query string; undefined when neither has one. */
function presentedKey(request: FastifyRequest): unknown {
  const body = request.body as { apikey?: unknown } | undefined;
  const query = request.query as { apikey?: unknown } | undefined;
  return body?.apikey ?? query?.apikey;
}

/**
 * The identity of a presented key, with the analyzer switches brought up to date for it (the order path asks `isOn`
 * synchronously, so a switch another gateway changed must be in memory before the request goes on); OpenAlgo's words
 * for an invalid key otherwise.
 */
async function verifyKey(key: unknown, { verifier, analyzer }: OpenAlgoDeps): Promise<VerifiedApiKey | string> {
  const principal = typeof key === 'string' ? await verifier.verify(key) : undefined;
  if (!principal) return INVALID_API_KEY;
  await analyzer.refresh();
  return principal;
}

/** The identity of the request's key, for answers sent before the guard authenticated it (validation errors). */
async function authenticate(request: FastifyRequest, deps: OpenAlgoDeps): Promise<VerifiedApiKey | undefined> {
  const principal = await verifyKey(presentedKey(request), deps);
  return typeof principal === 'string' ? undefined : principal;
}

/** A refusal of the guard in OpenAlgo's envelope: 403 for any key problem, but 401 where OpenAlgo says so. */
function refuseInOpenAlgoWords(reply: FastifyReply, refusal: Refusal): FastifyReply {
  switch (refusal.reason) {
    case 'no-credentials': {
      const status = routeConfigOf(reply.request).missingKeyStatus;
      if (status) return reply.code(status).send(errorReply(status, 'API key is required').body);
      return reply.code(403).send(errorReply(403, INVALID_API_KEY).body);
    }
    case 'bad-credentials': {
      const status = routeConfigOf(reply.request).invalidKeyStatus ?? 403;
      return reply.code(status).send(errorReply(status, refusal.message).body);
    }
    case 'missing-scope':
      return reply.code(403).send(errorReply(403, refusal.message).body);
    case 'rate-limited':
      return reply.code(429).send(rateLimitedBody(refusal.retryAfterSeconds));
    case 'limit-store-down':
      return reply.code(503).send(errorReply(503, refusal.message).body);
    case 'idempotency':
      return reply.code(refusal.statusCode).send(errorReply(refusal.statusCode, refusal.message).body);
  }
}
