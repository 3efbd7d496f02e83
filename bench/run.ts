// `npm run bench`: load benchmarks of Ordergate against a bare node:http server, on loopback, in one run (DESIGN §8).
// Never part of `npm test`.
//
// Each server runs in its own child process; this process only generates load (autocannon's programmatic API).
// Every Ordergate case gets a fresh server with an empty temporary data dir, so no case sees another's orders. The
// servers run with everything on (bench/ordergate-config.ts); after each order case the runner reads the server's
// latency monitor (GET /api/admin/latency) for the gateway's own overhead, and it ends with the issue's targets
// (informational: the exit code is 1 only for failed or unexpected responses).
//
// Environment:
//   BENCH_DURATION     seconds measured per case (default 10)
//   BENCH_WARMUP       seconds of warm-up per case, discarded (default 3)
//   BENCH_CONNECTIONS  concurrent connections (default 50; the placeorder-1 case always has one)
//   BENCH_CASES        comma-separated case ids to run (default: all but the optional ones); the baseline always runs,
//                      before the cases and again after them (the ratios divide by the mean of the two)
//   BENCH_RESTING      resting orders in the book for the orderbook case (default 1000)
//   BENCH_RESTING_LARGE  resting orders for the optional placeorder-resting case (default 10000)
//   BENCH_CPU_PROF     a folder: run the Ordergate children under `node --cpu-prof` and keep the profiles there
//                      (one folder per case; the main thread's file has thread id 0 in its name, e.g.
//                      CPU.20260101.120000.1234.0.001.cpuprofile; summarise it with
//                      `node --import ./bin/typescript.mjs bench/profile-summary.ts <file.cpuprofile>`)
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon, { type AutocannonOptions, type AutocannonRequest, type AutocannonResult } from 'autocannon';
import { type ServerChild, killAllChildrenSync, processCpuMs, startServer } from './children.js';
import { benchDatabase } from './postgres-database.js';
import {
  BENCH_ADMIN_PASSWORD,
  benchServerConfig,
  benchServerEnv,
  describeBenchConfig,
  startScriptNodeFlags,
} from './ordergate-config.js';
import {
  API_KEY,
  JSON_HEADERS,
  KEY_ONLY,
  MARKET_BUY,
  MARKET_SELL,
  QUOTE_SBIN,
  order,
  ordergateEnv,
  success,
} from './requests.js';
import { Samples, fixed, grouped, markdownTable, mean, percentile } from './stats.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const DURATION = positiveNumber('BENCH_DURATION', 10);
const WARMUP = nonNegativeNumber('BENCH_WARMUP', 3);
const CONNECTIONS = positiveNumber('BENCH_CONNECTIONS', 50);
const RESTING_ORDERS = positiveNumber('BENCH_RESTING', 1000);
const RESTING_ORDERS_LARGE = positiveNumber('BENCH_RESTING_LARGE', 10_000);
const CPU_PROF_DIR = process.env.BENCH_CPU_PROF ? path.resolve(process.env.BENCH_CPU_PROF) : undefined;
const ONLY = process.env.BENCH_CASES?.split(',').map((s) => s.trim()).filter(Boolean);

/** Far below SBIN's reference price (960): a BUY LIMIT there rests; far above for SELL. On SBIN's 0.05 tick grid. */
const LOW_PRICE = 100;
const HIGH_PRICE = 1900;

// --- the cases ----------------------------------------------------------------------------------------------------

interface Case {
  id: string;
  title: string;
  server: 'bare' | 'ordergate';
  /** Requests each connection sends in a loop. */
  requests: AutocannonRequest[];
  /** What one row of the table counts, when a request is not the whole story. */
  note?: string;
  /** Runs against the fresh server before warm-up. */
  prepare?: (url: string) => Promise<void>;
  /** True when a 2xx body is what the case expects. */
  verifyBody?: (body: string) => boolean;
  /** Runs only when named in BENCH_CASES. */
  optional?: boolean;
  /** Read the server's latency monitor (GET /api/admin/latency) before and after the measured run. */
  latency?: boolean;
  /** Concurrent connections of this case, when not BENCH_CONNECTIONS; its req/s is then no ratio to bare's. */
  connections?: number;
  /** The Ordergate server's store: SQLite (default, whatever DATABASE_URL the runner has) or a fresh PostgreSQL schema. */
  engine?: 'postgres';
}

const LIMIT_BUY_RESTING = order({ action: 'BUY', quantity: '1', pricetype: 'LIMIT', price: String(LOW_PRICE) });
/** What every Ordergate server runs with (bench/ordergate-config.ts); said in the notes of the cases it matters to. */
const EVERYTHING_ON =
  'everything on: API-key auth, rate limiter (limits raised out of the way, still counted), validation, risk checks, ' +
  'matching, durable commit, event publish, traffic log and latency monitor';

