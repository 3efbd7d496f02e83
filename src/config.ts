// Configuration from environment variables, validated once at start with messages that name the variable.
import os from 'node:os';
import path from 'node:path';
import { FaultSpecError, injectsFaults, parseFaultSpec } from './brokers/fault-spec.js';
import { RATE_LIMIT_GROUPS, type RateLimitGroup } from './gateway/rate-limit-groups.js';

export interface Config {
  host: string;
  port: number;
  /** Folder holding the SQLite database and the key pepper. */
  dataDir: string;
  /** Seed of the simulated market: same seed and same requests give the same fills. */
  seed: number;
  /** How often the paper exchange matches working orders against the moving market, in ms. */
  tickMs: number;
  /** Backtests: worker threads, how long one run or sweep may take, each worker's heap limit. */
  backtest: { workers: number; timeLimitMs: number; memoryLimitMb: number };
  /** `walk`: prices move (default); `frozen`: prices stay at their reference until set, for reproducible runs. */
  market: 'walk' | 'frozen';
  /** Cash of each new paper account, in rupees. */
  startingCash: string;
  /** Its US-dollar wallet, for the instruments priced in USD (the CRYPTO perpetuals). */
  startingCashUsd: string;
  /** Key to use for the first API key instead of a random one (64 hex), so automation can know it. */
  bootstrapApiKey?: string;
  logLevel: string;
  /** `always-open` (default): the paper exchange trades around the clock; `exchange-hours`: real hours and MIS square-off. */
  sessions: 'always-open' | 'exchange-hours';
  /** WEBSOCKET_PORT: also serve the WebSocket stream on this port (OpenAlgo's SDKs default to 8765); off when unset. */
  websocketPort?: number;
  /** Per-API-key request limits of each v1 route group; ORDER_RATE_LIMIT also paces split-order children. */
  rateLimits: RateLimitConfig;
  /** ORDERGATE_RATE_LIMIT_STORE: where the counts live; `redis` shares them between processes. */
  rateLimitStore: 'memory' | 'redis';
  /** REDIS_URL: the Redis of the `redis` rate-limit store. */
  redisUrl: string;
  /** ORDERGATE_REDIS_PREFIX: prefix of every key Ordergate writes to Redis, so several gateways can share one. */
  redisPrefix: string;
  /** ORDERGATE_ADMIN_PASSWORD: the password given to the `admin` user when it has none (otherwise one is generated). */
  adminPassword?: string;
  /** ORDERGATE_ACCESS_TOKEN_TTL: lifetime of admin API access tokens, in seconds (at most 1800). */
  accessTokenTtlSeconds: number;
  /** ORDERGATE_REFRESH_TOKEN_TTL: lifetime of each refresh token, in seconds; every refresh issues a new one. */
  refreshTokenTtlSeconds: number;
  /** ORDERGATE_TRAFFIC_RETENTION_DAYS: how long the traffic log keeps a request. */
  trafficRetentionDays: number;
  /**
   * ORDERGATE_QUOTE_CACHE_MS: how long a broker's quote or depth of an instrument is reused (0: never), so polling
   * clients cannot flood a broker; within it, concurrent requests for one instrument share one broker call.
   */
  quoteCacheMs: number;
  /**
   * ORDERGATE_REQUEST_TIMEOUT_MS: how long a client may take to send one whole request, headers and body, from its
   * first byte (slow-header and slow-body attacks); answered 408 and closed after it, within a second.
   */
  requestTimeoutMs: number;
  /** OpenAlgo's CORS_* variables: which browser origins may call the API. */
  cors: CorsConfig;
  /** Timeouts, retries and the circuit breaker around every broker connection. */
  brokerResilience: BrokerResilienceConfig;
  /**
   * ORDERGATE_DURABILITY: how order events reach the disk before a client is answered. `group` (default): the events
   * of every request in one event-loop turn share one transaction and one fsync; `each`: one transaction and fsync
   * per request; `relaxed`: grouped, and fsynced only at WAL checkpoints (survives a process crash, not a power loss).
   */
  durability: Durability;
  /**
   * DATABASE_URL: `postgres://user@host:port/database` keeps everything in that PostgreSQL database (several gateways
   * may share it); unset, the embedded SQLite files in the data folder.
   */
  databaseUrl?: string;
  /**
   * ORDERGATE_PAPER_FAULTS: faults the paper broker starts with (brokers/fault-spec.ts), checked here; '' for none.
   * `ordergate faults` changes them while the gateway runs.
   */
  paperFaults: string;
  /**
   * ORDERGATE_CREDENTIALS_KEY: 64 hex characters, the key that seals broker credentials, for gateways that share a
   * database but no data folder; unset, a key derived from the data folder's pepper.
   */
  credentialsKey?: string;
}

