// `npm run bench:ab`: an A/B comparison of two Ordergate servers on loopback, for judging one change. This VM's speed
// drifts by a third within minutes, so two runs an hour apart say little; here both servers start together and
// short autocannon runs alternate between them (A B, B A, A B, …), and the medians are compared.
//
//   BENCH_AB_CASE      ping | quotes | placeorder | placeorder-1 (default placeorder)
//   BENCH_AB_ROUNDS    rounds, each one run per server (default 8)
//   BENCH_AB_SECONDS   seconds per run (default 3), after one 2 s warm-up run per server
//   BENCH_AB_A_DIR     a checkout whose code server A runs (a `git worktree` of the code before, with node_modules);
//                      this one when unset
//   BENCH_AB_A_ENV, BENCH_AB_B_ENV   JSON objects of extra environment variables for each server
//   BENCH_AB_A_FLAGS, BENCH_AB_B_FLAGS   extra node flags for each server, after `npm start`'s (so they win), e.g.
//                      BENCH_AB_B_FLAGS=--max-semi-space-size=256
//
// Prints per server each run's req/s, then the medians of req/s, client-side p99 (exact, from every response time)
// and the server's CPU per request (all its threads, from /proc), and B against A.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon, { type AutocannonRequest, type AutocannonResult } from 'autocannon';
import { type ServerChild, killAllChildrenSync, processCpuMs, startServer } from './children.js';
import { startScriptNodeFlags } from './ordergate-config.js';
import { JSON_HEADERS, KEY_ONLY, MARKET_BUY, MARKET_SELL, QUOTE_SBIN, ordergateEnv } from './requests.js';
import { Samples, fixed, grouped, percentile } from './stats.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const post = (route: string, body: string): AutocannonRequest => ({ method: 'POST', path: `/api/v1/${route}`, headers: JSON_HEADERS, body });
const PLACE = [post('placeorder', MARKET_BUY), post('placeorder', MARKET_SELL)];
const CASES: Record<string, { requests: AutocannonRequest[]; connections: number }> = {
  ping: { requests: [post('ping', KEY_ONLY)], connections: 50 },
  quotes: { requests: [post('quotes', QUOTE_SBIN)], connections: 50 },
  placeorder: { requests: PLACE, connections: 50 },
  'placeorder-1': { requests: PLACE, connections: 1 },
};

const caseId = process.env.BENCH_AB_CASE || 'placeorder';
const kase = CASES[caseId];
if (!kase) throw new Error(`BENCH_AB_CASE must be one of ${Object.keys(CASES).join(', ')}`);
const rounds = wholeNumber('BENCH_AB_ROUNDS', 8);
const seconds = wholeNumber('BENCH_AB_SECONDS', 3);

interface Run {
  rps: number;
  p99: number;
  cpuUsPerRequest: number;
}

const tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ordergate-ab-'));
process.on('exit', () => {
  killAllChildrenSync();
  fs.rmSync(tempRoot, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

const servers = await Promise.all(
  (['A', 'B'] as const).map((name) =>
    startServer({
      name: `ordergate:${name}`,
      script: 'bench/ordergate-server.ts',
      cwd: name === 'A' && process.env.BENCH_AB_A_DIR ? path.resolve(process.env.BENCH_AB_A_DIR) : ROOT,
      nodeArgs: [...startScriptNodeFlags(), ...(process.env[`BENCH_AB_${name}_FLAGS`] ?? '').split(' ').filter(Boolean)],
      env: { ...ordergateEnv(fs.mkdtempSync(path.join(tempRoot, `${name}-`))), ...envOf(`BENCH_AB_${name}_ENV`) },
    }),
  ),
);
const [a, b] = servers as [ServerChild, ServerChild];
process.stdout.write(`A/B of ${caseId}, ${kase.connections} connection(s), ${rounds} rounds of ${seconds} s per server\n`);
for (const server of servers) await load(server, 2);

const runs = { A: [] as Run[], B: [] as Run[] };
for (let round = 0; round < rounds; round++) {
  const order: Array<['A' | 'B', ServerChild]> = round % 2 === 0 ? [['A', a], ['B', b]] : [['B', b], ['A', a]];
  for (const [name, server] of order) runs[name].push(await load(server, seconds));
}
const medians = { A: summary(runs.A), B: summary(runs.B) };
for (const name of ['A', 'B'] as const) {
  const m = medians[name];
  process.stdout.write(
    `${name}: ${runs[name].map((run) => grouped(Math.round(run.rps))).join(' ')} req/s; median ${grouped(Math.round(m.rps))} req/s, ` +
      `p99 ${fixed(m.p99, 2)} ms, ${fixed(m.cpuUsPerRequest, 1)} µs of server CPU per request\n`,
  );
}
const change = (key: keyof Run) => `${fixed((medians.B[key] / medians.A[key] - 1) * 100, 1)} %`;
process.stdout.write(`B against A: req/s ${change('rps')}, p99 ${change('p99')}, CPU per request ${change('cpuUsPerRequest')}\n`);
await Promise.all(servers.map((server) => server.stop()));
process.exit(0);

/** One run against `server`: req/s, exact client-side p99 and the server's CPU per request. */
async function load(server: ServerChild, duration: number): Promise<Run> {
  const times = new Samples();
  let refused = 0;
  const cpuBefore = processCpuMs(server.pid) ?? 0;
  const instance = autocannon({ url: server.url, connections: kase!.connections, duration, requests: kase!.requests, timeout: 10 });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) times.push(responseTime);
    else refused += 1;
  });
  const result: AutocannonResult = await instance;
  if (refused > 0 || result.errors > 0 || result.timeouts > 0) {
    throw new Error(`${server.name}: ${refused} answers not 2xx, ${result.errors} errors, ${result.timeouts} timeouts`);
  }
  const cpuMs = (processCpuMs(server.pid) ?? 0) - cpuBefore;
  const sorted = times.sorted();
  return { rps: result.requests.average, p99: percentile(sorted, 99), cpuUsPerRequest: (cpuMs * 1000) / Math.max(1, sorted.length) };
}

function summary(of: Run[]): Run {
  const median = (values: number[]) => values.sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? 0;
  return {
    rps: median(of.map((run) => run.rps)),
    p99: median(of.map((run) => run.p99)),
    cpuUsPerRequest: median(of.map((run) => run.cpuUsPerRequest)),
  };
}

function envOf(variable: string): Record<string, string> {
  const text = process.env[variable];
  if (!text) return {};
  const parsed = JSON.parse(text) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${variable} must be a JSON object`);
  return Object.fromEntries(Object.entries(parsed).map(([key, value]) => [key, String(value)]));
}

function wholeNumber(variable: string, fallback: number): number {
  const value = Number(process.env[variable] || fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${variable} must be a whole number above 0`);
  return value;
}
