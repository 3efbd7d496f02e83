// What an admin route is given and may call: the native API's dependencies, and a rate limit counted in its envelope
// (the guard's refusals as AdminErrors, which plugin.ts shares). Apart from plugin.ts, so routes need not import it.
import type { FastifyReply } from 'fastify';
import type { Clock } from '../../domain/clock.js';
import type { AnalyzerMode } from '../../gateway/analyzer-mode.js';
import type { ApiKeyIssuer, ApiKeyVerifier } from '../../gateway/api-keys.js';
import type { AuthTokens } from '../../gateway/auth-tokens.js';
import type { CredentialBox } from '../../gateway/credential-box.js';
import type { LatencyMonitor } from '../../gateway/latency-monitor.js';
import type { RateLimitGroup } from '../../gateway/rate-limit-groups.js';
import { RATE_LIMITED_MESSAGE, type RateLimits } from '../../gateway/rate-limits.js';
import { type Refusal, countRequest } from '../../gateway/request-guard.js';
import type { AccountRepository, ApiKeyRepository, BrokerConnectionRepository, TrafficLogRepository, UserRepository } from '../../store/store.js';
import { AdminError, codeOfStatus } from './errors.js';

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
  /** The users' broker connections, whose API keys `credentials` seals before they are stored. */
  brokerConnections: BrokerConnectionRepository;
  credentials: CredentialBox;
}

/**
 * Counts one request against `key` in `group`; throws the 429 (with Retry-After and RateLimit-* headers) when over,
 * the 503 when the limit's store is down.
 */
export async function enforceRateLimit(rateLimits: RateLimits, group: RateLimitGroup, key: string, reply: FastifyReply): Promise<void> {
  const refusal = await countRequest(rateLimits, group, key, reply);
  if (refusal) throw adminErrorOf(refusal);
}

/** A 429 of the native API: its body also says, in `retry_after`, how many seconds to wait. */
export class RateLimitedError extends AdminError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', RATE_LIMITED_MESSAGE);
  }
}

/** A refusal of the request guard as the error the native envelope renders. */
export function adminErrorOf(refusal: Refusal): AdminError {
  switch (refusal.reason) {
    case 'no-credentials':
      return new AdminError(
        'unauthorized',
        'Log in at POST /api/auth/login and send "Authorization: Bearer <access token>", or send an admin-scope X-API-KEY',
      );
    case 'bad-credentials':
      return new AdminError('unauthorized', refusal.message);
    case 'missing-scope':
      return new AdminError('forbidden', refusal.message);
    case 'rate-limited':
      return new RateLimitedError(refusal.retryAfterSeconds);
    case 'limit-store-down':
      return new AdminError('unavailable', refusal.message);
    case 'idempotency':
      return new AdminError(codeOfStatus(refusal.statusCode), refusal.message);
  }
}