const CASES: Case[] = [
  {
    id: 'bare',
    title: 'bare node:http POST (baseline)',
    server: 'bare',
    requests: [{ method: 'POST', path: '/api/v1/placeorder', headers: JSON_HEADERS, body: MARKET_BUY }],
    note: 'same body as the MARKET placeorder; parses it, answers {"status":"success","orderid":"1"}',
    verifyBody: success,
  },
  {
    id: 'ping',
    title: 'Ordergate POST /api/v1/ping',
    server: 'ordergate',
    requests: [{ method: 'POST', path: '/api/v1/ping', headers: JSON_HEADERS, body: KEY_ONLY }],
    note: 'body validation + API-key check (a remembered key: one SHA-256), rate limiter, no broker work',
    verifyBody: success,
  },
  {
    id: 'placeorder',
    title: 'placeorder MARKET (BUY/SELL 1 SBIN MIS)',
    server: 'ordergate',
    requests: [
      { method: 'POST', path: '/api/v1/placeorder', headers: JSON_HEADERS, body: MARKET_BUY },
      { method: 'POST', path: '/api/v1/placeorder', headers: JSON_HEADERS, body: MARKET_SELL },
    ],
    note: `each connection alternates BUY and SELL, so the net position stays within ±connections; every order fills; ${EVERYTHING_ON}`,
    verifyBody: success,
    latency: true,
  },
  {
    id: 'placeorder-1',
    title: 'placeorder MARKET, one client (1 connection)',
    server: 'ordergate',
    connections: 1,
    requests: [
      { method: 'POST', path: '/api/v1/placeorder', headers: JSON_HEADERS, body: MARKET_BUY },
      { method: 'POST', path: '/api/v1/placeorder', headers: JSON_HEADERS, body: MARKET_SELL },
    ],
    note: `one order at a time, each sent when the last was answered: what a single strategy script sees per order, with no queue in front of it (no "× bare": a different load); ${EVERYTHING_ON}`,
    verifyBody: success,
    latency: true,
  },
  {
    id: 'placeorder-pg',
    title: 'placeorder MARKET on PostgreSQL (BUY/SELL 1 SBIN MIS)',
    server: 'ordergate',
    engine: 'postgres',
    requests: [
      { method: 'POST', path: '/api/v1/placeorder', headers: JSON_HEADERS, body: MARKET_BUY },
      { method: 'POST', path: '/api/v1/placeorder', headers: JSON_HEADERS, body: MARKET_SELL },
    ],
    note: `as placeorder, with DATABASE_URL set: the journal's group commits, keys and traffic log in PostgreSQL (127.0.0.1:5432, synchronous_commit=on); ${EVERYTHING_ON}`,
    verifyBody: success,
    latency: true,
  },
  {
    id: 'placeorder-1-pg',
    title: 'placeorder MARKET on PostgreSQL, one client (1 connection)',
    server: 'ordergate',
    engine: 'postgres',
    connections: 1,
    requests: [
      { method: 'POST', path: '/api/v1/placeorder', headers: JSON_HEADERS, body: MARKET_BUY },
      { method: 'POST', path: '/api/v1/placeorder', headers: JSON_HEADERS, body: MARKET_SELL },
    ],
    note: `placeorder-1 on PostgreSQL; ${EVERYTHING_ON}`,
    verifyBody: success,
    latency: true,
  },
  {
    id: 'limit-cancel',
    title: 'placeorder LIMIT (resting) → cancelorder',
    server: 'ordergate',
    requests: [
      {
        method: 'POST',
        path: '/api/v1/placeorder',
        headers: JSON_HEADERS,
        body: LIMIT_BUY_RESTING,
        onResponse: (status, body, context) => {
          if (status === 200) context.orderid = (JSON.parse(body) as { orderid?: string }).orderid;
        },
      },
      {
        method: 'POST',
        path: '/api/v1/cancelorder',
        headers: JSON_HEADERS,
        // No order id (the placement failed): autocannon restarts the sequence and counts a reset.
        setupRequest: (request, context) =>
          typeof context.orderid === 'string'
            ? { ...request, body: JSON.stringify({ apikey: API_KEY, strategy: 'bench', orderid: context.orderid }) }
            : null,
      },
    ],
    note: `chained per connection: the cancel carries the id the placement returned; req/s counts both requests (pairs/s = half); ${EVERYTHING_ON}`,
    verifyBody: success,
    latency: true,
  },
  {
    id: 'quotes',
    title: 'Ordergate POST /api/v1/quotes (SBIN NSE)',
    server: 'ordergate',
    requests: [{ method: 'POST', path: '/api/v1/quotes', headers: JSON_HEADERS, body: QUOTE_SBIN }],
    note: 'validation + API-key auth + rate limiter (api group) + traffic log, then the paper broker\'s quote of SBIN (frozen market); read scope, so the latency monitor (order calls only) does not see it',
    verifyBody: (body) => success(body) && body.includes('"ltp":'),
  },
  {
    id: 'orderbook',
    title: `orderbook with ${RESTING_ORDERS.toLocaleString('en-US')} resting orders`,
    server: 'ordergate',
    requests: [{ method: 'POST', path: '/api/v1/orderbook', headers: JSON_HEADERS, body: KEY_ONLY }],
    note: `the book holds exactly ${RESTING_ORDERS} open LIMIT orders (half BUY at ${LOW_PRICE}+, half SELL at ${HIGH_PRICE}+), placed over HTTP before the warm-up`,
    prepare: (url) => placeRestingOrders(url, RESTING_ORDERS),
    verifyBody: (body) => success(body) && body.includes(`"total_open_orders":${RESTING_ORDERS}`),
  },
  {
    id: 'placeorder-resting',
    title: `placeorder MARKET with ${RESTING_ORDERS_LARGE.toLocaleString('en-US')} resting orders`,
    server: 'ordergate',
    requests: [
      { method: 'POST', path: '/api/v1/placeorder', headers: JSON_HEADERS, body: MARKET_BUY },
      { method: 'POST', path: '/api/v1/placeorder', headers: JSON_HEADERS, body: MARKET_SELL },
    ],
    note: `optional: as placeorder, after ${RESTING_ORDERS_LARGE} resting LIMIT orders of the same account (how placement scales with working orders)`,
    prepare: (url) => placeRestingOrders(url, RESTING_ORDERS_LARGE),
    verifyBody: success,
    optional: true,
    latency: true,
  },
];

