// `npm run bench:open`: latency at fixed offered rates (open loop), Ordergate's placeorder beside a bare node:http
// server in the same run. A closed-loop run (autocannon's 50 connections, each waiting for its answer) measures
// throughput: by Little's law its mean latency is just 50 / throughput. Here requests leave on a fixed schedule
// whatever the answers, and each latency runs from the request's scheduled time, so a stall shows in full in every
// request it delayed (no coordinated omission).
//
// For each server: a closed-loop run finds its maximum (and warms it up), then each offered rate (a share of that
// maximum) runs for BENCH_OPEN_SECONDS and its p50, p99 and p99.9 are printed. The client writes raw HTTP/1.1 on up to
// 256 keep-alive connections (node's http client could not offer more than ≈ 10k requests a second here) and wakes
// on a timer, so requests leave in batches up to 1 ms apart: every figure includes up to 1 ms of that batching.
//
//   BENCH_OPEN_SECONDS   seconds per offered rate (default 10)
//   BENCH_OPEN_SHARES    comma-separated shares of the maximum (default 0.25,0.5,0.75)
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { type ServerChild, killAllChildrenSync, startServer } from './children.js';
import { startScriptNodeFlags } from './ordergate-config.js';
import { benchDatabase } from './postgres-database.js';
import { JSON_HEADERS, MARKET_BUY, MARKET_SELL, ordergateEnv } from './requests.js';
import { Samples, fixed, grouped, markdownTable, percentile } from './stats.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = Number(process.env.BENCH_OPEN_SECONDS ?? 10);
const SHARES = (process.env.BENCH_OPEN_SHARES ?? '0.25,0.5,0.75').split(',').map(Number);
const MAX_SECONDS = 5;
const CONNECTIONS = 50;
/** The open-loop client's connections at most: enough that the schedule, not the pool, decides when requests leave. */
const MAX_CONNECTIONS = 256;

interface Target {
  name: string;
  /** The p99 this target should keep at half its maximum rate (the open-loop targets), in ms. */
  p99AtHalf?: number;
  path: string;
  bodies: readonly string[];
  start(): Promise<ServerChild>;
}

interface RateResult {
  offered: number;
  achieved: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
  failed: number;
}

/** Closed loop, 50 connections: the most the server answers per second (also its warm-up). */
async function maximum(url: string, target: Target): Promise<number> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: MAX_SECONDS,
    requests: target.bodies.map((body) => ({ method: 'POST', path: target.path, headers: JSON_HEADERS, body })),
  });
  return result.requests.average;
}

/** One HTTP/1.1 request at a time on a keep-alive socket, answers read just far enough to know where they end. */
class RawConnection {
  private buffered: Buffer = Buffer.alloc(0);
  private onAnswer: ((status: number) => void) | undefined;

  constructor(
    private readonly socket: net.Socket,
    private readonly onLost: () => void,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      // Forgotten first, so the failed answer does not hand the next request to a closed socket.
      this.onLost();
      this.onAnswer?.(0);
      this.onAnswer = undefined;
    });
  }

  send(request: Buffer, onAnswer: (status: number) => void): void {
    this.onAnswer = onAnswer;
    this.socket.write(request);
  }

  close(): void {
    this.socket.destroy();
  }

  private read(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const headEnd = this.buffered.indexOf('\r\n\r\n');
    if (headEnd === -1) return;
    const head = this.buffered.toString('latin1', 0, headEnd);
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
    if (this.buffered.length < headEnd + 4 + length) return;
    this.buffered = this.buffered.subarray(headEnd + 4 + length);
    const answer = this.onAnswer;
    this.onAnswer = undefined;
    answer?.(Number(head.slice(9, 12)));
  }
}

