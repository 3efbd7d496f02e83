// The WebSocket stream under load: many clients, each subscribed to a few symbols, on a walking market ticked often.
// Measures market_data frames delivered per second and tick-to-client latency (the frame's `timestamp`, taken when the
// tick read the market, against the client's receive time; one machine, one clock, whole milliseconds). Never part of
// `npm test`.
//   node --import ./bin/typescript.mjs bench/ws-run.ts
//
// Each case gets a fresh server in its own process (bench/ws-server.ts); this process holds every client. Cases:
//   walk        the walking market as it is: it moves once per second (its step), so each symbol changes about once a
//               second whatever the tick, and the heartbeat repeats a quiet one every 10 ticks
//   every-tick  the same, and the server moves every pool symbol by one price tick on every tick, so every
//               subscription gets a frame per tick
//   stalled     every-tick, beside BENCH_WS_STALLED more clients that subscribe to BENCH_WS_STALLED_SYMBOLS instruments
//               in Depth mode and then never read: what such clients cost the others shows as this case's latency
//               against every-tick's; the report says how many of them the server closed (it should close them all,
//               1013, once they are 4 MiB behind)
// Environment:
//   BENCH_WS_CLIENTS   clients (default 1000)
//   BENCH_WS_SYMBOLS   symbols per client (default 10)
//   BENCH_WS_POOL      distinct NSE equities the clients' symbols are drawn from (default 100)
//   BENCH_WS_TICK_MS   the stream's (and the matching loop's) tick (default 100)
//   BENCH_WS_CASES     comma-separated case ids (default: all)
//   BENCH_WS_STALLED   clients that never read, in the stalled case (default 10)
//   BENCH_WS_STALLED_SYMBOLS  instruments each of them subscribes to in Depth mode (default 1000, master order)
//   BENCH_DURATION     seconds measured per case (default 10)
//   BENCH_WARMUP       seconds after the last subscription before measuring (default 3)
// Even-numbered clients subscribe in LTP mode, odd-numbered ones in Quote mode.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { istDate } from '../src/domain/clock.js';
import { buildInstruments } from '../src/exchange/instruments/master.js';
import { killAllChildrenSync, processCpuMs, startServer } from './children.js';
import { Samples, fixed, grouped, markdownTable, percentile } from './stats.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const API_KEY = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

const CLIENTS = positive('BENCH_WS_CLIENTS', 1000);
const SYMBOLS = positive('BENCH_WS_SYMBOLS', 10);
const POOL = positive('BENCH_WS_POOL', 100);
const TICK_MS = positive('BENCH_WS_TICK_MS', 100);
const DURATION = positive('BENCH_DURATION', 10);
const WARMUP = positive('BENCH_WARMUP', 3);
const STALLED = positive('BENCH_WS_STALLED', 10);
const STALLED_SYMBOLS = positive('BENCH_WS_STALLED_SYMBOLS', 1000);
const ONLY = process.env.BENCH_WS_CASES?.split(',').map((s) => s.trim()).filter(Boolean);
const CONNECT_BATCH = 50;

interface Case {
  id: string;
  /** Pool symbols the server moves on every tick. */
  nudge: number;
  /** Clients that subscribe in Depth mode and never read. */
  stalled: number;
}

const CASES: Case[] = [
  { id: 'walk', nudge: 0, stalled: 0 },
  { id: 'every-tick', nudge: POOL, stalled: 0 },
  { id: 'stalled', nudge: POOL, stalled: STALLED },
];

type ModeName = 'LTP' | 'Quote';

/** What the clients of one mode saw while measuring. */
interface Meter {
  frames: number;
  latency: Samples;
}

