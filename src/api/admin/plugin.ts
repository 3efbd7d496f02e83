// The native API: `/api/auth` (login, refresh, logout) and `/api/admin` (resource-oriented management of the caller's
// accounts, keys, logs and monitors), authenticated by a JWT access token or an admin-scope API key, in one envelope.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AnalyzerMode } from '../../gateway/analyzer-mode.js';
import type { ApiKeyIssuer, ApiKeyVerifier } from '../../gateway/api-keys.js';
import { AuthFailure, type AuthTokens } from '../../gateway/auth-tokens.js';
import type { RateLimitGroup } from '../../config.js';
import { RATE_LIMITED_MESSAGE, type RateLimits } from '../../gateway/rate-limits.js';
import type { LatencyMonitor } from '../../gateway/latency-monitor.js';
import type { Clock } from '../../domain/clock.js';
import { StoreUnavailable } from '../../domain/errors.js';
import type { AccountRepository, ApiKeyRepository, TrafficLogRepository, UserRepository } from '../../store/store.js';
import { AdminError, adminErrorBody, codeOfStatus } from './errors.js';
import type { AdminPrincipal } from './principal.js';
import { accountRoutes } from './routes/accounts.js';
import { analyzerRoutes } from './routes/analyzer.js';
import { authRoutes } from './routes/auth.js';
import { keyRoutes } from './routes/keys.js';
import { latencyRoutes } from './routes/latency.js';
import { meRoutes } from './routes/me.js';
import { trafficRoutes } from './routes/traffic.js';

export interface AdminDeps {
  auth: AuthTokens;
  verifier: ApiKeyVerifier;
  keys: ApiKeyIssuer;
  users: UserRepository;
  accounts: AccountRepository;
  apiKeys: ApiKeyRepository;
  analyzer: AnalyzerMode;
  rateLimits: RateLimits;
  /** Latency of the order calls: system-wide figures with no account data, for any caller. */
  latency: LatencyMonitor;
  /** The traffic log, as written by the gateway's TrafficLog. */
  traffic: TrafficLogRepository;
  /** Now, for windows that end at the present. */
  clock: Clock;
}

/** `/api/auth`: no authentication of its own; login is rate limited per IP and per username. */
export async function authApi(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  app.setErrorHandler(renderAdminError);
  await app.register(authRoutes, pick(deps));
}

/** `/api/admin`: every route needs a caller. */
export async function adminApi(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  app.decorateRequest('adminPrincipal', null);
  app.setErrorHandler(renderAdminError);
  // Every route here takes either credential; the OpenAPI document says so once for all.
  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, security: [{ bearer: [] }, { adminKey: [] }] };
  });
  app.addHook('preHandler', async (request, reply) => {
    const principal = await authenticate(request, deps);
    request.adminPrincipal = principal;
    await enforceRateLimit(deps.rateLimits, 'api', principal.keyId ?? `user:${principal.userId}`, reply);
  });

  const routeDeps = pick(deps);
  await app.register(meRoutes, routeDeps);
  await app.register(accountRoutes, routeDeps);
  await app.register(keyRoutes, routeDeps);
  await app.register(trafficRoutes, routeDeps);
  await app.register(analyzerRoutes, routeDeps);
  await app.register(latencyRoutes, { latency: deps.latency });
}

/**
 * Counts one request against `key` in `group`; throws the 429 (with Retry-After and RateLimit-* headers) when over,
 * the 503 when the limit's store is down.
 */
export async function enforceRateLimit(rateLimits: RateLimits, group: RateLimitGroup, key: string, reply: FastifyReply): Promise<void> {
  let decision;
  try {
    decision = await rateLimits.consume(group, key);
  } catch (error) {
    reply.log.error({ err: error }, 'rate limit store failed');
    reply.header('Retry-After', 1);
    throw new AdminError('unavailable', 'Rate limit store unavailable; retry shortly');
  }
  reply.header('RateLimit-Limit', decision.limit);
  reply.header('RateLimit-Remaining', decision.remaining);
  reply.header('RateLimit-Reset', decision.resetSeconds);
  if (!decision.allowed) {
    reply.header('Retry-After', decision.retryAfterSeconds);
    throw new RateLimitedError(decision.retryAfterSeconds);
  }
}

class RateLimitedError extends AdminError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', RATE_LIMITED_MESSAGE);
  }
}

async function authenticate(request: FastifyRequest, deps: AdminDeps): Promise<AdminPrincipal> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1]) throw unauthorized('Authorization must be "Bearer <access token>"');
    try {
      const identity = await deps.auth.verifyAccess(match[1]);
      return { userId: identity.userId, via: 'token', sessionId: identity.sessionId, keyId: null, boundAccountId: null };
    } catch (error) {
      if (error instanceof AuthFailure) throw unauthorized(error.message);
      throw error;
    }
  }
  const key = request.headers['x-api-key'];
  if (typeof key === 'string') {
    const verified = await deps.verifier.verify(key);
    const account = verified && (await deps.accounts.findById(verified.accountId));
    if (!verified || !account) throw unauthorized('Invalid API key');
    if (!verified.scopes.includes('admin')) throw new AdminError('forbidden', "This API key lacks the 'admin' scope");
    return { userId: account.userId, via: 'key', sessionId: null, keyId: verified.keyId, boundAccountId: account.id };
  }
  throw unauthorized('Log in at POST /api/auth/login and send "Authorization: Bearer <access token>", or send an admin-scope X-API-KEY');
}

function unauthorized(message: string): AdminError {
  return new AdminError('unauthorized', message);
}

function renderAdminError(error: FastifyError | AdminError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof AdminError) {
    if (error.code === 'unauthorized') reply.header('WWW-Authenticate', 'Bearer realm="ordergate"');
    const body = adminErrorBody(error.code, error.message);
    return reply.code(error.statusCode).send(error instanceof RateLimitedError ? { ...body, retry_after: error.retryAfterSeconds } : body);
  }
  if (error.validation) {
    return reply.code(400).send(adminErrorBody('invalid_request', error.message));
  }
  // The database did not answer: worth retrying, like a 503 of the v1 API.
  if (error instanceof StoreUnavailable) {
    return reply.code(503).header('Retry-After', error.retryAfterSeconds).send(adminErrorBody('unavailable', error.message));
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return reply.code(status).send(adminErrorBody(codeOfStatus(status), error.message));
  request.log.error({ err: error }, 'unexpected error in the admin API');
  return reply.code(500).send(adminErrorBody('internal', 'An unexpected error occurred'));
}

// Only the dependencies: the options Fastify hands a plugin also carry its prefix.
function pick(deps: AdminDeps): AdminDeps {
  const { auth, verifier, keys, users, accounts, apiKeys, analyzer, rateLimits, latency, traffic, clock } = deps;
  return { auth, verifier, keys, users, accounts, apiKeys, analyzer, rateLimits, latency, traffic, clock };
}