async function placeRestingOrders(url: string, count: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const buy = i % 2 === 0;
      const price = ((buy ? LOW_PRICE : HIGH_PRICE) * 100 + (i % 200) * 5) / 100;
      const body = order({ action: buy ? 'BUY' : 'SELL', quantity: '1', pricetype: 'LIMIT', price: price.toFixed(2) });
      const response = await fetch(`${url}/api/v1/placeorder`, { method: 'POST', headers: JSON_HEADERS, body });
      const text = await response.text();
      if (response.status !== 200 || !success(text)) {
        throw new Error(`placing resting order ${i} failed: ${response.status} ${text}`);
      }
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  const response = await fetch(`${url}/api/v1/orderbook`, { method: 'POST', headers: JSON_HEADERS, body: KEY_ONLY });
  const book = (await response.json()) as { data?: { statistics?: { total_open_orders?: number } } };
  const open = book.data?.statistics?.total_open_orders;
  if (open !== count) throw new Error(`expected ${count} open orders in the book, found ${open}`);
}

// --- the latency monitor (GET /api/admin/latency) ------------------------------------------------------------------

interface PhaseMs {
  p50: number;
  p90: number;
  p99: number;
}

/** One entry of GET /api/admin/latency (src/api/admin/routes/latency.ts). */
interface EndpointLatency {
  endpoint: string;
  broker: string;
  count: number;
  recorded: number;
  total_ms: PhaseMs;
  validation_ms: PhaseMs;
  broker_ms: PhaseMs;
  overhead_ms: PhaseMs;
  under_1ms: number;
  under_5ms: number;
  under_10ms: number;
}

interface LatencyReport {
  endpoints: EndpointLatency[];
  window: number;
}

interface LatencyRead {
  report?: LatencyReport;
  /** Per `endpoint broker`: requests recorded during the measured run (recorded after − recorded before). */
  measured: Map<string, number>;
  error?: string;
}

const ADMIN_PASSWORD = benchServerEnv(process.env).ORDERGATE_ADMIN_PASSWORD ?? BENCH_ADMIN_PASSWORD;

/** Logs in as `admin` (a fresh access token each time: a case may outlast one) and reads the latency monitor. */
async function readLatency(url: string): Promise<LatencyReport> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: JSON_HEADERS,
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  const loginText = await login.text();
  if (login.status !== 200) throw new Error(`POST /api/auth/login answered ${login.status}: ${loginText.slice(0, 200)}`);
  const token = (JSON.parse(loginText) as { access_token?: unknown }).access_token;
  if (typeof token !== 'string') throw new Error('POST /api/auth/login answered no access_token');
  const response = await fetch(`${url}/api/admin/latency`, { headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`GET /api/admin/latency answered ${response.status}: ${text.slice(0, 200)}`);
  const report = JSON.parse(text) as LatencyReport;
  if (!Array.isArray(report.endpoints) || typeof report.window !== 'number') {
    throw new Error(`GET /api/admin/latency answered an unexpected shape: ${text.slice(0, 200)}`);
  }
  return report;
}

const entryKey = (entry: Pick<EndpointLatency, 'endpoint' | 'broker'>) => `${entry.endpoint} ${entry.broker}`;

function latencyDelta(before: LatencyReport, after: LatencyReport): Map<string, number> {
  const earlier = new Map(before.endpoints.map((entry) => [entryKey(entry), entry.recorded]));
  return new Map(after.endpoints.map((entry) => [entryKey(entry), entry.recorded - (earlier.get(entryKey(entry)) ?? 0)]));
}

