// Keys never written down: a real `ordergate start` (its log at the default level) gets API keys in every place a
// client might put them; then its output and every file of its data folder are searched for them. The banner may
// show the first 16 characters of an operator-supplied key, and nothing else of any key appears.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'ordergate.js');
const PRESET = '5ec12e7a'.repeat(8);
const RUNNING = /^Ordergate is running on the paper exchange at (http:\/\/127\.0\.0\.1:\d+)$/m;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordergate-scan-'));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** Runs `ordergate ARGS` with the data folder; resolves with its output once `ready(stdout)` holds or it exits. */
function ordergate(args: string[], ready: (stdout: string) => boolean = () => false) {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('ORDERGATE_') && name !== 'LOG_LEVEL') env[name] = value;
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...env, ORDERGATE_DATA_DIR: dataDir, PORT: '0', ORDERGATE_BOOTSTRAP_API_KEY: PRESET, ORDERGATE_ADMIN_PASSWORD: 'a long admin password' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  const started = new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output.stdout += chunk;
      if (ready(output.stdout)) resolve();
    });
    void exited.then(() => (ready(output.stdout) ? resolve() : reject(new Error(`exited:\n${output.stdout}\n${output.stderr}`))));
  });
  started.catch(() => undefined);
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  return { child, output, started, exited };
}

/** Every way a client may present a key over HTTP: body, query (plain and percent-encoded names), path, headers. */
async function presentEverywhere(url: string, key: string): Promise<number[]> {
  const post = (route: string, body: string, headers: Record<string, string> = {}) =>
    fetch(`${url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const get = (route: string, headers: Record<string, string> = {}) => fetch(`${url}${route}`, { headers });
  const order = { apikey: key, strategy: 'scan', exchange: 'NSE', symbol: 'SBIN', action: 'BUY', quantity: '1', pricetype: 'MARKET', product: 'MIS' };
  const answers = [
    await post('/api/v1/funds', JSON.stringify({ apikey: key })),
    await post('/api/v1/placeorder', JSON.stringify(order), { 'idempotency-key': 'scan-1' }),
    await post('/api/v1/placeorder', JSON.stringify({ ...order, quantity: 'many' })),
    await post('/api/v1/placeorder', `{"apikey":"${key}", "symbol": }`),
    await post('/api/v1/funds', JSON.stringify({ apikey: `${key}0` })),
    await get(`/api/v1/instruments?exchange=NSE_INDEX&apikey=${key}`),
    await get(`/api/v1/instruments?ap%69key=${key}&exchange=NSE_INDEX`),
    await get(`/api/v1/instruments?%61pikey=${key}&exchange=NSE_INDEX`),
    await get(`/api/v1/instruments;apikey=${key}`),
    await get(`/api/v1/instruments&apikey=${key}`),
    await get(`/api/v1/${key}/funds`),
    await get(`/api/v1/instruments?exchange=NSE_INDEX&apikey=${[...key].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')}`),
    await get('/api/admin/accounts', { 'x-api-key': key }),
    await get('/api/admin/accounts', { authorization: `Bearer ${key}` }),
    await post('/api/v1/analyzer/toggle', JSON.stringify({ apikey: key, mode: true })),
    await post('/api/v1/placeorder', JSON.stringify(order)),
    await post('/api/v1/analyzer/toggle', JSON.stringify({ apikey: key, mode: false })),
  ];
  for (const answer of answers) await answer.arrayBuffer();
  return answers.map((answer) => answer.status);
}

/** A WebSocket client authenticating with the key in its message, and one with the key in the URL. */
async function presentOverWebSocket(url: string, key: string): Promise<unknown[]> {
  const frames: unknown[] = [];
  for (const [address, first] of [
    [`${url.replace('http', 'ws')}/ws`, { action: 'authenticate', api_key: key }],
    [`${url.replace('http', 'ws')}/ws?apikey=${key}`, { action: 'authenticate', apikey: `${key}00` }],
  ] as const) {
    const socket = new WebSocket(address);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send(JSON.stringify(first));
    frames.push(JSON.parse(String(await new Promise((resolve) => socket.once('message', resolve)))));
    socket.close();
    await new Promise((resolve) => socket.once('close', resolve));
  }
  return frames;
}

/** Every file under `dir` (the databases, their WAL files, the pepper), as bytes. */
function filesUnder(dir: string): Array<{ file: string; bytes: Buffer }> {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return { file, bytes: fs.readFileSync(file) };
    });
}

describe('API keys in the log and the data folder', { timeout: 60_000 }, () => {
  it('appear nowhere after a run that used them everywhere, but for the 16 characters the banner shows', async () => {
    const server = ordergate(['start'], (stdout) => RUNNING.test(stdout));
    await server.started;
    const url = RUNNING.exec(server.output.stdout)![1]!;
    const created = ordergate(['keys', 'create']);
    await created.exited;
    const second = created.output.stdout.trim().split('\n').at(-1)!;
    expect(second).toMatch(/^[0-9a-f]{64}$/);

    for (const key of [PRESET, second]) {
      expect(await presentEverywhere(url, key)).toEqual([200, 200, 400, 400, 403, 200, 200, 200, 404, 404, 404, 200, 403, 401, 200, 200, 200]);
      expect(await presentOverWebSocket(url, key)).toEqual([
        expect.objectContaining({ status: 'success' }),
        expect.objectContaining({ status: 'error' }),
      ]);
    }
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    // The whole key, in either case, and any 20 characters of it.
    const pieces = (key: string) => [key, key.toUpperCase(), key.slice(0, 20), key.slice(22, 42), key.slice(44)];
    const log = server.output.stdout + server.output.stderr;
    expect(log).toContain(`  ${PRESET.slice(0, 16)}…\n`);
    for (const key of [PRESET, second]) {
      for (const piece of pieces(key)) {
        expect(log.includes(piece), `the log holds ${piece}`).toBe(false);
        for (const { file, bytes } of filesUnder(dataDir)) {
          expect(bytes.includes(piece), `${file} holds ${piece}`).toBe(false);
        }
      }
    }
    // The run was logged, with its paths redacted.
    expect(log).toContain('"url":"/api/v1/instruments;apikey=[redacted]"');
  });
});
