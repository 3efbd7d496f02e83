// A real gateway on a random loopback port with a temporary data folder (its SQLite files, or on the PostgreSQL pass a
// schema of its own), a known key and a frozen, test-set market.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DestinationStream } from 'pino';
import { type Gateway, type GatewayOptions, createGateway } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { ManualClock } from '../../src/domain/clock.js';
import { dec } from '../../src/domain/decimal.js';
import type { Exchange } from '../../src/domain/instrument.js';
import { databaseEnvFor } from '../postgres-database.js';

export const TEST_KEY = 'ab'.repeat(32);
/** The `admin` user's password in test gateways. */
export const TEST_PASSWORD = 'correct horse battery';
/** Rate limits out of the way of tests that fire many requests; tests of the limits pass their own. */
export const GENEROUS_RATE_LIMITS = {
  ORDER_RATE_LIMIT: '100000 per second',
  SMART_ORDER_RATE_LIMIT: '100000 per second',
  API_RATE_LIMIT: '100000 per second',
  GREEKS_RATE_LIMIT: '100000 per second',
  MARGIN_RATE_LIMIT: '100000 per second',
  WEBHOOK_RATE_LIMIT: '100000 per second',
  LOGIN_RATE_LIMIT_MIN: '100000 per second',
  LOGIN_RATE_LIMIT_HOUR: '100000 per second',
};
/** 2026-11-25 10:00 IST, a trading Wednesday. */
export const T0 = Date.UTC(2026, 10, 25, 4, 30);

export interface Harness {
  url: string;
  key: string;
  gateway: Gateway;
  clock: ManualClock;
  dataDir: string;
  post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Sets an instrument's last price exactly (frozen market: it stays there). */
  setPrice(symbol: string, exchange: Exchange, price: string): void;
  /** Runs the matching loop once at the current prices. */
  tick(): void;
  /** One pass over the GTTs at the current prices and clock: due ones fire (their orders placed), expired ones expire. */
  checkGtts(): Promise<void>;
  close(): Promise<void>;
  /** Stops the server but keeps the data directory, for restart tests. */
  stop(): Promise<void>;
}

export interface GatewayHarnessOptions {
  dataDir?: string;
  env?: Record<string, string>;
  /** Receives the log lines (set LOG_LEVEL in env to see any). */
  logStream?: DestinationStream;
  /** Wraps each paper broker innermost (a FaultInjectingBroker, for resilience tests). */
  wrapBroker?: GatewayOptions['wrapBroker'];
}

export async function startGateway(options: GatewayHarnessOptions = {}): Promise<Harness> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ordergate-test-'));
  const config = loadConfig({
    // A test that names DATABASE_URL (even empty: SQLite) keeps it; otherwise the pass's engine decides.
    ...(options.env && 'DATABASE_URL' in options.env ? {} : await databaseEnvFor(dataDir)),
    PORT: '0',
    ORDERGATE_DATA_DIR: dataDir,
    ORDERGATE_MARKET: 'frozen',
    ORDERGATE_BOOTSTRAP_API_KEY: TEST_KEY,
    ORDERGATE_ADMIN_PASSWORD: TEST_PASSWORD,
    LOG_LEVEL: 'silent',
    ...GENEROUS_RATE_LIMITS,
    ...options.env,
  });
  const clock = new ManualClock(T0);
  const gateway = await createGateway({ config, clock, logStream: options.logStream, wrapBroker: options.wrapBroker });
  const url = await gateway.listen();
  const stop = () => gateway.close();
  return {
    url,
    key: TEST_KEY,
    gateway,
    clock,
    dataDir,
    post: (route, body) => postJson(url, route, body),
    setPrice(symbol, exchange, price) {
      gateway.market.setPrice(gateway.master.require(symbol, exchange), dec(price));
    },
    tick() {
      gateway.tick();
    },
    checkGtts: () => gateway.checkGtts(),
    stop,
    async close() {
      await stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** POSTs `body` (an object as JSON, a string as is) to `base + route`; the status and the parsed JSON answer. */
export async function postJson(base: string, route: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export interface JsonAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A JSON request to the native API, with a bearer token or an X-API-KEY when given. */
export async function requestJson(
  base: string,
  method: string,
  route: string,
  options: { token?: string; key?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<JsonAnswer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.key !== undefined) headers['x-api-key'] = options.key;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${route}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

/** Logs in (the admin user by default) and returns the token answer. */
export async function login(
  base: string,
  username = 'admin',
  password = TEST_PASSWORD,
): Promise<{ access_token: string; refresh_token: string; expires_in: number }> {
  const answer = await requestJson(base, 'POST', '/api/auth/login', { body: { username, password } });
  if (answer.status !== 200) throw new Error(`login failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body as { access_token: string; refresh_token: string; expires_in: number };
}
