// Per-API-key request budgets of each route group (OpenAlgo's ORDER/SMART_ORDER/API/WEBHOOK_RATE_LIMIT), counted by
// rate-limiter-flexible in process memory or in Redis. A compound limit ("10 per second;40 per minute") must all allow.
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { RateLimit, RateLimitConfig } from '../config.js';
import { RATE_LIMIT_GROUPS, type RateLimitGroup } from './rate-limit-groups.js';
import { RateLimited } from '../domain/errors.js';

/** OpenAlgo's words for a request over its budget. */
export const RATE_LIMITED_MESSAGE = 'Rate limit exceeded. Please slow down your requests.';

/** The answer to one request; limit, remaining and reset describe the strictest of the group's limits. */
export interface RateDecision {
  allowed: boolean;
  /** Requests the strictest limit allows per window. */
  limit: number;
  remaining: number;
  /** Whole seconds (≥ 1) until that limit's window starts afresh. */
  resetSeconds: number;
  /** 0 when allowed; otherwise whole seconds (≥ 1) until every limit of the group allows again. */
  retryAfterSeconds: number;
}

export interface RateLimitsOptions {
  limits: RateLimitConfig;
  store: 'memory' | 'redis';
  redisUrl: string;
  /** Prefix of the Redis keys, `<prefix>:ratelimit:<group>:<window ms>:<key>`. */
  redisPrefix: string;
}

/** Memory counts or, for `redis`, a connected Redis client; throws when Redis cannot be reached. */
export async function createRateLimits(options: RateLimitsOptions): Promise<RateLimits> {
  if (options.store === 'memory') return new RateLimits(options.limits);
  const redis = new Redis(options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const limits = new RateLimits(
    options.limits,
    (opts) => new RateLimiterRedis({ ...opts, storeClient: redis, keyPrefix: `${options.redisPrefix}:${opts.keyPrefix}` }),
    async () => {
      await redis.quit();
    },
  );
  // A lost connection fails the requests that need it (answered 503, so nothing passes unlimited); the event is reported.
  redis.on('error', (error: Error) => limits.onStoreError(error));
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error(`the rate-limit store cannot reach Redis at ${options.redisUrl}`, { cause: error });
  }
  return limits;
}

type LimiterFactory = (opts: { points: number; duration: number; keyPrefix: string }) => RateLimiterAbstract;

interface Limiter {
  limit: RateLimit;
  counter: RateLimiterAbstract;
}

interface Outcome {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetMs: number;
}

export class RateLimits {
  private readonly groups: Record<RateLimitGroup, Limiter[]>;
  /** Where store connection errors go; app.ts points it at the server's log. */
  onStoreError: (error: Error) => void = (error) => process.stderr.write(`rate-limit store: ${error.message}\n`);

  constructor(
    limits: RateLimitConfig,
    makeLimiter: LimiterFactory = (opts) => new RateLimiterMemory(opts),
    private readonly closeStore: () => Promise<void> = async () => undefined,
    private readonly wait: (ms: number) => Promise<unknown> = sleep,
  ) {
    const limitersOf = (group: RateLimitGroup): Limiter[] =>
      limits[group].map((limit) => ({
        limit,
        counter: makeLimiter({
          points: limit.count,
          duration: limit.windowMs / 1000,
          keyPrefix: `ratelimit:${group}:${limit.windowMs}`,
        }),
      }));
    this.groups = Object.fromEntries(RATE_LIMIT_GROUPS.map((group) => [group, limitersOf(group)])) as Record<
      RateLimitGroup,
      Limiter[]
    >;
  }

  /** Counts one request of `key` (an API key id) in `group`; rejects only when the store fails. */
  async consume(group: RateLimitGroup, key: string): Promise<RateDecision> {
    const limiters = this.groups[group];
    // One limit per group is the usual configuration: no arrays, no Promise.all on every request.
    if (limiters.length === 1) return decisionOf(await consumeOne(limiters[0] as Limiter, key));
    const outcomes = await Promise.all(limiters.map((limiter) => consumeOne(limiter, key)));
    const blocked = outcomes.filter((outcome) => !outcome.allowed);
    // Blocked: the limit that frees up last; allowed: the one closest to running out.
    return decisionOf(
      blocked.length > 0
        ? blocked.reduce((a, b) => (b.resetMs > a.resetMs ? b : a))
        : outcomes.reduce((a, b) => (b.remaining < a.remaining || (b.remaining === a.remaining && b.resetMs > a.resetMs) ? b : a)),
    );
  }

  /**
   * Waits until every limit of the group allows one more request of `key`, then counts it: the pace of the orders a
   * single request places (split children, basket legs), so that they share the key's budget with its other requests.
   * A refused attempt is given back, so waiting costs no budget. Resolves with the milliseconds waited; throws
   * RateLimited, without waiting, when the budget would come back only after `maxWaitMs`, and when the store fails.
   */
  async acquire(group: RateLimitGroup, key: string, maxWaitMs: number): Promise<number> {
    const limiters = this.groups[group];
    let waited = 0;
    for (;;) {
      let outcomes: Outcome[];
      try {
        outcomes = await Promise.all(limiters.map((limiter) => consumeOne(limiter, key)));
      } catch (error) {
        this.onStoreError(error instanceof Error ? error : new Error(String(error)));
        throw new RateLimited('Rate limit store unavailable; retry shortly');
      }
      const blocked = outcomes.filter((outcome) => !outcome.allowed);
      if (blocked.length === 0) return waited;
      await Promise.all(limiters.map(({ counter }) => counter.reward(key, 1)));
      const wait = Math.max(1, ...blocked.map((outcome) => outcome.resetMs));
      if (waited + wait > maxWaitMs) throw new RateLimited(RATE_LIMITED_MESSAGE);
      await this.wait(wait);
      waited += wait;
    }
  }

  async close(): Promise<void> {
    await this.closeStore();
  }
}

/** The decision of the strictest limit's outcome: a blocked one when any limit blocked. */
function decisionOf(strictest: Outcome): RateDecision {
  const resetSeconds = Math.max(1, Math.ceil(strictest.resetMs / 1000));
  return {
    allowed: strictest.allowed,
    limit: strictest.limit,
    remaining: strictest.remaining,
    resetSeconds,
    retryAfterSeconds: strictest.allowed ? 0 : resetSeconds,
  };
}

async function consumeOne({ limit, counter }: Limiter, key: string): Promise<Outcome> {
  let res: RateLimiterRes;
  let allowed = true;
  try {
    res = await counter.consume(key);
  } catch (rejection) {
    // rate-limiter-flexible rejects with a RateLimiterRes when over the limit, with an Error when the store fails.
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    res = rejection;
    allowed = false;
  }
  return { allowed, limit: limit.count, remaining: res.remainingPoints, resetMs: res.msBeforeNext };
}