// --- running ------------------------------------------------------------------------------------------------------

interface Measured {
  case: Case;
  result: AutocannonResult;
  exact: Float64Array;
  serverCpuPct?: number;
  loadgenCpuPct: number;
  warmupProblems: number;
  latency?: LatencyRead;
}

let tempRoot: string | undefined;
let current: ReturnType<typeof autocannon> | undefined;
let aborting = false;

function cleanupSync(): void {
  current?.stop();
  killAllChildrenSync();
  if (tempRoot) {
    fs.rmSync(tempRoot, { recursive: true, force: true });
    tempRoot = undefined;
  }
}

/** The configuration the Ordergate children load (same environment, same defaults), for the header. */
function serverConfig(): ReturnType<typeof benchServerConfig> {
  return benchServerConfig({ ...process.env, ...ordergateEnv(path.join(os.tmpdir(), 'ordergate-bench')) });
}

async function startFor(kase: Case): Promise<ServerChild> {
  if (kase.server === 'bare') {
    return startServer({ name: 'bare', script: 'bench/bare-server.ts', cwd: ROOT, env: { PORT: '0', HOST: '127.0.0.1' } });
  }
  if (!tempRoot) throw new Error('no temporary folder');
  const dataDir = fs.mkdtempSync(path.join(tempRoot, `${kase.id}-`));
  // One folder per case: node names each thread's profile CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile, and the
  // module hooks' thread writes one too (thread 0 is the server's main thread).
  const profile = CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${path.join(CPU_PROF_DIR, kase.id)}`] : [];
  // The flags `npm start` gives node, so the bench measures the process users run.
  const nodeArgs = [...startScriptNodeFlags(), ...profile];
  if (kase.engine === 'postgres' && !('freshSchema' in database)) throw new Error('no PostgreSQL for this case');
  // An empty DATABASE_URL is SQLite, whatever the runner's environment says.
  const databaseUrl = kase.engine === 'postgres' && 'freshSchema' in database ? await database.freshSchema() : '';
  return startServer({
    name: `ordergate:${kase.id}`,
    script: 'bench/ordergate-server.ts',
    cwd: ROOT,
    nodeArgs,
    env: { ...ordergateEnv(dataDir), DATABASE_URL: databaseUrl },
  });
}

function load(url: string, kase: Case, seconds: number, samples?: Samples): Promise<AutocannonResult> {
  const options: AutocannonOptions = {
    url,
    connections: connectionsOf(kase),
    duration: seconds,
    timeout: 10,
    requests: kase.requests,
    ...(kase.verifyBody ? { verifyBody: kase.verifyBody } : {}),
  };
  const instance = autocannon(options);
  current = instance;
  if (samples) {
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) samples.push(responseTime);
    });
  }
  return new Promise<AutocannonResult>((resolve, reject) => {
    instance.then((result) => {
      current = undefined;
      resolve(result);
    }, reject);
  });
}

function connectionsOf(kase: Case): number {
  return kase.connections ?? CONNECTIONS;
}

function problems(result: AutocannonResult): number {
  return result.errors + result.timeouts + result.non2xx + result.mismatches + result.resets;
}

async function runCase(kase: Case): Promise<Measured> {
  const server = await startFor(kase);
  try {
    if (kase.prepare) {
      process.stderr.write(`  ${kase.id}: preparing…\n`);
      await kase.prepare(server.url);
    }
    let warmupProblems = 0;
    if (WARMUP > 0) {
      process.stderr.write(`  ${kase.id}: warm-up ${WARMUP} s…\n`);
      const warm = await load(server.url, kase, WARMUP);
      warmupProblems = problems(warm);
      if (warmupProblems > 0) describeProblems(`${kase.id} (warm-up)`, warm);
    }
    if (aborting) throw new Error('aborted');
    // The monitor's `recorded` counts before and after tell how much of its window the measured run filled.
    let latencyBefore: LatencyReport | undefined;
    let latencyError: string | undefined;
    if (kase.latency) {
      try {
        latencyBefore = await readLatency(server.url);
      } catch (error) {
        latencyError = error instanceof Error ? error.message : String(error);
      }
    }
    process.stderr.write(`  ${kase.id}: measuring ${DURATION} s, ${connectionsOf(kase)} connection(s)…\n`);
    const samples = new Samples();
    const serverCpuBefore = processCpuMs(server.pid);
    const loadgenBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    const result = await load(server.url, kase, DURATION, samples);
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    const serverCpuAfter = processCpuMs(server.pid);
    const loadgen = process.cpuUsage(loadgenBefore);
    if (problems(result) > 0 && !aborting) describeProblems(kase.id, result);
    let latency: LatencyRead | undefined;
    if (kase.latency && !aborting) {
      try {
        const after = await readLatency(server.url);
        latency = { report: after, measured: latencyDelta(latencyBefore ?? { endpoints: [], window: after.window }, after) };
        if (latencyError) latency.error = `the read before the run failed (${latencyError}); "measured" counts warm-up too`;
      } catch (error) {
        latency = { measured: new Map(), error: error instanceof Error ? error.message : String(error) };
        process.stderr.write(`  !! ${kase.id}: reading the latency monitor failed: ${latency.error}\n`);
      }
    }
    return {
      case: kase,
      result,
      exact: samples.sorted(),
      serverCpuPct:
        serverCpuBefore !== undefined && serverCpuAfter !== undefined
          ? ((serverCpuAfter - serverCpuBefore) / wallMs) * 100
          : undefined,
      loadgenCpuPct: ((loadgen.user + loadgen.system) / 1000 / wallMs) * 100,
      warmupProblems,
      ...(latency ? { latency } : {}),
    };
  } finally {
    await server.stop();
  }
}

function describeProblems(label: string, result: AutocannonResult): void {
  const codes = Object.entries(result.statusCodeStats)
    .map(([code, { count }]) => `${code}×${count}`)
    .join(', ');
  process.stderr.write(
    `  !! ${label}: errors=${result.errors} timeouts=${result.timeouts} non2xx=${result.non2xx} ` +
      `mismatches=${result.mismatches} resets=${result.resets}; status codes: ${codes}\n`,
  );
}

// --- reporting ----------------------------------------------------------------------------------------------------

function machine(): string[] {
  const cpus = os.cpus();
  const autocannonVersion = (
    JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/autocannon/package.json'), 'utf8')) as { version: string }
  ).version;
  return [
    `cpu: ${cpus[0]?.model.trim() ?? 'unknown'}, ${cpus.length} cores (os.cpus()), availableParallelism ${os.availableParallelism()}`,
    `memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; ${os.type()} ${os.release()} ${os.arch()}`,
    `node: ${process.version}; autocannon ${autocannonVersion}; code: ${revision()}`,
    `load: ${CONNECTIONS} connections (placeorder-1: one), ${DURATION} s measured after ${WARMUP} s warm-up per case, loopback, pipelining 1`,
    describeBenchConfig(serverConfig()),
  ];
}

/**
 * What one durable commit costs on the disk under the temp folder: append 4 KiB and fsync, `count` times (SQLite in
 * WAL mode with synchronous=FULL fsyncs the WAL once per committed transaction).
 */
function fsyncProbe(dir: string, count = 200): string {
  const file = path.join(dir, 'fsync-probe');
  const fd = fs.openSync(file, 'w');
  const block = Buffer.alloc(4096, 1);
  const times = new Samples();
  try {
    for (let i = 0; i < count; i++) {
      const start = process.hrtime.bigint();
      fs.writeSync(fd, block);
      fs.fsyncSync(fd);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  } finally {
    fs.closeSync(fd);
    fs.rmSync(file, { force: true });
  }
  const sorted = times.sorted();
  return (
    `4 KiB append + fsync ×${count} in ${os.tmpdir()}: p50 ${fixed(percentile(sorted, 50), 2)} ms, ` +
    `p99 ${fixed(percentile(sorted, 99), 2)} ms, mean ${fixed(mean(sorted), 2)} ms ` +
    `(≈ ${grouped(1000 / mean(sorted))} serial commits/s)`
  );
}

/** The commit measured, and whether src/ differs from it (read-only git; '?' outside a repository). */
function revision(): string {
  try {
    // GIT_OPTIONAL_LOCKS=0: `git status` must not take the index lock (others may be using the repository meanwhile).
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
      }).trim();
    const changed = git('status', '--porcelain', '--', 'src').split('\n').filter(Boolean).length;
    return `${git('rev-parse', '--short', 'HEAD')}${changed > 0 ? ` + ${changed} changed file(s) in src/` : ''}`;
  } catch {
    return '?';
  }
}

function loadAverage(): string {
  return os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
}

/** The bare runs: one before the cases and, when any Ordergate case ran, one after them. */
function bareRuns(measured: Measured[]): Measured[] {
  return measured.filter((m) => m.case.server === 'bare');
}

/**
 * What every "× bare" divides by: the mean req/s of the bare runs before and after the cases, so that a machine whose
 * speed drifts during the run (this VM's did by up to a third within an hour) moves the ratios less.
 */
function baselineOf(measured: Measured[]): number {
  const runs = bareRuns(measured);
  return runs.length === 0 ? Number.NaN : runs.reduce((sum, m) => sum + m.result.requests.average, 0) / runs.length;
}

/** One line on the baseline: each bare run and how far the machine drifted between them. */
function baselineLine(measured: Measured[]): string | undefined {
  const runs = bareRuns(measured).map((m) => m.result.requests.average);
  if (runs.length < 2) return undefined;
  const [before, after] = runs as [number, number];
  const drift = ((after - before) / before) * 100;
  return (
    `Baseline ("× bare"): the mean of the bare runs before (${grouped(before)} req/s) and after (${grouped(after)} req/s) ` +
    `the Ordergate cases, ${grouped(baselineOf(measured))} req/s; the machine drifted ${drift >= 0 ? '+' : ''}${fixed(drift, 1)} % in between.`
  );
}

function report(measured: Measured[]): string {
  const baseline = baselineOf(measured);
  const header = [
    'case',
    'req/s',
    'p50 ms',
    'p99 ms',
    'p50 ms exact',
    'p99 ms exact',
    'mean ms exact',
    'non-2xx',
    'errors',
    'mismatch',
    '× bare',
    'server CPU',
    'loadgen CPU',
  ];
  const rows = measured.map(({ case: kase, result, exact, serverCpuPct, loadgenCpuPct }) => [
    kase.title,
    grouped(result.requests.average),
    String(result.latency.p50),
    String(result.latency.p99),
    fixed(percentile(exact, 50), 2),
    fixed(percentile(exact, 99), 2),
    fixed(mean(exact), 2),
    String(result.non2xx),
    String(result.errors + result.timeouts),
    String(result.mismatches + result.resets),
    kase.connections === undefined ? fixed(result.requests.average / baseline, 2) : '–',
    serverCpuPct === undefined ? '–' : `${fixed(serverCpuPct, 0)}%`,
    `${fixed(loadgenCpuPct, 0)}%`,
  ]);
  const notes = measured.map(
    ({ case: kase, result }) =>
      `- ${kase.title}: ${grouped(result.requests.total)} requests in ${result.duration.toFixed(1)} s` +
      (kase.note ? `; ${kase.note}` : ''),
  );
  return [
    markdownTable(header, rows),
    '',
    'req/s: autocannon `requests.average` (mean of per-second samples). p50/p99 ms: autocannon `latency.p50`/`p99`,',
    'whole milliseconds (its histogram\'s resolution is 1 ms). "exact" columns: nearest-rank percentiles over every 2xx',
    'response time autocannon reports in its `response` event (hrtime, sub-ms). errors: connection errors + timeouts;',
    'mismatch: 2xx bodies that were not the expected success envelope + chain resets. CPU: share of one core used by',
    'the server process (/proc) and by this load-generating process during the measured run.',
    '',
    ...notes,
    '',
    'Ordergate servers (every case but bare): API-key auth, rate limiter with limits raised to 1,000,000/s per key (still',
    'counted), schema validation, risk checks and matching on the paper exchange, durable commit of every order event',
    '(see the durability line in the header), event publish on the in-process bus, traffic log and latency monitor on.',
  ].join('\n');
}

const ms3 = (value: number | undefined) => (value === undefined ? '–' : fixed(value, 3));
const share = (value: number | undefined) => (value === undefined ? '–' : `${fixed(value * 100, 1)}%`);

/** The latency monitor's view of each order case, per (endpoint, broker), read after the measured run. */
function latencyReport(measured: Measured[]): string | undefined {
  const withLatency = measured.filter((m) => m.latency);
  if (withLatency.length === 0) return undefined;
  const header = [
    'case',
    'endpoint',
    'broker',
    'count',
    'measured',
    'overhead p50',
    'overhead p99',
    'broker p50',
    'broker p99',
    'validation p50',
    'total p50',
    'total p99',
    '≤ 1 ms',
    '≤ 5 ms',
    '≤ 10 ms',
  ];
  const rows: string[][] = [];
  const problemsSeen: string[] = [];
  let window = Number.NaN;
  for (const { case: kase, latency } of withLatency) {
    if (!latency) continue;
    if (latency.error) problemsSeen.push(`- ${kase.id}: ${latency.error}`);
    if (!latency.report) {
      rows.push([kase.id, 'latency monitor not read', '–', ...header.slice(3).map(() => '–')]);
      continue;
    }
    window = latency.report.window;
    for (const entry of latency.report.endpoints) {
      rows.push([
        kase.id,
        entry.endpoint,
        entry.broker,
        grouped(entry.count),
        grouped(latency.measured.get(entryKey(entry)) ?? Number.NaN),
        ms3(entry.overhead_ms.p50),
        ms3(entry.overhead_ms.p99),
        ms3(entry.broker_ms.p50),
        ms3(entry.broker_ms.p99),
        ms3(entry.validation_ms.p50),
        ms3(entry.total_ms.p50),
        ms3(entry.total_ms.p99),
        share(entry.under_1ms),
        share(entry.under_5ms),
        share(entry.under_10ms),
      ]);
    }
  }
  return [
    'Latency monitor (GET /api/admin/latency, read after each order case; milliseconds, server side)',
    '',
    markdownTable(header, rows),
    '',
    `count: requests in the monitor's window (the last ${Number.isFinite(window) ? grouped(window) : '10,000'} per endpoint and broker), which the figures describe:`,
    'the end of the run. measured: requests the monitor recorded during the measured run; when count exceeds it, the',
    'window also holds warm-up (or preparation) requests. total: arrival to response sent; broker: the broker call in',
    'flight (paper exchange: risk checks, matching and waiting for the durable commit); overhead: total − broker per',
    'request (auth, rate limiter, validation, routing, serialization, traffic and latency logging); validation: the schema',
    'check. ≤ N ms: share of the window whose total was at most N ms. broker `none`: answered without a broker call.',
    ...(problemsSeen.length > 0 ? ['', ...problemsSeen] : []),
  ].join('\n');
}