export type Durability = 'group' | 'each' | 'relaxed';

/** How each broker connection is guarded (`brokers/resilient-broker.ts`). */
export interface BrokerResilienceConfig {
  /** ORDERGATE_BROKER_TIMEOUT_MS: limit of each order call (place, modify, cancel), and of reads unless set apart. */
  writeTimeoutMs: number;
  /** ORDERGATE_BROKER_READ_TIMEOUT_MS: limit of each read attempt; ORDERGATE_BROKER_TIMEOUT_MS when unset. */
  readTimeoutMs: number;
  /** ORDERGATE_BROKER_RETRIES: further attempts of a failed read. */
  retries: number;
  /** ORDERGATE_BROKER_BACKOFF_MS: ceiling of the first retry's jittered delay; doubled for each further one. */
  backoffMs: number;
  /** ORDERGATE_BREAKER_THRESHOLD: consecutive failed calls that open a connection's circuit. */
  breakerThreshold: number;
  /** ORDERGATE_BREAKER_RESET_MS: how long an open circuit fails calls fast before it lets a probe through. */
  breakerResetMs: number;
}

/** Cross-origin access for browser clients; off unless CORS_ENABLED, and then only for the listed origins. */
export interface CorsConfig {
  enabled: boolean;
  /** CORS_ALLOWED_ORIGINS: exact origins (`https://app.example.com`), comma-separated. */
  allowedOrigins: string[];
  /** CORS_ALLOWED_METHODS. */
  allowedMethods: string[];
  /** CORS_ALLOWED_HEADERS. */
  allowedHeaders: string[];
  /** CORS_EXPOSED_HEADERS: response headers a page may read. */
  exposedHeaders: string[];
  /** CORS_ALLOW_CREDENTIALS. */
  allowCredentials: boolean;
  /** CORS_MAX_AGE: seconds a browser may cache a preflight answer. */
  maxAgeSeconds: number;
}

/** `count` requests per `windowMs`. */
export interface RateLimit {
  count: number;
  windowMs: number;
}

/** OpenAlgo's rate-limit buckets (§7): every limit of a group's compound setting is kept. */
export interface RateLimitConfig {
  /** ORDER_RATE_LIMIT: placeorder, modifyorder, cancelorder. */
  order: RateLimit[];
  /** SMART_ORDER_RATE_LIMIT: placesmartorder. */
  smartOrder: RateLimit[];
  /** API_RATE_LIMIT: every other v1 endpoint. */
  api: RateLimit[];
  /** GREEKS_RATE_LIMIT: optiongreeks and multioptiongreeks. */
  greeks: RateLimit[];
  /** MARGIN_RATE_LIMIT: margin. */
  margin: RateLimit[];
  /** WEBHOOK_RATE_LIMIT: strategy webhooks. */
  webhook: RateLimit[];
  /** LOGIN_RATE_LIMIT_MIN and LOGIN_RATE_LIMIT_HOUR (both hold): POST /api/auth/login, per IP and per username. */
  login: RateLimit[];
}