interface Measured {
  kase: Case;
  seconds: number;
  connectSeconds: number;
  meters: Record<ModeName, Meter>;
  serverCpu: number;
  clientCpu: number;
  lost: number;
  /** Stalled clients the server had closed by the end of the measurement. */
  stalledClosed: number;
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number`);
  return value;
}

// The first POOL NSE equities, in master order (the server's BENCH_WS_NUDGE takes the same ones).
function symbolPool(): string[] {
  const equities = buildInstruments(istDate(Date.now())).filter((i) => i.exchange === 'NSE' && i.instrumentType === 'EQ');
  return equities.slice(0, POOL).map((i) => i.symbol);
}

// What the stalled clients subscribe to: the first STALLED_SYMBOLS instruments of the master, any exchange.
function stalledSymbols(): Array<{ symbol: string; exchange: string }> {
  return buildInstruments(istDate(Date.now()))
    .slice(0, STALLED_SYMBOLS)
    .map(({ symbol, exchange }) => ({ symbol, exchange }));
}

/** A client that subscribes in Depth mode, then stops reading (its socket paused), as a hung consumer does. */
class StalledClient {
  closed = false;
  private constructor(readonly socket: WebSocket) {
    socket.on('close', () => {
      this.closed = true;
    });
  }

  static open(url: string, symbols: Array<{ symbol: string; exchange: string }>): Promise<StalledClient> {
    const socket = new WebSocket(url, { perMessageDeflate: false });
    const client = new StalledClient(socket);
    return new Promise((resolve, reject) => {
      socket.on('open', () => socket.send(JSON.stringify({ action: 'authenticate', api_key: API_KEY })));
      socket.on('error', reject);
      socket.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type?: string; status?: string };
        if (message.type === 'auth') socket.send(JSON.stringify({ action: 'subscribe', symbols, mode: 3 }));
        else if (message.type === 'subscribe') {
          socket.pause();
          socket.removeAllListeners('message');
          if (message.status === 'error') reject(new Error(`stalled client: subscription ${message.status}`));
          else resolve(client);
        }
      });
    });
  }
}

/** Reads again what each stalled client was sent, until all have closed or `ms` passed; how many had been closed. */
async function closedByServer(clients: StalledClient[], ms: number): Promise<number> {
  for (const client of clients) client.socket.resume();
  const deadline = Date.now() + ms;
  while (clients.some((c) => !c.closed) && Date.now() < deadline) await sleep(50);
  return clients.filter((c) => c.closed).length;
}

class Load {
  measuring = false;
  lost = 0;
  readonly meters: Record<ModeName, Meter> = {
    LTP: { frames: 0, latency: new Samples() },
    Quote: { frames: 0, latency: new Samples() },
  };

  /** Connects, authenticates and subscribes one client; resolves when the subscription is acknowledged. */
  connect(url: string, index: number, pool: string[]): Promise<WebSocket> {
    const mode: ModeName = index % 2 === 0 ? 'LTP' : 'Quote';
    const symbols = Array.from({ length: SYMBOLS }, (_, k) => ({ symbol: pool[(index * SYMBOLS + k) % pool.length], exchange: 'NSE' }));
    const meter = this.meters[mode];
    const socket = new WebSocket(url, { perMessageDeflate: false });
    return new Promise((resolve, reject) => {
      let ready = false;
      socket.on('open', () => socket.send(JSON.stringify({ action: 'authenticate', api_key: API_KEY })));
      socket.on('message', (data) => {
        const received = Date.now();
        const message = JSON.parse(String(data)) as { type?: string; status?: string; data?: { timestamp: number } };
        if (message.type === 'market_data') {
          if (!this.measuring || !message.data) return;
          meter.frames += 1;
          meter.latency.push(received - message.data.timestamp);
        } else if (message.type === 'auth') {
          socket.send(JSON.stringify({ action: 'subscribe', symbols, mode }));
        } else if (message.type === 'subscribe' && !ready) {
          ready = true;
          if (message.status === 'success') resolve(socket);
          else reject(new Error(`client ${index}: subscription ${message.status}`));
        } else if (message.status === 'error') {
          reject(new Error(`client ${index}: ${JSON.stringify(message)}`));
        }
      });
      socket.on('error', (error) => {
        if (!ready) reject(error);
      });
      socket.on('close', () => {
        if (ready && this.measuring) this.lost += 1;
      });
    });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runCase(kase: Case, pool: string[], heavy: Array<{ symbol: string; exchange: string }>): Promise<Measured> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordergate-ws-bench-'));
  const server = await startServer({
    name: `ordergate-ws ${kase.id}`,
    script: 'bench/ws-server.ts',
    cwd: ROOT,
    env: {
      PORT: '0',
      ORDERGATE_DATA_DIR: dataDir,
      ORDERGATE_BOOTSTRAP_API_KEY: API_KEY,
      ORDERGATE_MARKET: 'walk',
      ORDERGATE_TICK_MS: String(TICK_MS),
      LOG_LEVEL: 'warn',
      BENCH_WS_NUDGE: String(kase.nudge),
    },
  });
  const load = new Load();
  const clients: WebSocket[] = [];
  const stalled: StalledClient[] = [];
  try {
    const url = `${server.url.replace(/^http/, 'ws')}/ws`;
    const connectStarted = performance.now();
    for (let first = 0; first < CLIENTS; first += CONNECT_BATCH) {
      const count = Math.min(CONNECT_BATCH, CLIENTS - first);
      clients.push(...(await Promise.all(Array.from({ length: count }, (_, k) => load.connect(url, first + k, pool)))));
    }
    const connectSeconds = (performance.now() - connectStarted) / 1000;
    for (let i = 0; i < kase.stalled; i++) stalled.push(await StalledClient.open(url, heavy));
    await sleep(WARMUP * 1000);

    const serverCpuBefore = processCpuMs(server.pid);
    const ownCpuBefore = process.cpuUsage();
    load.measuring = true;
    const started = performance.now();
    await sleep(DURATION * 1000);
    load.measuring = false;
    const seconds = (performance.now() - started) / 1000;
    const serverCpuAfter = processCpuMs(server.pid);
    const ownCpu = process.cpuUsage(ownCpuBefore);
    const serverCpu =
      serverCpuBefore === undefined || serverCpuAfter === undefined ? Number.NaN : (serverCpuAfter - serverCpuBefore) / (seconds * 10);
    const clientCpu = (ownCpu.user + ownCpu.system) / 1000 / (seconds * 10);
    const stalledClosed = await closedByServer(stalled, 5000);
    return { kase, seconds, connectSeconds, meters: load.meters, serverCpu, clientCpu, lost: load.lost, stalledClosed };
  } finally {
    for (const client of [...clients, ...stalled.map((c) => c.socket)]) client.terminate();
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function report(results: Measured[]): string {
  const rows: string[][] = [];
  const ltpClients = Math.ceil(CLIENTS / 2);
  for (const result of results) {
    const row = (mode: string, clients: number, frames: number, latency: Samples) => {
      const sorted = latency.sorted();
      return [
        result.kase.id,
        mode,
        grouped(clients * SYMBOLS),
        grouped(frames / result.seconds),
        fixed(percentile(sorted, 50), 0),
        fixed(percentile(sorted, 90), 0),
        fixed(percentile(sorted, 99), 0),
        fixed(percentile(sorted, 100), 0),
        fixed(result.serverCpu, 0),
        fixed(result.clientCpu, 0),
      ];
    };
    const all = new Samples();
    for (const meter of Object.values(result.meters)) for (const value of meter.latency.sorted()) all.push(value);
    const { LTP, Quote } = result.meters;
    rows.push(row('LTP', ltpClients, LTP.frames, LTP.latency));
    rows.push(row('Quote', CLIENTS - ltpClients, Quote.frames, Quote.latency));
    rows.push(row('all', CLIENTS, LTP.frames + Quote.frames, all));
  }
  const header = ['case', 'mode', 'subscriptions', 'frames/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'server CPU %', 'clients CPU %'];
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return [
    `WebSocket stream: ${grouped(CLIENTS)} clients × ${SYMBOLS} symbols from ${POOL} NSE equities, tick ${TICK_MS} ms, ` +
      `${DURATION} s measured per case after ${WARMUP} s warm-up`,
    `${os.cpus().length} × ${cpu}, Node ${process.version}`,
    '',
    markdownTable(header, rows),
    '',
    ...results.map(
      (r) =>
        `${r.kase.id}: clients connected and subscribed in ${fixed(r.connectSeconds, 1)} s; connections lost while measuring: ${r.lost}` +
        (r.kase.stalled > 0
          ? `; ${r.kase.stalled} clients that never read (${grouped(STALLED_SYMBOLS)} Depth subscriptions each), closed by the server: ${r.stalledClosed}`
          : ''),
    ),
    "latency: client receive time − the frame's timestamp (set when the tick read the market), whole ms; CPU: % of one core",
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  process.on('exit', killAllChildrenSync);
  const pool = symbolPool();
  const heavy = stalledSymbols();
  const results: Measured[] = [];
  for (const kase of CASES.filter((c) => !ONLY || ONLY.includes(c.id))) results.push(await runCase(kase, pool, heavy));
  process.stdout.write(report(results));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