type Verdict = 'PASS' | 'FLOOR' | 'FAIL' | 'n/a';

/** The latency monitor's placeorder entry of a case: the paper broker's (the one with the most requests). */
function placeorderLatency(m: Measured | undefined): EndpointLatency | undefined {
  return m?.latency?.report?.endpoints
    .filter((e) => e.endpoint === '/api/v1/placeorder' && e.broker !== 'none')
    .sort((a, b) => b.count - a.count)[0];
}

/**
 * The overhead target, for one case. Under 50 connections the overhead also holds the time a request waits for the
 * event loop busy with the others; with one client it is the gateway's own work on an order, nothing queued before it.
 */
function overheadLine(
  line: (v: Verdict, what: string, seen: string) => void,
  verdict: (value: number | undefined, target: number, floor: number | undefined, atLeast: boolean) => Verdict,
  m: Measured | undefined,
  id: string,
  load: string,
): void {
  const entry = placeorderLatency(m);
  line(
    verdict(entry?.overhead_ms.p50, 0.3, undefined, false),
    `placeorder overhead p50 ≤ 0.3 ms, ${load} (latency monitor)`,
    m
      ? entry
        ? `overhead p50 ${ms3(entry.overhead_ms.p50)} ms (broker ${entry.broker}, last ${grouped(entry.count)} requests)`
        : 'latency monitor not read'
      : `case ${id} not run`,
  );
}