const RATE_LIMIT_DEFAULTS: Record<RateLimitGroup, Array<[variable: string, fallback: string]>> = {
  order: [['ORDER_RATE_LIMIT', '10 per second']],
  smartOrder: [['SMART_ORDER_RATE_LIMIT', '10 per second']],
  api: [['API_RATE_LIMIT', '50 per second']],
  greeks: [['GREEKS_RATE_LIMIT', '30 per minute']],
  margin: [['MARGIN_RATE_LIMIT', '50 per second']],
  webhook: [['WEBHOOK_RATE_LIMIT', '100 per minute']],
  login: [
    ['LOGIN_RATE_LIMIT_MIN', '5 per minute'],
    ['LOGIN_RATE_LIMIT_HOUR', '25 per hour'],
  ],
};

const WINDOW_MS: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/**
 * Parses Flask-Limiter syntax: `N per [M] second|minute|hour|day` (or `N/second`), several joined by `;`, `,` or
 * `|` (`"10 per second;40 per minute"`). Every limit is kept; throws ConfigError naming `name` otherwise.
 */
export function parseRateLimits(text: string, name: string): RateLimit[] {
  const limits = text.split(/[;,|]/).map((part) => part.trim()).filter(Boolean).map((part) => {
    const match = /^(\d+)\s*(?:per\s+|\/\s*)(?:(\d+)\s*)?(second|minute|hour|day)s?$/i.exec(part);
    if (!match) throw new ConfigError(`${name} must look like "10 per second" or "100 per minute" (got "${text}")`);
    const count = Number(match[1]);
    const windows = Number(match[2] ?? 1);
    if (!Number.isSafeInteger(count) || count < 1 || !Number.isSafeInteger(windows) || windows < 1) {
      throw new ConfigError(`${name} must allow at least 1 request per at least 1 ${match[3]} (got "${text}")`);
    }
    const windowMs = windows * WINDOW_MS[match[3]!.toLowerCase()]!;
    if (windowMs > WINDOW_MS.day!) throw new ConfigError(`${name} windows may last at most a day (got "${text}")`);
    return { count, windowMs };
  });
  if (limits.length === 0) throw new ConfigError(`${name} is empty`);
  return limits;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const bootstrapApiKey = env.ORDERGATE_BOOTSTRAP_API_KEY?.trim();
  if (bootstrapApiKey && !/^[0-9a-fA-F]{64}$/.test(bootstrapApiKey)) {
    throw new ConfigError('ORDERGATE_BOOTSTRAP_API_KEY must be 64 hexadecimal characters');
  }
  const market = env.ORDERGATE_MARKET ?? 'walk';
  if (market !== 'walk' && market !== 'frozen') throw new ConfigError('ORDERGATE_MARKET must be "walk" or "frozen"');
  const sessions = env.ORDERGATE_SESSIONS ?? 'always-open';
  if (sessions !== 'always-open' && sessions !== 'exchange-hours') {
    throw new ConfigError('ORDERGATE_SESSIONS must be "always-open" or "exchange-hours"');
  }
  const startingCash = env.ORDERGATE_STARTING_CASH ?? '10000000';
  if (!/^\d+(\.\d{1,2})?$/.test(startingCash)) {
    throw new ConfigError('ORDERGATE_STARTING_CASH must be an amount in rupees, e.g. 10000000 or 250000.50');
  }
  const startingCashUsd = env.ORDERGATE_STARTING_CASH_USD ?? '100000';
  if (!/^\d+(\.\d{1,2})?$/.test(startingCashUsd)) {
    throw new ConfigError('ORDERGATE_STARTING_CASH_USD must be an amount in US dollars, e.g. 100000 or 2500.50');
  }
  const durability = env.ORDERGATE_DURABILITY || 'group';
  if (durability !== 'group' && durability !== 'each' && durability !== 'relaxed') {
    throw new ConfigError('ORDERGATE_DURABILITY must be "group", "each" or "relaxed"');
  }
  const rateLimitStore = env.ORDERGATE_RATE_LIMIT_STORE || 'memory';
  if (rateLimitStore !== 'memory' && rateLimitStore !== 'redis') {
    throw new ConfigError('ORDERGATE_RATE_LIMIT_STORE must be "memory" or "redis"');
  }
  return {
    host: env.HOST ?? '127.0.0.1',
    port: integer(env, 'PORT', 5000, 0, 65535),
    dataDir: path.resolve(cwd, env.ORDERGATE_DATA_DIR ?? 'data'),
    seed: integer(env, 'ORDERGATE_SEED', 20_260_101, 0, 2 ** 31 - 1),
    tickMs: integer(env, 'ORDERGATE_TICK_MS', 1000, 10, 60_000),
    backtest: {
      workers: integer(env, 'ORDERGATE_BACKTEST_WORKERS', os.availableParallelism(), 1, 256),
      timeLimitMs: integer(env, 'ORDERGATE_BACKTEST_TIMEOUT_MS', 60_000, 100, 3_600_000),
      memoryLimitMb: integer(env, 'ORDERGATE_BACKTEST_MEMORY_MB', 512, 32, 65_536),
    },
    market,
    sessions,
    startingCash,
    startingCashUsd,
    bootstrapApiKey: bootstrapApiKey ? bootstrapApiKey.toLowerCase() : undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    websocketPort: env.WEBSOCKET_PORT ? integer(env, 'WEBSOCKET_PORT', 8765, 0, 65535) : undefined,
    rateLimits: rateLimitsOf(env),
    rateLimitStore,
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
    redisPrefix: env.ORDERGATE_REDIS_PREFIX || 'ordergate',
    adminPassword: adminPasswordOf(env),
    accessTokenTtlSeconds: integer(env, 'ORDERGATE_ACCESS_TOKEN_TTL', 900, 30, 1800),
    refreshTokenTtlSeconds: integer(env, 'ORDERGATE_REFRESH_TOKEN_TTL', 7 * 86_400, 60, 90 * 86_400),
    trafficRetentionDays: integer(env, 'ORDERGATE_TRAFFIC_RETENTION_DAYS', 7, 1, 3650),
    quoteCacheMs: integer(env, 'ORDERGATE_QUOTE_CACHE_MS', 5, 0, 1000),
    requestTimeoutMs: integer(env, 'ORDERGATE_REQUEST_TIMEOUT_MS', 30_000, 1000, 300_000),
    cors: corsOf(env),
    brokerResilience: brokerResilienceOf(env),
    durability,
    databaseUrl: databaseUrlOf(env),
    paperFaults: paperFaultsOf(env),
    credentialsKey: credentialsKeyOf(env),
  };
}

