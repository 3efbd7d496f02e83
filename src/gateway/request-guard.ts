// The one request guard of every dialect: credentials → principal → scope → rate limit → idempotency, in that fixed
// order, each refusal handed to the dialect to render. A dialect supplies only its mapping (RequestGuardOptions).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RateLimitGroup } from './rate-limit-groups.js';
import type { ApiKeyScope } from '../store/store.js';
import type { IdempotencyGuard } from './idempotency.js';
import { RATE_LIMITED_MESSAGE, type RateDecision, type RateLimits } from './rate-limits.js';

/** What a guarded route declares in its `config`. */
export interface GuardRouteConfig {
  /** The scope the caller's principal must hold. */
  scope: ApiKeyScope;
  /** The rate-limit group the route counts against; `api` when absent. */
  group?: RateLimitGroup;
}

/** Any dialect's principal says which scopes it holds. */
export interface GuardedPrincipal {
  readonly scopes: readonly ApiKeyScope[];
}

/** Why the guard turned a request away. The dialect picks the status and envelope; `message` holds the shared words. */
export type Refusal =
  /** The request presents no credentials at all. */
  | { readonly reason: 'no-credentials' }
  /** The credentials are not valid; `message` is the dialect's own words from its `verify`. */
  | { readonly reason: 'bad-credentials'; readonly message: string }
  /** The principal lacks the route's scope (undefined: the route declares none, so no caller may use it). */
  | { readonly reason: 'missing-scope'; readonly scope: ApiKeyScope | undefined; readonly message: string }
  /** Over the group's budget; Retry-After and the RateLimit-* headers are already on the reply. */
  | { readonly reason: 'rate-limited'; readonly retryAfterSeconds: number; readonly message: string }
  /** The rate limit's store failed: refused rather than run unlimited; Retry-After is already on the reply. */
  | { readonly reason: 'limit-store-down'; readonly message: string }
  /** The Idempotency-Key is malformed (400) or was used for a different request (422). */
  | { readonly reason: 'idempotency'; readonly statusCode: number; readonly message: string };

/** A dialect's parts of the chain. */
export interface RequestGuardOptions<Credentials, Principal extends GuardedPrincipal> {
  /** The credentials the request presents, read from wherever the dialect carries them; undefined when none. */
  credentialsOf(request: FastifyRequest): Credentials | undefined;
  /** The principal the credentials stand for, or the dialect's words for why they are refused. Store failures reject. */
  verify(credentials: Credentials, request: FastifyRequest): Promise<Principal | string>;
  /** Keeps the principal on the request (the dialect's own decoration), once it holds the route's scope. */
  attach(request: FastifyRequest, principal: Principal): void;
  /** The key the principal's requests are counted under. */
  limitKeyOf(principal: Principal): string;
  rateLimits: RateLimits;
  /**
   * Idempotency-Key replays for the requests `accountOf` names an account for (undefined: not for this request);
   * absent, the dialect has none.
   */
  idempotency?: { guard: IdempotencyGuard; accountOf(request: FastifyRequest): string | undefined };
  /** Sends a refusal in the dialect's status and envelope. */
  refuse(reply: FastifyReply, refusal: Refusal): FastifyReply;
}

/**
 * Adds the guard's hooks to a dialect's plugin. Hooks the dialect added before run first: a preHandler that times
 * validation, and onSend hooks whose answer is the one the idempotency guard keeps.
 */
export function registerRequestGuard<Credentials, Principal extends GuardedPrincipal>(
  app: FastifyInstance,
  options: RequestGuardOptions<Credentials, Principal>,
): void {
  const { credentialsOf, verify, attach, limitKeyOf, rateLimits, idempotency, refuse } = options;

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const { scope, group = 'api' } = routeConfigOf(request);
    const credentials = credentialsOf(request);
    if (credentials === undefined) return refuse(reply, NO_CREDENTIALS);
    const principal = await verify(credentials, request);
    if (typeof principal === 'string') return refuse(reply, { reason: 'bad-credentials', message: principal });
    if (scope === undefined || !principal.scopes.includes(scope)) {
      return refuse(reply, { reason: 'missing-scope', scope, message: `This API key lacks the '${scope}' scope` });
    }
    attach(request, principal);

    // Counted per principal, after authentication: requests with bad credentials or a failed validation cost no
    // budget. Inline rather than through countRequest: one await fewer on every request.
    let decision: RateDecision;
    try {
      decision = await rateLimits.consume(group, limitKeyOf(principal));
    } catch (error) {
      return refuse(reply, limitStoreDown(reply, error));
    }
    const refusal = decisionRefusal(reply, decision);
    if (refusal) return refuse(reply, refusal);
    return undefined;
  });

  if (!idempotency) return;
  // After the rate limit (so a 429 is never stored), in a preHandler of its own, as the guard's hooks are made.
  const { guard, accountOf } = idempotency;
  app.addHook(
    'preHandler',
    guard.preHandler(accountOf, (reply, statusCode, message) => refuse(reply, { reason: 'idempotency', statusCode, message })),
  );
  app.addHook('onSend', guard.onSend);
  app.addHook('onResponse', guard.onResponse);
}

/**
 * Counts one request of `key` in `group` outside the guard (a login's budget per address): sets the RateLimit-*
 * headers, and Retry-After when refused; resolves with the refusal, or undefined when the request may go on.
 */
export async function countRequest(
  rateLimits: RateLimits,
  group: RateLimitGroup,
  key: string,
  reply: FastifyReply,
): Promise<Refusal | undefined> {
  let decision: RateDecision;
  try {
    decision = await rateLimits.consume(group, key);
  } catch (error) {
    return limitStoreDown(reply, error);
  }
  return decisionRefusal(reply, decision);
}

const NO_CREDENTIALS: Refusal = { reason: 'no-credentials' };
const LIMIT_STORE_DOWN_MESSAGE = 'Rate limit store unavailable; retry shortly';

// A route that declares no config gets an empty one, hence Partial: it declares no scope, so no caller may use it.
function routeConfigOf(request: FastifyRequest): Partial<GuardRouteConfig> {
  return request.routeOptions.config as unknown as Partial<GuardRouteConfig>;
}

/** The decision's headers on the reply; the refusal when it is over the budget. */
function decisionRefusal(reply: FastifyReply, decision: RateDecision): Refusal | undefined {
  reply.header('RateLimit-Limit', decision.limit);
  reply.header('RateLimit-Remaining', decision.remaining);
  reply.header('RateLimit-Reset', decision.resetSeconds);
  if (decision.allowed) return undefined;
  reply.header('Retry-After', decision.retryAfterSeconds);
  return { reason: 'rate-limited', retryAfterSeconds: decision.retryAfterSeconds, message: RATE_LIMITED_MESSAGE };
}

/** The store (Redis) is unreachable: logged, and answered as worth retrying in a second. */
function limitStoreDown(reply: FastifyReply, error: unknown): Refusal {
  reply.log.error({ err: error }, 'rate limit store failed');
  reply.header('Retry-After', 1);
  return { reason: 'limit-store-down', message: LIMIT_STORE_DOWN_MESSAGE };
}