/** The issue's targets, for this machine, 50 connections, durable commits on. Never changes the exit code. */
function targetsReport(measured: Measured[]): string {
  const baseline = baselineOf(measured);
  const byId = (id: string) => measured.find((m) => m.case.id === id);
  const placeorder = byId('placeorder');
  const quotes = byId('quotes');
  const lines: string[] = [];
  const verdict = (value: number | undefined, target: number, floor: number | undefined, atLeast: boolean): Verdict => {
    if (value === undefined || !Number.isFinite(value)) return 'n/a';
    const meets = (limit: number) => (atLeast ? value >= limit : value <= limit);
    if (meets(target)) return 'PASS';
    if (floor !== undefined && meets(floor)) return 'FLOOR';
    return 'FAIL';
  };
  const line = (v: Verdict, what: string, seen: string) => lines.push(`  [${v.padEnd(5)}] ${what.padEnd(66)} ${seen}`);
  const notRun = (m: Measured | undefined, id: string) => (m ? undefined : `case ${id} not run`);

  const poRatio = placeorder ? placeorder.result.requests.average / baseline : undefined;
  line(
    verdict(poRatio, 0.25, 0.2, true),
    'placeorder MARKET ≥ 0.25× bare req/s (floor 0.20×)',
    notRun(placeorder, 'placeorder') ?? `${fixed(poRatio ?? Number.NaN, 3)}× (${grouped(placeorder?.result.requests.average ?? Number.NaN)} / ${grouped(baseline)} req/s)`,
  );
  // Latency targets are open-loop now (npm run bench:open): at 50 closed-loop connections the mean latency is just
  // 50 / throughput (Little's law), so a p99 there measured throughput again.
  const onPostgres = byId('placeorder-pg');
  const pgShare = placeorder && onPostgres ? onPostgres.result.requests.average / placeorder.result.requests.average : undefined;
  line(
    verdict(pgShare, 0.5, undefined, true),
    'placeorder MARKET on PostgreSQL ≥ 0.50× its req/s on SQLite',
    notRun(onPostgres, 'placeorder-pg') ??
      notRun(placeorder, 'placeorder') ??
      `${fixed(pgShare ?? Number.NaN, 3)}× (${grouped(onPostgres?.result.requests.average ?? Number.NaN)} / ${grouped(placeorder?.result.requests.average ?? Number.NaN)} req/s)`,
  );
  const qRatio = quotes ? quotes.result.requests.average / baseline : undefined;
  line(
    verdict(qRatio, 0.5, undefined, true),
    'quotes ≥ 0.50× bare req/s',
    notRun(quotes, 'quotes') ?? `${fixed(qRatio ?? Number.NaN, 3)}× (${grouped(quotes?.result.requests.average ?? Number.NaN)} / ${grouped(baseline)} req/s)`,
  );
  overheadLine(line, verdict, placeorder, 'placeorder', `${CONNECTIONS} connections`);
  overheadLine(line, verdict, byId('placeorder-1'), 'placeorder-1', 'one client');
  overheadLine(line, verdict, onPostgres, 'placeorder-pg', `${CONNECTIONS} connections, PostgreSQL`);
  return [
    `Targets (2-core machine, ${CONNECTIONS} connections, durability ${serverConfig().durability}; informational, the exit code ignores them)`,
    ...lines,
    '  PASS: target met; FLOOR: only the floor met; FAIL: not even the floor (or no floor); n/a: not measured.',
    ...(CONNECTIONS !== 50 ? [`  note: the targets are stated for 50 connections; this run used ${CONNECTIONS}.`] : []),
  ].join('\n');
}