function credentialsKeyOf(env: Env): string | undefined {
  const key = env.ORDERGATE_CREDENTIALS_KEY?.trim();
  if (!key) return undefined;
  if (!/^[0-9a-fA-F]{64}$/.test(key)) {
    throw new ConfigError('ORDERGATE_CREDENTIALS_KEY must be 64 hexadecimal characters (32 random bytes, e.g. from `openssl rand -hex 32`)');
  }
  return key.toLowerCase();
}

function databaseUrlOf(env: Env): string | undefined {
  const url = env.DATABASE_URL;
  if (!url) return undefined;
  if (!/^postgres(ql)?:\/\/[^\s]+$/i.test(url)) {
    throw new ConfigError('DATABASE_URL must be a PostgreSQL URL, e.g. postgres://ordergate@127.0.0.1:5432/ordergate (unset: the embedded SQLite)');
  }
  return url;
}

function paperFaultsOf(env: Env): string {
  const text = env.ORDERGATE_PAPER_FAULTS?.trim() ?? '';
  try {
    return injectsFaults(parseFaultSpec(text)) ? text : '';
  } catch (error) {
    if (error instanceof FaultSpecError) throw new ConfigError(`ORDERGATE_PAPER_FAULTS: ${error.message}`);
    throw error;
  }
}

