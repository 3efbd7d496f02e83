// The native API: `/api/auth` (login, refresh, logout) and `/api/admin` (resource-oriented management of the caller's
// accounts, keys, logs and monitors), authenticated by a JWT access token or an admin-scope API key, in one envelope.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type GuardRouteConfig, registerRequestGuard } from '../../gateway/request-guard.js';
import { StoreUnavailable } from '../../domain/errors.js';
import { type AdminDeps, RateLimitedError, adminErrorOf } from './admin-context.js';
import { AdminError, adminErrorBody, codeOfStatus } from './errors.js';
import { adminCredentialsOf, verifyAdminCredentials } from './principal.js';
import { accountRoutes } from './routes/accounts.js';
import { analyzerRoutes } from './routes/analyzer.js';
import { authRoutes } from './routes/auth.js';
import { brokerRoutes } from './routes/brokers.js';
import { keyRoutes } from './routes/keys.js';
import { latencyRoutes } from './routes/latency.js';
import { meRoutes } from './routes/me.js';
import { trafficRoutes } from './routes/traffic.js';

const ADMIN_ROUTE: GuardRouteConfig = { scope: 'admin' };

/** `/api/auth`: no authentication of its own; login is rate limited per IP and per username. */
export async function authApi(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  app.setErrorHandler(renderAdminError);
  await app.register(authRoutes, pick(deps));
}

/** `/api/admin`: every route needs a caller. */
export async function adminApi(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  guardNativeRoutes(app, deps, renderAdminError);

  const routeDeps = pick(deps);
  await app.register(meRoutes, routeDeps);
  await app.register(accountRoutes, routeDeps);
  await app.register(keyRoutes, routeDeps);
  await app.register(trafficRoutes, routeDeps);
  await app.register(analyzerRoutes, routeDeps);
  await app.register(brokerRoutes, routeDeps);
  await app.register(latencyRoutes, { latency: deps.latency });
}

/**
 * Every route registered on `app` after this takes either credential (a JWT access token or an admin-scope API key)
 * and needs the `admin` scope; the OpenAPI document and the guard are told so once for all. `render` answers errors
 * (the guard's refusals among them) in the native envelope.
 */
export function guardNativeRoutes(
  app: FastifyInstance,
  deps: AdminDeps,
  render: (error: FastifyError | AdminError, request: FastifyRequest, reply: FastifyReply) => FastifyReply,
): void {
  app.decorateRequest('adminPrincipal', null);
  app.setErrorHandler(render);
  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, security: [{ bearer: [] }, { adminKey: [] }] };
    route.config = { ...route.config, ...ADMIN_ROUTE };
  });
  registerRequestGuard(app, {
    credentialsOf: adminCredentialsOf,
    verify: (credentials) => verifyAdminCredentials(credentials, deps),
    attach: (request, principal) => {
      request.adminPrincipal = principal;
    },
    limitKeyOf: (principal) => principal.keyId ?? `user:${principal.userId}`,
    rateLimits: deps.rateLimits,
    refuse: (reply, refusal) => render(adminErrorOf(refusal), reply.request, reply),
  });
}

/** Renders errors of the native API; `validationStatus` is what a request its schema refuses gets (400, or 422). */
export function nativeErrorRenderer(validationStatus: 400 | 422) {
  return (error: FastifyError | AdminError, request: FastifyRequest, reply: FastifyReply): FastifyReply =>
    renderNativeError(error, request, reply, validationStatus);
}

const renderAdminError = nativeErrorRenderer(400);

function renderNativeError(error: FastifyError | AdminError, request: FastifyRequest, reply: FastifyReply, validationStatus: 400 | 422): FastifyReply {
  if (error instanceof AdminError) {
    if (error.code === 'unauthorized') reply.header('WWW-Authenticate', 'Bearer realm="ordergate"');
    const body = adminErrorBody(error.code, error.message);
    return reply.code(error.statusCode).send(error instanceof RateLimitedError ? { ...body, retry_after: error.retryAfterSeconds } : body);
  }
  if (error.validation) {
    return reply.code(validationStatus).send(adminErrorBody(validationStatus === 422 ? 'unprocessable' : 'invalid_request', error.message));
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
  const { auth, verifier, keys, users, accounts, apiKeys, analyzer, rateLimits, latency, traffic, clock, brokerConnections, credentials } = deps;
  return { auth, verifier, keys, users, accounts, apiKeys, analyzer, rateLimits, latency, traffic, clock, brokerConnections, credentials };
}