// --- main ---------------------------------------------------------------------------------------------------------

/** The run's PostgreSQL database (bench/postgres-database.ts), or why there is none. */
let database: Awaited<ReturnType<typeof benchDatabase>> = { unavailable: 'not opened' };

async function main(): Promise<number> {
  database = await benchDatabase();
  const available = (c: Case) => c.engine !== 'postgres' || 'freshSchema' in database;
  const selected = CASES.filter((c) => c.id === 'bare' || (available(c) && (ONLY ? ONLY.includes(c.id) : !c.optional)));
  if ('unavailable' in database) process.stdout.write(`PostgreSQL cases not measured: ${database.unavailable}\n`);
  if (ONLY) {
    const unknown = ONLY.filter((id) => !CASES.some((c) => c.id === id));
    if (unknown.length > 0) throw new Error(`unknown BENCH_CASES: ${unknown.join(', ')} (known: ${CASES.map((c) => c.id).join(', ')})`);
  }
  tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ordergate-bench-'));
  if (CPU_PROF_DIR) fs.mkdirSync(CPU_PROF_DIR, { recursive: true });

  const header = [...machine(), `disk before: ${fsyncProbe(tempRoot)}`, `load average before (1/5/15 min): ${loadAverage()}`];
  process.stdout.write(['Ordergate benchmark', ...header.map((l) => `  ${l}`), ''].join('\n') + '\n');

  // The bare server once more after the Ordergate cases: the baseline is the mean of both runs (baselineOf).
  const bare = CASES.find((c) => c.id === 'bare');
  const runs = selected.length > 1 && bare ? [...selected, { ...bare, id: 'bare-after', title: `${bare.title}, again after the cases` }] : selected;
  const measured: Measured[] = [];
  for (const kase of runs) {
    if (aborting) break;
    process.stderr.write(`${kase.title}\n`);
    measured.push(await runCase(kase));
  }
  if (aborting) return 130;

  process.stdout.write('\n' + report(measured) + '\n\n');
  const baseline = baselineLine(measured);
  if (baseline) process.stdout.write(baseline + '\n\n');
  const latencyTable = latencyReport(measured);
  if (latencyTable) process.stdout.write(latencyTable + '\n\n');
  process.stdout.write(targetsReport(measured) + '\n\n');
  process.stdout.write(`disk after: ${fsyncProbe(tempRoot)}\nload average after (1/5/15 min): ${loadAverage()}\n`);
  if ('freshSchema' in database) await database.drop();
  // Correctness only (non-2xx, errors, body mismatches, an admin API that would not answer); never the targets.
  const failed = measured.filter((m) => problems(m.result) > 0 || m.warmupProblems > 0 || m.latency?.error !== undefined);
  if (failed.length > 0) {
    const banner = '!'.repeat(100);
    process.stdout.write(
      `\n${banner}\n!!! THIS RUN HAD FAILED REQUESTS in: ${failed.map((m) => m.case.id).join(', ')}.` +
        ` Its figures are NOT valid (see the non-2xx/errors/mismatch columns, the latency monitor notes and the log above).\n${banner}\n`,
    );
    return 1;
  }
  process.stdout.write('\nEvery response of every case was 2xx with the expected body; no errors, no timeouts.\n');
  if (CPU_PROF_DIR) process.stdout.write(`CPU profiles of the Ordergate servers: ${CPU_PROF_DIR}\n`);
  return 0;
}

process.on('exit', cleanupSync);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (aborting) process.exit(130);
    aborting = true;
    process.stderr.write(`\n${signal}: stopping the load and the servers…\n`);
    current?.stop();
    // The case's own `finally` stops its server; give it a moment, then exit regardless.
    setTimeout(() => process.exit(130), 3000).unref();
  });
}

main().then(
  (code) => {
    cleanupSync();
    process.exit(code);
  },
  (error: unknown) => {
    if (!aborting) process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    cleanupSync();
    process.exit(aborting ? 130 : 1);
  },
);

function positiveNumber(name: string, fallback: number): number {
  const value = nonNegativeNumber(name, fallback);
  if (value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

function nonNegativeNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a non-negative number (got "${raw}")`);
  return value;
}
