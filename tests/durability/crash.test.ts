// Acknowledged orders survive a crash: a real server (`node bin/ordergate.js start`) is loaded with concurrent orders
// and SIGKILLed mid-load, then restarted on the same data. Every order that got a success answer must be there with
// its id and state; the books and funds must equal an independent replay of the journal; the journal must hold no
// half-written batch. Then SIGTERM under load: in-flight requests are answered, the process exits 0, nothing is lost.
// The PostgreSQL pass runs all of it with the journal in PostgreSQL.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { ManualClock } from '../../src/domain/clock.js';
import { GENEROUS_RATE_LIMITS, TEST_KEY, postJson } from '../api/harness.js';
import { databaseEnvFor, onPostgres } from '../postgres-database.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'ordergate.js');
const RUNNING = /at (http:\/\/127\.0\.0\.1:\d+)/;
const WORKERS = 24;

const ENV = {
  ORDERGATE_BOOTSTRAP_API_KEY: TEST_KEY,
  ORDERGATE_MARKET: 'frozen',
  ORDERGATE_ADMIN_PASSWORD: 'crash test password',
  LOG_LEVEL: 'silent',
  ...GENEROUS_RATE_LIMITS,
};

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

interface Server {
  child: ChildProcess;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function start(dataDir: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Server> {
  const database = await databaseEnvFor(dataDir);
  const env: NodeJS.ProcessEnv = { ...process.env, ...ENV, ...database, ...extraEnv, ORDERGATE_DATA_DIR: dataDir, PORT: '0' };
  const child = spawn(process.execPath, [BIN, 'start'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const match = RUNNING.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    void exited.then(() => reject(new Error(`server exited before serving:\n${output}`)));
  });
  return { child, url, exited };
}

type Kind = 'market' | 'resting';
interface Acked {
  orderid: string;
  kind: Kind;
}

/**
 * Workers placing orders until `stop()`: MARKET BUY/SELL 1 SBIN (fill at once) and LIMIT BUY at ₹100 (rests), and
 * cancels of some resting ones. Only answered requests are recorded; a request cut by the crash is unknown.
 */
function load(url: string, atCount?: { count: number; then: () => void }) {
  const acked: Acked[] = [];
  const cancelled = new Set<string>();
  const cancelSent = new Set<string>();
  const statuses = new Map<number, number>();
  let running = true;
  const order = { apikey: TEST_KEY, strategy: 'crash', exchange: 'NSE', symbol: 'SBIN', product: 'MIS', quantity: 1 };
  const worker = async (n: number) => {
    for (let i = 0; running; i += 1) {
      try {
        if (i % 4 === 3) {
          const target = [...acked].reverse().find((a) => a.kind === 'resting' && !cancelSent.has(a.orderid));
          if (!target) continue;
          cancelSent.add(target.orderid);
          const answer = await postJson(url, '/api/v1/cancelorder', { apikey: TEST_KEY, orderid: target.orderid });
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          if (answer.status === 200) cancelled.add(target.orderid);
          continue;
        }
        const kind: Kind = i % 4 === 2 ? 'resting' : 'market';
        const body =
          kind === 'market'
            ? { ...order, action: (n + i) % 2 === 0 ? 'BUY' : 'SELL', pricetype: 'MARKET' }
            : { ...order, action: 'BUY', pricetype: 'LIMIT', price: '100' };
        const answer = await postJson(url, '/api/v1/placeorder', body);
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status === 200) {
          acked.push({ orderid: answer.body.orderid as string, kind });
          // Act the moment the answer arrives, while the server may still hold the next batch uncommitted.
          if (acked.length === atCount?.count) atCount.then();
        }
      } catch {
        // The connection died with the server: this request's fate is unknown, which is allowed.
        if (!running) return;
      }
    }
  };
  const done = Promise.all(Array.from({ length: WORKERS }, (_, n) => worker(n)));
  return {
    acked,
    cancelled,
    cancelSent,
    statuses,
    async until(count: number) {
      while (acked.length < count) await new Promise((resolve) => setTimeout(resolve, 5));
    },
    async stop() {
      running = false;
      await done;
    },
  };
}

async function v1(url: string, route: string, body: Record<string, unknown> = {}) {
  return postJson(url, `/api/v1/${route}`, { apikey: TEST_KEY, ...body });
}

/** The account's books as the v1 API reports them. */
async function books(url: string) {
  return {
    orders: (await v1(url, 'orderbook')).body,
    trades: (await v1(url, 'tradebook')).body,
    positions: (await v1(url, 'positionbook')).body,
    funds: (await v1(url, 'funds')).body,
  };
}

async function expectAckedPresent(url: string, traffic: ReturnType<typeof load>) {
  for (const { orderid, kind } of traffic.acked) {
    const answer = await v1(url, 'orderstatus', { orderid, strategy: 'crash' });
    expect(answer.status, orderid).toBe(200);
    const status = (answer.body.data as { order_status: string; orderid: string }).order_status;
    expect((answer.body.data as { orderid: string }).orderid).toBe(orderid);
    if (kind === 'market') expect(status, orderid).toBe('complete');
    else if (traffic.cancelled.has(orderid)) expect(status, orderid).toBe('cancelled');
    // A cancel cut by the crash may or may not have committed.
    else if (traffic.cancelSent.has(orderid)) expect(['open', 'cancelled'], orderid).toContain(status);
    else expect(status, orderid).toBe('open');
  }
}

interface JournalRow {
  account_id: string;
  seq: number;
  type: string;
  body: string;
}

/** The live journal's rows in commit order: journal.db's, or the PostgreSQL database's of the data folder. */
async function journalRows(dataDir: string): Promise<JournalRow[]> {
  const query = 'SELECT account_id, seq, type, body FROM events ORDER BY position';
  if (onPostgres()) {
    const client = new pg.Client({ connectionString: (await databaseEnvFor(dataDir)).DATABASE_URL });
    await client.connect();
    try {
      return (await client.query<JournalRow>(query)).rows.map((row) => ({ ...row, seq: Number(row.seq) }));
    } finally {
      await client.end();
    }
  }
  const db = new BetterSqlite3(path.join(dataDir, 'journal.db'), { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    return db.prepare<[], JournalRow>(query).all();
  } finally {
    db.close();
  }
}

/** The journal holds whole batches only: per-account numbers without gaps, and nothing that names an unknown order. */
async function expectWholeJournal(dataDir: string): Promise<number> {
  const rows = await journalRows(dataDir);
  const lastSeq = new Map<string, number>();
  const accepted = new Set<string>();
  for (const row of rows) {
    expect(row.seq).toBe((lastSeq.get(row.account_id) ?? 0) + 1);
    lastSeq.set(row.account_id, row.seq);
    const event = JSON.parse(row.body) as { order?: { id: string }; fill?: { orderId: string }; orderId?: string };
    if (row.type === 'order.accepted' || row.type === 'order.rejected') accepted.add(event.order?.id ?? '');
    if (row.type === 'order.fill') expect(accepted.has(event.fill?.orderId ?? '')).toBe(true);
    if (row.type === 'order.cancelled') expect(accepted.has(event.orderId ?? '')).toBe(true);
  }
  return rows.length;
}

describe('crash and shutdown', { timeout: 120_000 }, () => {
  it('after SIGKILL mid-load, every acknowledged order is back with its id and state, and the books equal a replay', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordergate-crash-'));
    dirs.push(dataDir);
    const first = await start(dataDir);
    const traffic = load(first.url, { count: 400, then: () => first.child.kill('SIGKILL') });
    await traffic.until(400);
    expect((await first.exited).signal).toBe('SIGKILL');
    await traffic.stop();
    expect(traffic.acked.length).toBeGreaterThanOrEqual(400);

    // An independent replay: a copy of the data, opened by a gateway in this process (on PostgreSQL, a second data
    // folder with the same pepper on the same database, which the restarted server does not write to).
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'ordergate-replay-'));
    dirs.push(copy);
    fs.cpSync(dataDir, copy, { recursive: true });
    const events = await expectWholeJournal(onPostgres() ? dataDir : copy);

    const second = await start(dataDir);
    await expectAckedPresent(second.url, traffic);
    const replay = await createGateway({
      config: loadConfig({ ...ENV, ...(await databaseEnvFor(dataDir)), ORDERGATE_DATA_DIR: copy, PORT: '0' }),
      clock: new ManualClock(Date.now()),
    });
    try {
      const replayUrl = await replay.listen();
      expect(await books(second.url)).toEqual(await books(replayUrl));
    } finally {
      await replay.close();
    }
    expect(await expectWholeJournal(dataDir)).toBe(events);

    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  });