function brokerResilienceOf(env: Env): BrokerResilienceConfig {
  const writeTimeoutMs = integer(env, 'ORDERGATE_BROKER_TIMEOUT_MS', 5000, 10, 120_000);
  return {
    writeTimeoutMs,
    readTimeoutMs: integer(env, 'ORDERGATE_BROKER_READ_TIMEOUT_MS', writeTimeoutMs, 10, 120_000),
    retries: integer(env, 'ORDERGATE_BROKER_RETRIES', 2, 0, 10),
    backoffMs: integer(env, 'ORDERGATE_BROKER_BACKOFF_MS', 100, 0, 10_000),
    breakerThreshold: integer(env, 'ORDERGATE_BREAKER_THRESHOLD', 5, 1, 1000),
    breakerResetMs: integer(env, 'ORDERGATE_BREAKER_RESET_MS', 10_000, 100, 600_000),
  };
}

function rateLimitsOf(env: Env): RateLimitConfig {
  const limitsOf = (group: RateLimitGroup) =>
    RATE_LIMIT_DEFAULTS[group].flatMap(([variable, fallback]) => parseRateLimits(env[variable] || fallback, variable));
  return Object.fromEntries(RATE_LIMIT_GROUPS.map((group) => [group, limitsOf(group)])) as unknown as RateLimitConfig;
}

/** Defaults of the CORS lists; there is no default origin (CORS stays off until origins are listed). */
const CORS_DEFAULTS = {
  methods: 'GET,POST,PUT,PATCH,DELETE',
  headers: 'Content-Type,Authorization,X-API-KEY,Idempotency-Key,X-Request-Id',
  exposed: 'X-Request-Id,Retry-After,RateLimit-Limit,RateLimit-Remaining,RateLimit-Reset',
};

function corsOf(env: Env): CorsConfig {
  const list = (name: string, fallback: string) =>
    (env[name] || fallback).split(',').map((item) => item.trim()).filter(Boolean);
  const allowedOrigins = list('CORS_ALLOWED_ORIGINS', '');
  for (const origin of allowedOrigins) {
    if (origin === '*') throw new ConfigError('CORS_ALLOWED_ORIGINS lists exact origins; "*" is not accepted');
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw new ConfigError(`CORS_ALLOWED_ORIGINS holds "${origin}", which is not an origin like https://app.example.com`);
    }
    if (parsed.origin !== origin) {
      throw new ConfigError(`CORS_ALLOWED_ORIGINS holds "${origin}"; write the origin alone, as ${parsed.origin}`);
    }
  }
  const enabled = flag(env, 'CORS_ENABLED', false);
  if (enabled && allowedOrigins.length === 0) {
    throw new ConfigError('CORS_ENABLED is true but CORS_ALLOWED_ORIGINS lists no origin');
  }
  return {
    enabled,
    allowedOrigins,
    allowedMethods: list('CORS_ALLOWED_METHODS', CORS_DEFAULTS.methods).map((method) => method.toUpperCase()),
    allowedHeaders: list('CORS_ALLOWED_HEADERS', CORS_DEFAULTS.headers),
    exposedHeaders: list('CORS_EXPOSED_HEADERS', CORS_DEFAULTS.exposed),
    allowCredentials: flag(env, 'CORS_ALLOW_CREDENTIALS', false),
    maxAgeSeconds: integer(env, 'CORS_MAX_AGE', 86_400, 0, 7 * 86_400),
  };
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false (got "${env[name]}")`);
}

function adminPasswordOf(env: Env): string | undefined {
  const password = env.ORDERGATE_ADMIN_PASSWORD;
  if (password === undefined || password === '') return undefined;
  if (password.length < 8 || password.length > 256) {
    throw new ConfigError('ORDERGATE_ADMIN_PASSWORD must be 8 to 256 characters long');
  }
  return password;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
  }
  return value;
}
