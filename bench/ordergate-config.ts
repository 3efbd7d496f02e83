// The environment the bench's Ordergate server is configured from (bench/ordergate-server.ts), shared with the runner
// (bench/run.ts) so the header it prints and the admin password it logs in with are the server's own.
//
// Everything a production request goes through stays on: API-key auth, the rate limiter (its limits raised out of
// the way, still counted), schema validation, the paper exchange's risk checks and matching, the durable commit of
// every order event (ORDERGATE_DURABILITY, default `group`: one transaction and one fsync per event-loop turn, SQLite
// synchronous=FULL, or PostgreSQL synchronous_commit=on when the environment sets DATABASE_URL), event publish on the
// in-process bus, the traffic log and the latency monitor (neither has an off switch). Only the market is frozen
// (reproducible fills) and the starting cash is large (no order is refused for margin).
import fs from 'node:fs';
import { type Config, loadConfig } from '../src/config.js';

/**
 * The node flags `npm start` runs the gateway with (package.json's `start` script, between `node` and the bin), so
 * the bench measures the same process: today the young generation's size (docs/performance.md).
 */
export function startScriptNodeFlags(): string[] {
  const manifest = JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    scripts: { start: string };
  };
  const match = /^node((?: --[^ ]+)*) bin\/ordergate\.js /.exec(manifest.scripts.start);
  if (!match) throw new Error(`package.json's start script is not "node [flags] bin/ordergate.js …": ${manifest.scripts.start}`);
  return (match[1] ?? '').split(' ').filter(Boolean);
}

/** The admin password the bench server gets (when the environment sets none), to read the latency monitor. */
export const BENCH_ADMIN_PASSWORD = 'ordergate-bench-admin';

type Env = Record<string, string | undefined>;

/** `env` with the bench's defaults filled in where it sets nothing. */
export function benchServerEnv(env: Env): Env {
  return {
    ...env,
    PORT: env.PORT ?? '0',
    LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
    ORDERGATE_MARKET: env.ORDERGATE_MARKET ?? 'frozen',
    ORDERGATE_STARTING_CASH: env.ORDERGATE_STARTING_CASH ?? '1000000000000',
    // Durable commits on: the default, spelled out so the bench never measures less unless told to.
    ORDERGATE_DURABILITY: env.ORDERGATE_DURABILITY || 'group',
    ORDERGATE_ADMIN_PASSWORD: env.ORDERGATE_ADMIN_PASSWORD || BENCH_ADMIN_PASSWORD,
    // The bench measures the gateway, not its rate limits: out of the way unless the environment sets them.
    ORDER_RATE_LIMIT: env.ORDER_RATE_LIMIT ?? '1000000 per second',
    SMART_ORDER_RATE_LIMIT: env.SMART_ORDER_RATE_LIMIT ?? '1000000 per second',
    API_RATE_LIMIT: env.API_RATE_LIMIT ?? '1000000 per second',
  };
}

export function benchServerConfig(env: Env): Config {
  return loadConfig(benchServerEnv(env));
}

/** One line on what the servers run with, for the runner's header. */
export function describeBenchConfig(config: Config): string {
  const relaxed = config.durability === 'relaxed';
  // The engine's setting each durability maps onto (src/store/open-store.ts).
  const engine = config.databaseUrl
    ? `PostgreSQL synchronous_commit=${relaxed ? 'off' : 'on'}`
    : `SQLite synchronous=${relaxed ? 'NORMAL' : 'FULL'}`;
  const commit =
    config.durability === 'each'
      ? 'one transaction + fsync per request'
      : config.durability === 'group'
        ? config.databaseUrl
          ? 'one transaction per event-loop turn, the next group gathering while one commits'
          : 'one transaction + fsync per event-loop turn'
        : config.databaseUrl
          ? 'grouped, WAL flushed in the background'
          : 'grouped, fsync at WAL checkpoints only';
  const rate = (limits: Config['rateLimits']['order']) => limits.map((l) => `${l.count}/${l.windowMs / 1000} s`).join(' + ');
  return (
    `ordergate: durability ${config.durability} (${commit}, ${engine}); market ${config.market}; ` +
    `rate limits order ${rate(config.rateLimits.order)}, api ${rate(config.rateLimits.api)} per key; ` +
    `rate limiter store ${config.rateLimitStore}; quote cache ${config.quoteCacheMs} ms; log level ${config.logLevel}; ` +
    `node flags (npm start's) ${startScriptNodeFlags().join(' ') || 'none'}`
  );
}