/** `rate` requests a second for `seconds`, each on its schedule; latencies from the scheduled times. */
async function openLoop(url: string, target: Target, rate: number, seconds: number): Promise<RateResult> {
  const { hostname, port } = new URL(url);
  const requests = target.bodies.map((body) =>
    Buffer.from(
      `POST ${target.path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    ),
  );
  const samples = new Samples();
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const idle: RawConnection[] = [];
  const all = new Set<RawConnection>();
  // Requests due while every connection is busy wait here, their clocks running: a stalled server's backlog counts
  // in the latency as it would for a client with its own schedule.
  const waiting: Array<{ scheduled: number; request: Buffer }> = [];
  let opening = 0;
  let sent = 0;
  let answered = 0;
  let failed = 0;
  const start = performance.now();
  await new Promise<void>((resolve) => {
    const settle = (scheduled: number, status: number) => {
      if (status === 200) samples.push(performance.now() - scheduled);
      else failed += 1;
      answered += 1;
      if (answered === total) resolve();
    };
    const dispatch = (connection: RawConnection) => {
      const next = waiting.shift();
      if (!next) {
        idle.push(connection);
        return;
      }
      connection.send(next.request, (status) => {
        settle(next.scheduled, status);
        if (all.has(connection)) dispatch(connection);
      });
    };
    const open = () => {
      opening += 1;
      const socket = net.connect(Number(port), hostname, () => {
        opening -= 1;
        const connection: RawConnection = new RawConnection(socket, () => all.delete(connection));
        all.add(connection);
        dispatch(connection);
      });
      socket.once('error', () => (opening -= socket.connecting ? 1 : 0));
    };
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
      for (; sent < due; sent += 1) {
        waiting.push({ scheduled: start + sent * interval, request: requests[sent % requests.length] as Buffer });
        const connection = idle.pop();
        if (connection) dispatch(connection);
        else if (all.size + opening < MAX_CONNECTIONS) open();
      }
      if (sent < total) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
    };
    tick();
  });
  const elapsed = (performance.now() - start) / 1000;
  for (const connection of all) connection.close();
  const sorted = samples.sorted();
  return {
    offered: rate,
    achieved: samples.count / elapsed,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    p999: percentile(sorted, 99.9),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    failed,
  };
}

async function measure(target: Target): Promise<{ max: number; rates: RateResult[] }> {
  const server = await target.start();
  try {
    const max = await maximum(server.url, target);
    const rates: RateResult[] = [];
    for (const share of SHARES) rates.push(await openLoop(server.url, target, Math.max(1, Math.round(max * share)), SECONDS));
    return { max, rates };
  } finally {
    await server.stop();
  }
}

async function main(): Promise<number> {
  const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ordergate-open-'));
  process.on('exit', () => {
    killAllChildrenSync();
    fs.rmSync(dataRoot, { recursive: true, force: true });
  });
  const database = await benchDatabase();
  const ordergate = (env: Record<string, string>) =>
    startServer({
      name: 'ordergate',
      script: 'bench/ordergate-server.ts',
      cwd: ROOT,
      nodeArgs: startScriptNodeFlags(),
      env: { ...ordergateEnv(fs.mkdtempSync(path.join(dataRoot, 'data-'))), ...env },
    });
  const targets: Target[] = [
    {
      name: 'bare node:http POST',
      path: '/',
      bodies: [MARKET_BUY],
      start: () => startServer({ name: 'bare', script: 'bench/bare-server.ts', cwd: ROOT, env: { PORT: '0', HOST: '127.0.0.1' } }),
    },
    {
      name: 'Ordergate placeorder MARKET, SQLite',
      p99AtHalf: 5,
      path: '/api/v1/placeorder',
      bodies: [MARKET_BUY, MARKET_SELL],
      // An empty DATABASE_URL is SQLite, whatever the runner's environment says.
      start: () => ordergate({ DATABASE_URL: '' }),
    },
  ];
  if ('freshSchema' in database) {
    targets.push({
      name: 'Ordergate placeorder MARKET, PostgreSQL',
      p99AtHalf: 10,
      path: '/api/v1/placeorder',
      bodies: [MARKET_BUY, MARKET_SELL],
      start: async () => ordergate({ DATABASE_URL: await database.freshSchema() }),
    });
  }
  const rows: string[][] = [];
  const verdicts: string[] = [];
  let failures = 0;
  for (const target of targets) {
    const { max, rates } = await measure(target);
    const half = rates.find((r, i) => SHARES[i] === 0.5);
    if (target.p99AtHalf !== undefined && half) {
      const met = half.p99 <= target.p99AtHalf ? 'PASS' : 'FAIL';
      verdicts.push(`  [${met}] ${target.name}: p99 ≤ ${target.p99AtHalf} ms at 50 % of its maximum: ${fixed(half.p99, 2)} ms`);
    }
    for (const r of rates) {
      failures += r.failed;
      rows.push([
        target.name,
        `${grouped(max)}`,
        `${grouped(r.offered)} (${fixed((r.offered / max) * 100, 0)} %)`,
        grouped(r.achieved),
        fixed(r.p50, 2),
        fixed(r.p99, 2),
        fixed(r.p999, 2),
        fixed(r.max, 1),
        String(r.failed),
      ]);
    }
  }
  console.log(`Open-loop latency: ${SECONDS} s per offered rate, after a ${MAX_SECONDS} s closed-loop run (${CONNECTIONS} connections) for the maximum`);
  console.log(`${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}\n`);
  console.log(
    markdownTable(
      ['server', 'max req/s (closed)', 'offered req/s', 'answered req/s', 'p50 ms', 'p99 ms', 'p99.9 ms', 'max ms', 'failed'],
      rows,
    ),
  );
  console.log('\nlatency: from each request\'s scheduled send time to the end of its answer, every request counted');
  if (verdicts.length > 0) console.log(['\nTargets (informational, the exit code ignores them):', ...verdicts].join('\n'));
  if ('freshSchema' in database) await database.drop();
  else console.log(`PostgreSQL: not measured: ${database.unavailable}`);
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main();
