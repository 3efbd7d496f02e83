// Configuration from environment variables, validated once at start with messages that name the variable.
import path from 'node:path';

export interface Config {
  host: string;
  port: number;
  /** Folder holding the SQLite database and the key pepper. */
  dataDir: string;
  /** Seed of the simulated market: same seed and same requests give the same fills. */
  seed: number;
  /** How often the paper exchange matches working orders against the moving market, in ms. */
  tickMs: number;
  /** `walk`: prices move (default); `frozen`: prices stay at their reference until set, for reproducible runs. */
  market: 'walk' | 'frozen';
  /** Cash of each new paper account, in rupees. */
  startingCash: string;
  /** Key to use for the first API key instead of a random one (64 hex), so automation can know it. */
  bootstrapApiKey?: string;
  logLevel: string;
  /** `always-open` (default): the paper exchange trades around the clock; `exchange-hours`: real hours and MIS square-off. */
  sessions: 'always-open' | 'exchange-hours';
  /** WEBSOCKET_PORT: also serve the WebSocket stream on this port (OpenAlgo's SDKs default to 8765); off when unset. */
  websocketPort?: number;
  /** OpenAlgo's ORDER_RATE_LIMIT (e.g. "10 per second"): the pace of split-order children. */
  orderRateLimit: RateLimit;
}

/** `count` requests per `windowMs`; several limits (`"10 per second;40 per minute"`) keep the strictest pace. */
export interface RateLimit {
  count: number;
  windowMs: number;
}

const WINDOW_MS: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** Parses Flask-Limiter syntax: `N per second|minute|hour|day` (or `N/second`), several joined by `;`. */
export function parseRateLimit(text: string, name: string): RateLimit {
  let strictest: RateLimit | undefined;
  for (const part of text.split(';').map((p) => p.trim()).filter(Boolean)) {
    const match = /^(\d+)\s*(?:per|\/)\s*(second|minute|hour|day)s?$/i.exec(part);
    if (!match) throw new ConfigError(`${name} must look like "10 per second" or "100 per minute" (got "${text}")`);
    const limit = { count: Number(match[1]), windowMs: WINDOW_MS[match[2]!.toLowerCase()]! };
    if (limit.count < 1) throw new ConfigError(`${name} must allow at least 1 request (got "${text}")`);
    if (!strictest || limit.windowMs / limit.count > strictest.windowMs / strictest.count) strictest = limit;
  }
  if (!strictest) throw new ConfigError(`${name} is empty`);
  return strictest;
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
  return {
    host: env.HOST ?? '127.0.0.1',
    port: integer(env, 'PORT', 5000, 0, 65535),
    dataDir: path.resolve(cwd, env.ORDERGATE_DATA_DIR ?? 'data'),
    seed: integer(env, 'ORDERGATE_SEED', 20_260_101, 0, 2 ** 31 - 1),
    tickMs: integer(env, 'ORDERGATE_TICK_MS', 1000, 10, 60_000),
    market,
    sessions,
    startingCash,
    bootstrapApiKey: bootstrapApiKey ? bootstrapApiKey.toLowerCase() : undefined,
    logLevel: env.LOG_LEVEL ?? 'info',
    websocketPort: env.WEBSOCKET_PORT ? integer(env, 'WEBSOCKET_PORT', 8765, 0, 65535) : undefined,
    orderRateLimit: parseRateLimit(env.ORDER_RATE_LIMIT ?? '10 per second', 'ORDER_RATE_LIMIT'),
  };
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