  it('on SIGTERM under load, requests in flight are answered, the process exits 0, and every acknowledged order stays', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordergate-term-'));
    dirs.push(dataDir);
    const first = await start(dataDir);
    const traffic = load(first.url);
    await traffic.until(200);
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    await traffic.stop();
    // Answers during the shutdown are successes or 503s (Fastify refuses new requests while closing), never 5xx others.
    for (const status of traffic.statuses.keys()) expect([200, 503]).toContain(status);

    const second = await start(dataDir);
    await expectAckedPresent(second.url, traffic);
    await expectWholeJournal(dataDir);
    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  });

  it(
    'on SIGTERM, an answer still in flight closes its keep-alive connection, and the process exits 0 without waiting for the client',
    { timeout: 30_000 },
    async () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordergate-term-'));
      dirs.push(dataDir);
      // Split children are paced at the order limit: ten of them keep the request in flight for about a second.
      const server = await start(dataDir, { ORDER_RATE_LIMIT: '10 per second' });
      const agent = new http.Agent({ keepAlive: true });
      try {
        const split = postKeepingAlive(agent, `${server.url}/api/v1/splitorder`, {
          apikey: TEST_KEY,
          strategy: 'term',
          exchange: 'NSE',
          symbol: 'SBIN',
          product: 'MIS',
          action: 'BUY',
          pricetype: 'MARKET',
          quantity: 10,
          splitsize: 1,
        });
        while (((await v1(server.url, 'orderbook')).body.data as { orders: unknown[] }).orders.length === 0) {
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
        server.child.kill('SIGTERM');
        const answer = await split;
        expect(answer.status).toBe(200);
        expect((answer.body.results as Array<{ status: string }>).map((r) => r.status)).toEqual(Array(10).fill('success'));
        // Told not to reuse the connection, which the server closes: nothing holds the shutdown up for the
        // keep-alive timeout (72 s) of an idle client.
        expect(answer.connection).toBe('close');
        expect(await server.exited).toEqual({ code: 0, signal: null });
      } finally {
        agent.destroy();
      }
    },
  );
});

/** POSTs JSON over `agent` (a keep-alive one); the answer's status, body and Connection header. */
function postKeepingAlive(agent: http.Agent, url: string, body: unknown) {
  return new Promise<{ status: number; body: Record<string, unknown>; connection: string | undefined }>((resolve, reject) => {
    const request = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown>, connection: response.headers.connection }),
      );
    });
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}
