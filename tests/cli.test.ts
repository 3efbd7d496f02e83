// The `ordergate` command as a user runs it: real child processes of `node bin/ordergate.js` (and `npx ordergate`),
// each on its own temporary data directory, talking to the server they start over HTTP. PORT=0 lets the OS pick a
// free port; the URL the server prints carries it. In the PostgreSQL pass (vitest.postgres.config.ts) each data
// directory also gets a schema of its own, named to every command on it as DATABASE_URL.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freshSchema, onPostgres } from './postgres-database.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'ordergate.js');
const FIXTURE = path.join(ROOT, 'tests', 'fixtures', 'data-2026-12-07');
const KEY_LINE = /^[0-9a-f]{64}$/;
const RUNNING = /^Ordergate is running on the paper exchange at (http:\/\/127\.0\.0\.1:(\d+))$/m;
const NEW_KEY = /^Your API key \(shown once; only its hash is stored; `npx ordergate keys create` makes more\):\n {2}(\S+)$/m;
const KEYS_EXIST = '  API keys exist already; `npx ordergate keys create` prints a new one.';
const PRESET_KEY = /^Your API key is the one ORDERGATE_BOOTSTRAP_API_KEY set \(only its hash is stored; `npx ordergate keys create` makes more\):\n {2}([0-9a-f]{16})…$/m;
const STARTUP_MS = 20_000;

interface Run {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

interface Server {
  run: Run;
  url: string;
  /** The key printed by this start, if it printed one. */
  key?: string;
}

const children: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(
    children.splice(0).map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }),
  );
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordergate-cli-'));
  dirs.push(dir);
  return dir;
}

/** The environment a user's shell would give: ours without any Ordergate settings, plus the ones given. */
function userEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const settings = ['PORT', 'HOST', 'LOG_LEVEL', 'DATABASE_URL'];
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('ORDERGATE_') && !settings.includes(name)) env[name] = value;
  }
  return { ...env, ...extra };
}

/** The PostgreSQL schema of each data directory, in the PostgreSQL pass. */
const databases = new Map<string, Promise<string>>();

/** `env` with DATABASE_URL naming the data directory's own schema in the PostgreSQL pass; `env` as it is otherwise. */
async function onEngine(env: Record<string, string>): Promise<Record<string, string>> {
  const dataDir = env.ORDERGATE_DATA_DIR;
  if (!onPostgres() || dataDir === undefined) return env;
  if (!databases.has(dataDir)) databases.set(dataDir, freshSchema());
  return { DATABASE_URL: await databases.get(dataDir)!, ...env };
}

/**
 * The answer `probe` gives once a running server has seen a CLI change: SQLite's from the next request on, so it is
 * asked once; PostgreSQL's arrives through LISTEN/NOTIFY, so it is asked again for up to two seconds until it is
 * `expected`.
 */
async function seen<T>(probe: () => Promise<T>, expected: T): Promise<T> {
  const deadline = Date.now() + (onPostgres() ? 2000 : 0);
  for (;;) {
    const answer = await probe();
    if (isDeepStrictEqual(answer, expected) || Date.now() >= deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function run(command: string, args: string[], env: Record<string, string>, input?: string): Run {
  const child = spawn(command, args, { cwd: ROOT, env: userEnv(env), stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
  if (input !== undefined) child.stdin?.end(input);
  children.push(child);
  const result: Run = {
    child,
    stdout: '',
    stderr: '',
    exit: new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve({ code, signal }));
    }),
  };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (result.stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (result.stderr += chunk));
  return result;
}

/** Runs `ordergate <args>` to completion (with its output fully read). */
async function ordergate(args: string[], env: Record<string, string>, input?: string) {
  const started = run(process.execPath, [BIN, ...args], await onEngine(env), input);
  const { code, signal } = await started.exit;
  await streamsClosed(started.child);
  return { code, signal, stdout: started.stdout, stderr: started.stderr };
}

function streamsClosed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.stdout?.closed !== false && child.stderr?.closed !== false) resolve();
    else child.once('close', () => resolve());
  });
}

/** `ordergate start` on the data dir; resolves once the banner (URL and key or "keys exist") is printed. */
async function startServer(dataDir: string, env: Record<string, string> = {}): Promise<Server> {
  const server = run(process.execPath, [BIN, 'start'], await onEngine({ ORDERGATE_DATA_DIR: dataDir, PORT: '0', ...env }));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner within ${STARTUP_MS} ms:\n${server.stdout}\n${server.stderr}`)), STARTUP_MS);
    const check = () => {
      const running = RUNNING.exec(server.stdout);
      const key = NEW_KEY.exec(server.stdout);
      if (running?.[1] && (key || PRESET_KEY.test(server.stdout) || server.stdout.includes(KEYS_EXIST))) {
        clearTimeout(timer);
        server.child.stdout?.off('data', check);
        resolve({ run: server, url: running[1], key: key?.[1] });
      }
    };
    server.child.stdout?.on('data', check);
    void server.exit.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`ordergate start exited (${code ?? signal}) before serving:\n${server.stdout}\n${server.stderr}`));
    }, reject);
  });
}

async function stopServer(server: Server) {
  server.run.child.kill('SIGTERM');
  return server.run.exit;
}

async function post(url: string, route: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}/api/v1/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

const PONG = { status: 200, body: { status: 'success', data: { message: 'pong', broker: 'paper' } } };
const INVALID_KEY = { status: 403, body: { status: 'error', message: 'Invalid openalgo apikey' } };
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1) ?? '';
const ADMIN_PASSWORD = /^ {2}username admin {3}password (\S+)$/m;

async function adminLogin(url: string, username: string, password: string): Promise<{ status: number; token?: string }> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await response.json()) as { access_token?: string };
  return { status: response.status, token: body.access_token };
}

async function adminGet(url: string, route: string, token: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}/api/admin${route}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: await response.json() };
}

describe('ordergate start', { timeout: 60_000 }, () => {
  it('prints the URL and a new key on a fresh data dir, exits 0 on SIGTERM, and a restart keeps that key', async () => {
    const dataDir = tempDir();
    const first = await startServer(dataDir);
    expect(Number(new URL(first.url).port)).toBeGreaterThan(0);
    expect(first.key).toMatch(KEY_LINE);
    expect(first.run.stdout).toContain(
      `  OpenAlgo v1 API: ${first.url}/api/v1/   docs: ${first.url}/docs   OpenAPI: ${first.url}/api/openapi.json\n`,
    );
    expect(first.run.stdout).toContain(onPostgres() ? `  data: ${dataDir} (pepper)   database: postgres://` : `  data: ${dataDir}\n`);
    expect(await post(first.url, 'ping', { apikey: first.key })).toEqual(PONG);
    expect(await post(first.url, 'ping', { apikey: 'e'.repeat(64) })).toEqual(INVALID_KEY);

    const password = ADMIN_PASSWORD.exec(first.run.stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect((await adminLogin(first.url, 'admin', password ?? '')).status).toBe(200);

    expect(await stopServer(first)).toEqual({ code: 0, signal: null });

    const second = await startServer(dataDir);
    expect(second.run.stdout).not.toContain('Admin API login');
    expect((await adminLogin(second.url, 'admin', password ?? '')).status).toBe(200);
    expect(second.key).toBeUndefined();
    expect(second.run.stdout).not.toContain('Your API key');
    expect(second.run.stdout).toContain(`${KEYS_EXIST}\n`);
    expect(await post(second.url, 'ping', { apikey: first.key })).toEqual(PONG);
    expect(await stopServer(second)).toEqual({ code: 0, signal: null });
  });

  it('uses ORDERGATE_BOOTSTRAP_API_KEY as the first key of a fresh data dir, and shows only its first 16 characters', async () => {
    const preset = '0123456789abcdef'.repeat(4);
    const server = await startServer(tempDir(), { ORDERGATE_BOOTSTRAP_API_KEY: preset });
    expect(server.key).toBeUndefined();
    expect(PRESET_KEY.exec(server.run.stdout)?.[1]).toBe('0123456789abcdef');
    expect(server.run.stdout).not.toContain(preset);
    expect(await post(server.url, 'ping', { apikey: preset })).toEqual(PONG);
    expect(await stopServer(server)).toEqual({ code: 0, signal: null });
  });

  it('refuses a data dir another gateway holds, and a port another server holds: exit 1 with what to do', async () => {
    const dataDir = tempDir();
    const first = await startServer(dataDir);
    const pid = first.run.child.pid;

    const sameDir = await ordergate(['start'], { ORDERGATE_DATA_DIR: dataDir, PORT: '0' });
    expect(sameDir.code).toBe(1);
    expect(sameDir.stdout).toBe('');
    expect(sameDir.stderr).toBe(
      `ordergate: ${dataDir} is in use by another Ordergate (process ${pid}): stop it first, or set ORDERGATE_DATA_DIR to another folder\n`,
    );

    const port = new URL(first.url).port;
    const samePort = await ordergate(['start'], { ORDERGATE_DATA_DIR: tempDir(), HOST: '127.0.0.1', PORT: port });
    expect(samePort.code).toBe(1);
    expect(samePort.stderr).toBe(
      `ordergate: 127.0.0.1:${port} is in use (another Ordergate, or another server): stop it, or set PORT to a free port\n`,
    );

    // The first one never noticed; once it has stopped, the folder is free again.
    expect(await post(first.url, 'ping', { apikey: first.key })).toEqual(PONG);
    expect(await stopServer(first)).toEqual({ code: 0, signal: null });
    const second = await startServer(dataDir);
    // Stopped the moment its banner appears: the signal handlers are in place before it is printed.
    expect(await stopServer(second)).toEqual({ code: 0, signal: null });
  });

  it('a data folder it cannot make, or a HOST that is no address here, is exit 1 with what to set', async () => {
    const file = path.join(tempDir(), 'a-file');
    fs.writeFileSync(file, '');
    const notAFolder = await ordergate(['start'], { ORDERGATE_DATA_DIR: file, PORT: '0' });
    expect(notAFolder.code).toBe(1);
    expect(notAFolder.stderr).toBe(
      `ordergate: cannot write the data folder ${file} (EEXIST: file already exists, mkdir '${file}'): ` +
        'set ORDERGATE_DATA_DIR to a folder this user may write\n',
    );
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine.
    const foreignHost = await ordergate(['start'], { ORDERGATE_DATA_DIR: tempDir(), HOST: '192.0.2.1', PORT: '0' });
    expect(foreignHost.code).toBe(1);
    expect(foreignHost.stderr).toBe(
      'ordergate: HOST 192.0.2.1 is no address of this machine: set HOST to one (127.0.0.1, or 0.0.0.0 for every interface)\n',
    );
  });

  it('refuses a PORT that is not a number: exit 2 and a message naming the variable', async () => {
    const result = await ordergate(['start'], { ORDERGATE_DATA_DIR: tempDir(), PORT: 'abc' });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('ordergate: PORT must be a whole number from 0 to 65535 (got "abc")\n');
  });
});

describe('ordergate keys', { timeout: 60_000 }, () => {
  it('keys create prints a key as its last line that the running server accepts at once; keys list shows prefixes', async () => {
    const dataDir = tempDir();
    const server = await startServer(dataDir);
    const firstKey = server.key ?? '';

    const created = await ordergate(['keys', 'create'], { ORDERGATE_DATA_DIR: dataDir });
    expect(created.code).toBe(0);
    const key = lastLine(created.stdout);
    expect(key).toMatch(KEY_LINE);
    expect(key).not.toBe(firstKey);
    expect(created.stdout).toBe(
      `Created an API key for account "default" with scopes read,trade (prefix ${key.slice(0, 8)}).\n` +
        'It is shown once; only its hash is stored.\n' +
        `${key}\n`,
    );
    expect(await post(server.url, 'ping', { apikey: key })).toEqual(PONG);
    expect(await post(server.url, 'ping', { apikey: firstKey })).toEqual(PONG);

    const listed = await ordergate(['keys', 'list'], { ORDERGATE_DATA_DIR: dataDir });
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    const iso = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z`;
    expect(lines[0]).toMatch(new RegExp(`^${firstKey.slice(0, 8)}…  default  admin  read,trade  active  ${iso}$`));
    expect(lines[1]).toMatch(new RegExp(`^${key.slice(0, 8)}…  default  admin  read,trade  active  ${iso}$`));
    expect(listed.stdout).not.toContain(firstKey);
    expect(listed.stdout).not.toContain(key);

    expect(await stopServer(server)).toEqual({ code: 0, signal: null });
  });

  it('accounts create NAME, a key for it, and keys revoke PREFIX: the running server honours each at once', async () => {
    const dataDir = tempDir();
    const server = await startServer(dataDir);
    const env = { ORDERGATE_DATA_DIR: dataDir };

    const made = await ordergate(['accounts', 'create', 'swing'], env);
    expect(made).toMatchObject({ code: 0, stdout: 'Created account "swing" on the paper broker for user "admin".\nMake a key for it: npx ordergate keys create --account swing\n' });
    expect((await ordergate(['accounts', 'create', 'swing'], env)).stderr.split('\n')[0]).toBe('ordergate: An account named "swing" exists already');
    const key = lastLine((await ordergate(['keys', 'create', '--account', 'swing'], env)).stdout);
    expect((await ordergate(['accounts', 'list'], env)).stdout).toBe('default  admin  paper  1 active key\nswing  admin  paper  1 active key\n');

    // The new account has its own books: the default account's order is not in them.
    const order = { strategy: 'cli', exchange: 'NSE', symbol: 'SBIN', action: 'BUY', quantity: 1, pricetype: 'MARKET', product: 'MIS' };
    const placed = await post(server.url, 'placeorder', { apikey: server.key, ...order });
    expect(placed.status).toBe(200);
    const book = (await post(server.url, 'orderbook', { apikey: key })).body as { data: { orders: unknown[] } };
    expect(book.data.orders).toEqual([]);
    const orderid = (placed.body as { orderid: string }).orderid;
    expect((await post(server.url, 'orderstatus', { apikey: key, orderid })).status).toBe(404);

    const revoked = await ordergate(['keys', 'revoke', `${key.slice(0, 8)}…`], env);
    expect(revoked).toMatchObject({ code: 0, stdout: `Revoked 1 key starting with ${key.slice(0, 8)}; the server refuses it from now on.\n` });
    expect(await seen(() => post(server.url, 'ping', { apikey: key }), INVALID_KEY)).toEqual(INVALID_KEY);
    expect(await post(server.url, 'ping', { apikey: server.key })).toEqual(PONG);
    expect((await ordergate(['keys', 'revoke', key.slice(0, 8)], env)).code).toBe(2);
    expect((await ordergate(['keys', 'revoke', 'abc'], env)).code).toBe(2);
  });

  it('keys rotate PREFIX prints a replacement with the same scopes; the running server refuses the old key at once', async () => {
    const dataDir = tempDir();
    const server = await startServer(dataDir);
    const env = { ORDERGATE_DATA_DIR: dataDir };
    const old = lastLine((await ordergate(['keys', 'create', '--scopes', 'read'], env)).stdout);

    const rotated = await ordergate(['keys', 'rotate', `${old.slice(0, 8)}…`], env);
    expect(rotated.code).toBe(0);
    const key = lastLine(rotated.stdout);
    expect(key).toMatch(KEY_LINE);
    expect(rotated.stdout).toContain(`Revoked the key starting with ${old.slice(0, 8)} and created its replacement (prefix ${key.slice(0, 8)}, scopes read).`);
    expect(await seen(() => post(server.url, 'ping', { apikey: old }), INVALID_KEY)).toEqual(INVALID_KEY);
    expect(await post(server.url, 'ping', { apikey: key })).toEqual(PONG);
    expect((await post(server.url, 'placeorder', { apikey: key, strategy: 'cli', exchange: 'NSE', symbol: 'SBIN', action: 'BUY', quantity: 1 })).status).toBe(403);
    const again = await ordergate(['keys', 'rotate', old.slice(0, 8)], env);
    expect(again.code).toBe(2);
    expect(again.stderr.split('\n')[0]).toBe(`ordergate: No active key starts with ${old.slice(0, 8)}`);
  });

  it('keys create --scopes read makes a key that can read but not trade', async () => {
    const dataDir = tempDir();
    const server = await startServer(dataDir);
    const created = await ordergate(['keys', 'create', '--scopes', 'read'], { ORDERGATE_DATA_DIR: dataDir });
    expect(created.code).toBe(0);
    const key = lastLine(created.stdout);
    expect(created.stdout).toContain(`with scopes read (prefix ${key.slice(0, 8)}).`);

    expect(await post(server.url, 'ping', { apikey: key })).toEqual(PONG);
    const order = { apikey: key, strategy: 'cli', exchange: 'NSE', symbol: 'SBIN', action: 'BUY', quantity: 1 };
    expect(await post(server.url, 'placeorder', order)).toEqual({
      status: 403,
      body: { status: 'error', message: "This API key lacks the 'trade' scope" },
    });
  });

  it('keys create --scopes nope exits 2 with a message and stores nothing', async () => {
    const dataDir = tempDir();
    const result = await ordergate(['keys', 'create', '--scopes', 'nope'], { ORDERGATE_DATA_DIR: dataDir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')[0]).toBe('ordergate: --scopes takes a comma list of read, trade, admin (got "nope")');
    expect(result.stderr).toContain('Usage: ordergate <command>');
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('npx ordergate keys create works from the repository root (npx runs the project\'s own bin)', async () => {
    const dataDir = tempDir();
    const server = await startServer(dataDir);
    // --no: fail rather than download a package of that name, should npx not resolve the project's bin.
    const created = run('npx', ['--no', 'ordergate', 'keys', 'create'], await onEngine({ ORDERGATE_DATA_DIR: dataDir }));
    const { code } = await created.exit;
    await streamsClosed(created.child);
    expect(code, created.stderr).toBe(0);
    const key = lastLine(created.stdout);
    expect(key).toMatch(KEY_LINE);
    expect(await post(server.url, 'ping', { apikey: key })).toEqual(PONG);
  });
});

// On a data dir no server has started on, `keys create` makes the default account and stores only the key it shows.
describe('keys create on a data dir no server has started on', { timeout: 60_000 }, () => {
  let shown: string;
  let prefixes: string[];

  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordergate-cli-'));
    try {
      const created = await ordergate(['keys', 'create'], { ORDERGATE_DATA_DIR: dataDir });
      expect(created.code).toBe(0);
      shown = lastLine(created.stdout);
      expect(shown).toMatch(KEY_LINE);
      const listed = await ordergate(['keys', 'list'], { ORDERGATE_DATA_DIR: dataDir });
      expect(listed.code).toBe(0);
      prefixes = listed.stdout.trimEnd().split('\n').map((line) => line.slice(0, 8));
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('stores only the key it prints, no hidden first key', () => {
    expect(prefixes).toEqual([shown.slice(0, 8)]);
  });
});

// Nine CLI runs, each a process start: more than the minute of the other groups on a busy machine.
describe('account names of several users', { timeout: 180_000 }, () => {
  it('are per user; a name two users share needs --user to pick the account, and an id-shaped name is refused', async () => {
    const env = { ORDERGATE_DATA_DIR: tempDir() };
    expect((await ordergate(['users', 'create', 'bob'], env)).code).toBe(0);
    expect((await ordergate(['accounts', 'create', 'swing'], env)).code).toBe(0);
    expect((await ordergate(['accounts', 'create', 'swing', '--user', 'bob'], env)).stdout.split('\n')[0]).toBe(
      'Created account "swing" on the paper broker for user "bob".',
    );
    expect((await ordergate(['accounts', 'create', 'swing', '--user', 'bob'], env)).stderr.split('\n')[0]).toBe(
      'ordergate: An account named "swing" exists already',
    );

    const ambiguous = await ordergate(['keys', 'create', '--account', 'swing'], env);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr.split('\n')[0]).toBe('ordergate: Users admin and bob each have an account named "swing"; name its owner with --user');
    // The listing tells the two apart by their owners.
    const listed = (await ordergate(['accounts', 'list'], env)).stdout.split('\n');
    expect(listed.filter((line) => line.startsWith('swing  '))).toEqual(['swing  admin  paper  0 active keys', 'swing  bob  paper  0 active keys']);
    const bobs = await ordergate(['keys', 'create', '--account', 'swing', '--user', 'bob'], env);
    expect(bobs.stdout.split('\n')[0]).toMatch(/^Created an API key for account "swing" of user "bob" with scopes read,trade \(prefix [0-9a-f]{8}\)\.$/);
    const prefix = lastLine(bobs.stdout).slice(0, 8);
    expect((await ordergate(['keys', 'revoke', prefix, '--account', 'swing'], env)).code).toBe(2);
    expect((await ordergate(['keys', 'revoke', prefix, '--account', 'swing', '--user', 'bob'], env)).code).toBe(0);

    const idShaped = await ordergate(['accounts', 'create', '0B7E7C2E-5F0C-4C1E-9A57-3D2B9F6F1A11'], env);
    expect(idShaped.code).toBe(2);
    expect(idShaped.stderr.split('\n')[0]).toBe('ordergate: accounts create NAME: an account name cannot have the shape of an account id (a UUID)');
  });
});

/** An upstream server's API key given to `brokers add`: it must never come back out. */
const UPSTREAM_KEY = 'c0ffee42'.repeat(7) + 'a5e13f9a';

/** Every row of the data folder's database, as text: the SQLite files' bytes, or the PostgreSQL schema's rows. */
async function storedText(env: Record<string, string>): Promise<string> {
  const { DATABASE_URL: url } = await onEngine(env);
  if (url === undefined) {
    const dir = env.ORDERGATE_DATA_DIR!;
    return fs.readdirSync(dir).map((file) => fs.readFileSync(path.join(dir, file)).toString('latin1')).join('\n');
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ name: string }>(
      'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()',
    );
    const rows: string[] = [];
    for (const { name } of tables.rows) {
      rows.push(...(await client.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${name}" t`)).rows.map((r) => r.row));
    }
    return rows.join('\n');
  } finally {
    await client.end();
  }
}

// Many CLI runs, each a process start.
describe('ordergate brokers', { timeout: 180_000 }, () => {
  it('brokers add reads the API key from standard input and shows only its hint; the key is written down nowhere', async () => {
    const env = { ORDERGATE_DATA_DIR: tempDir() };
    const outputs: string[] = [];
    const cli = async (args: string[], input?: string) => {
      const result = await ordergate(args, env, input);
      outputs.push(result.stdout, result.stderr);
      return result;
    };

    const added = await cli(['brokers', 'add', 'home', '--url', 'http://127.0.0.1:5000/'], `${UPSTREAM_KEY}\n`);
    expect(added.code).toBe(0);
    expect(added.stdout).toBe(
      'Added broker connection "home" (openalgo, http://127.0.0.1:5000) for user "admin".\n' +
        'Its API key ••••3f9a is stored sealed and never shown again.\n' +
        'Bind an account to it: npx ordergate accounts bind ACCOUNT home\n',
    );
    expect((await cli(['users', 'create', 'bob'])).code).toBe(0);
    const bobs = await cli(['brokers', 'add', 'home', '--url', 'https://openalgo.example.com', '--user', 'bob', '--api-key', 'short-key']);
    expect(bobs.stdout.split('\n')[1]).toBe('Its API key •••• is stored sealed and never shown again.');
    expect((await cli(['brokers', 'list'])).stdout).toBe(
      'home  admin  openalgo  http://127.0.0.1:5000  ••••3f9a  0 bound accounts\n' +
        'home  bob  openalgo  https://openalgo.example.com  ••••  0 bound accounts\n',
    );
    expect((await cli(['brokers', 'list', '--user', 'bob'])).stdout).toBe('home  bob  openalgo  https://openalgo.example.com  ••••  0 bound accounts\n');

    const refusals: Array<[string[], string | undefined, string]> = [
      [['brokers', 'add', 'home', '--url', 'http://127.0.0.1:5000'], UPSTREAM_KEY, 'ordergate: User "admin" has a broker connection named "home" already'],
      [['brokers', 'add', 'paper', '--url', 'http://127.0.0.1:5000'], UPSTREAM_KEY, 'ordergate: brokers add NAME: "paper" names the built-in paper exchange'],
      [
        ['brokers', 'add', 'ftp', '--url', 'ftp://example.com'],
        UPSTREAM_KEY,
        'ordergate: --url: an http:// or https:// URL of at most 2048 characters, e.g. http://127.0.0.1:5000',
      ],
      [['brokers', 'add', 'nourl'], UPSTREAM_KEY, "ordergate: brokers add takes --url URL, the OpenAlgo-compatible server's base URL"],
      [
        ['brokers', 'add', 'nokey', '--url', 'http://127.0.0.1:5000'],
        undefined,
        'ordergate: the API key must be 1–512 printable characters without spaces (give it with --api-key KEY or on standard input)',
      ],
      [
        ['brokers', 'add', 'spaced', '--url', 'http://127.0.0.1:5000'],
        `${UPSTREAM_KEY} with words\n`,
        'ordergate: the API key must be 1–512 printable characters without spaces (give it with --api-key KEY or on standard input)',
      ],
    ];
    for (const [args, input, message] of refusals) {
      const refused = await cli(args, input);
      expect(refused.code).toBe(2);
      expect(refused.stderr.split('\n')[0]).toBe(message);
    }
    expect((await cli(['brokers', 'list', '--user', 'admin'])).stdout.split('\n').filter(Boolean)).toHaveLength(1);

    expect(outputs.join('\n')).not.toContain(UPSTREAM_KEY.slice(0, 16));
    expect(await storedText(env)).not.toContain(UPSTREAM_KEY);
  });

  it("binds accounts to the user's own connections only, and removes a connection once no account is bound to it", async () => {
    const env = { ORDERGATE_DATA_DIR: tempDir() };
    const first = (text: string) => text.split('\n')[0];
    expect((await ordergate(['brokers', 'add', 'home', '--url', 'http://127.0.0.1:5000', '--api-key', UPSTREAM_KEY], env)).code).toBe(0);
    expect(first((await ordergate(['accounts', 'create', 'live', '--broker', 'home'], env)).stdout)).toBe(
      'Created account "live" on broker connection "home" (http://127.0.0.1:5000) for user "admin".',
    );
    const unknown = await ordergate(['accounts', 'create', 'other', '--broker', 'nope'], env);
    expect([unknown.code, first(unknown.stderr)]).toEqual([
      2,
      'ordergate: User "admin" has no broker connection named "nope" (`ordergate brokers list` shows them)',
    ]);
    expect((await ordergate(['users', 'create', 'bob'], env)).code).toBe(0);
    expect((await ordergate(['accounts', 'create', 'bobs', '--user', 'bob'], env)).code).toBe(0);
    const stolen = await ordergate(['accounts', 'bind', 'bobs', 'home'], env);
    expect([stolen.code, first(stolen.stderr)]).toEqual([
      2,
      'ordergate: User "bob" has no broker connection named "home" (`ordergate brokers list` shows them)',
    ]);

    expect((await ordergate(['accounts', 'bind', 'default', 'home'], env)).stdout).toBe(
      'Bound account "default" of user "admin" to broker connection "home" (http://127.0.0.1:5000).\n' +
        'A running gateway sends its next orders there.\n',
    );
    expect((await ordergate(['accounts', 'list'], env)).stdout).toBe(
      'default  admin  home  0 active keys\nlive  admin  home  0 active keys\nbobs  bob  paper  0 active keys\n',
    );
    expect((await ordergate(['brokers', 'list'], env)).stdout).toBe('home  admin  openalgo  http://127.0.0.1:5000  ••••3f9a  2 bound accounts\n');

    const inUse = await ordergate(['brokers', 'remove', 'home'], env);
    expect([inUse.code, inUse.stderr]).toEqual([
      1,
      'ordergate: Broker connection "home" serves 2 accounts (default, live): bind them to another broker first ' +
        '(ordergate accounts bind ACCOUNT paper)\n',
    ]);
    for (const account of ['default', 'live']) {
      expect(first((await ordergate(['accounts', 'bind', account, 'paper'], env)).stdout)).toBe(
        `Bound account "${account}" of user "admin" to the paper broker.`,
      );
    }
    expect((await ordergate(['brokers', 'remove', 'home'], env)).stdout).toBe('Removed broker connection "home"; its sealed API key is gone with it.\n');
    expect((await ordergate(['brokers', 'list'], env)).stdout).toBe('No broker connections; `ordergate brokers add NAME --url URL` adds one.\n');
    const gone = await ordergate(['brokers', 'remove', 'home'], env);
    expect([gone.code, first(gone.stderr)]).toEqual([2, 'ordergate: No broker connection named "home"']);
  });
});

describe('ordergate users', { timeout: 60_000 }, () => {
  it('users create prints a password that logs in at once; accounts create --user gives the user an account', async () => {
    const dataDir = tempDir();
    const server = await startServer(dataDir);
    const env = { ORDERGATE_DATA_DIR: dataDir };

    const created = await ordergate(['users', 'create', 'bob'], env);
    expect(created.code).toBe(0);
    const password = lastLine(created.stdout);
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect((await ordergate(['users', 'create', 'bob'], env)).stderr.split('\n')[0]).toBe('ordergate: A user named "bob" exists already');
    expect((await ordergate(['accounts', 'create', 'bobs', '--user', 'bob'], env)).code).toBe(0);
    expect((await ordergate(['accounts', 'create', 'x', '--user', 'nobody'], env)).stderr.split('\n')[0]).toBe('ordergate: No user named "nobody"');
    expect((await ordergate(['users', 'list'], env)).stdout).toBe('admin  password set  accounts: default\nbob  password set  accounts: bobs\n');

    const login = await adminLogin(server.url, 'bob', password);
    expect(login.status).toBe(200);
    const accounts = await adminGet(server.url, '/accounts', login.token ?? '');
    expect((accounts.body as { items: Array<{ name: string }> }).items.map((a) => a.name)).toEqual(['bobs']);
  });

  it('users password --password-stdin sets the password and ends the running sessions at once', async () => {
    const dataDir = tempDir();
    const server = await startServer(dataDir);
    const env = { ORDERGATE_DATA_DIR: dataDir };
    const first = ADMIN_PASSWORD.exec(server.run.stdout)?.[1] ?? '';
    const session = await adminLogin(server.url, 'admin', first);
    expect((await adminGet(server.url, '/me', session.token ?? '')).status).toBe(200);

    const reset = await ordergate(['users', 'password', 'admin', '--password-stdin'], env, 'a brand new password\n');
    expect(reset).toMatchObject({ code: 0, stdout: 'Set the password of "admin"; 1 login session ended.\n' });
    const me = () => adminGet(server.url, '/me', session.token ?? '').then((answer) => answer.status);
    expect(await seen(me, 401)).toBe(401);
    expect((await adminLogin(server.url, 'admin', first)).status).toBe(401);
    expect((await adminLogin(server.url, 'admin', 'a brand new password')).status).toBe(200);

    const short = await ordergate(['users', 'password', 'admin', '--password-stdin'], env, 'short\n');
    expect(short.code).toBe(2);
    expect(short.stderr.split('\n')[0]).toBe('ordergate: --password-stdin: a password needs at least 8 characters');
  });
});

describe('ordergate output into a closed pipe', () => {
  it('ends quietly when the reader stops before the output ends (`ordergate help | head -1`)', async () => {
    const started = run(process.execPath, [BIN, 'help'], {});
    started.child.stdout?.destroy();
    const { code } = await started.exit;
    await streamsClosed(started.child);
    expect({ code, stderr: started.stderr }).toEqual({ code: 0, stderr: '' });
  });
});

describe('ordergate faults', { timeout: 60_000 }, () => {
  const order = (apikey: string, action = 'BUY') => ({
    apikey,
    strategy: 'chaos',
    exchange: 'NSE',
    symbol: 'SBIN',
    action,
    quantity: '1',
    pricetype: 'MARKET',
    product: 'MIS',
  });

  /**
   * Asks `route` until `done` holds of the answer (the gateway reads the faults twice a second): the last answer and
   * how many requests were sent.
   */
  async function until(url: string, route: string, body: unknown, done: (status: number) => boolean) {
    for (let sent = 1; ; sent++) {
      const answer = await post(url, route, body);
      if (done(answer.status) || sent === 100) return { ...answer, sent };
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  it('ORDERGATE_PAPER_FAULTS: the banner says so, placements fail until the circuit opens; faults clear lets the probe close it', async () => {
    const dataDir = tempDir();
    const server = await startServer(dataDir, {
      ORDERGATE_PAPER_FAULTS: 'fail=1@placeOrder',
      ORDERGATE_BREAKER_THRESHOLD: '2',
      ORDERGATE_BREAKER_RESET_MS: '500',
    });
    expect(server.run.stdout).toContain(
      '\nPaper broker faults (ORDERGATE_PAPER_FAULTS; `npx ordergate faults clear` removes them):\n' +
        '  100 % of placeOrder calls fail before reaching the broker\n',
    );
    const key = server.key ?? '';
    const faultGauge = async () => /^ordergate_paper_faults_injected (\d)$/m.exec(await (await fetch(`${server.url}/metrics`)).text())?.[1];
    expect(await faultGauge()).toBe('1');
    expect(await post(server.url, 'ping', { apikey: key })).toEqual(PONG);
    expect(await post(server.url, 'placeorder', order(key))).toEqual({
      status: 503,
      body: { status: 'error', message: 'Broker paper failed to answer; retry in 1 s' },
    });
    await post(server.url, 'placeorder', order(key));
    const open = await post(server.url, 'placeorder', order(key));
    expect(open.status).toBe(503);
    expect((open.body as { message: string }).message).toMatch(/^Broker paper is unavailable after repeated failures; retry in 1 s$/);

    const shown = await ordergate(['faults'], { ORDERGATE_DATA_DIR: dataDir });
    expect(shown.stdout).toBe('fail=1@placeOrder\n  100 % of placeOrder calls fail before reaching the broker\n');
    const cleared = await ordergate(['faults', 'clear'], { ORDERGATE_DATA_DIR: dataDir });
    expect(cleared).toMatchObject({ code: 0, stdout: 'Cleared the paper broker faults; a running gateway stops injecting them within a second.\n' });

    const placed = await until(server.url, 'placeorder', order(key), (status) => status === 200);
    expect(placed).toMatchObject({ status: 200, body: { status: 'success' } });
    expect(placed.sent).toBeLessThan(100);
    expect(await faultGauge()).toBe('0');
    expect((await ordergate(['faults'], { ORDERGATE_DATA_DIR: dataDir })).stdout).toBe('No faults are injected into the paper broker.\n');
    expect(await stopServer(server)).toEqual({ code: 0, signal: null });
  });

  it('faults set on a running gateway: a lost answer leaves the order placed; a bad SPEC is exit 2; a restart begins without', async () => {
    const dataDir = tempDir();
    const env = { ORDERGATE_DATA_DIR: dataDir };
    const server = await startServer(dataDir);
    const key = server.key ?? '';
    expect((await post(server.url, 'placeorder', order(key))).status).toBe(200);

    const set = await ordergate(['faults', 'set', 'lose=1@placeOrder'], env);
    expect(set).toMatchObject({
      code: 0,
      stdout:
        'Set the paper broker faults: 100 % of placeOrder calls lose their answer after the broker acted.\n' +
        'A running gateway applies them within a second; a restart begins with ORDERGATE_PAPER_FAULTS (none when unset).\n',
    });
    const { sent, ...lost } = await until(server.url, 'placeorder', order(key, 'SELL'), (status) => status !== 200);
    expect(lost).toEqual({ status: 503, body: { status: 'error', message: 'Broker paper failed to answer; retry in 1 s' } });
    // The broker acted on it: every SELL sent is in the book (those answered before the faults applied, and the one
    // whose answer was lost), beside the BUY placed first.
    const book = (await post(server.url, 'orderbook', { apikey: key })) as { body: { data: { orders: Array<{ action: string }> } } };
    const actions = book.body.data.orders.map((row) => row.action);
    expect(actions.filter((action) => action === 'SELL')).toHaveLength(sent);
    expect(actions.filter((action) => action === 'BUY')).toHaveLength(1);

    const bad = await ordergate(['faults', 'set', 'fail=2'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toBe(
      'ordergate: faults set: "fail=2": expected a fraction of the calls above 0 and at most 1 (0.25 is a quarter)',
    );
    expect((await ordergate(['faults'], env)).stdout.split('\n')[0]).toBe('lose=1@placeOrder');
    expect(await stopServer(server)).toEqual({ code: 0, signal: null });

    const again = await startServer(dataDir);
    expect(again.run.stdout).not.toContain('Paper broker faults');
    expect((await ordergate(['faults'], env)).stdout).toBe('No faults are injected into the paper broker.\n');
    expect((await post(again.url, 'placeorder', order(key))).status).toBe(200);
    expect(await stopServer(again)).toEqual({ code: 0, signal: null });
  });

  it('a start with an unreadable ORDERGATE_PAPER_FAULTS is exit 2 naming the variable', async () => {
    const result = await ordergate(['start'], { ORDERGATE_DATA_DIR: tempDir(), PORT: '0', ORDERGATE_PAPER_FAULTS: 'hang@quotes' });
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toMatch(/^ordergate: ORDERGATE_PAPER_FAULTS: "hang@quotes": "quotes" is no broker call; the calls are placeOrder, /);
  });
});

// The copy itself needs PostgreSQL: tests/postgres/db-copy.test.ts. What it refuses before reaching PostgreSQL, here.
describe('ordergate db copy', { timeout: 60_000 }, () => {
  const TAKES = 'ordergate: db copy takes --to postgres://USER@HOST:PORT/DATABASE, the URL of an empty PostgreSQL database';

  /** A data directory holding the 2026-12-07 fixture (tests/fixtures/data-2026-12-07): an embedded install with data. */
  function fixtureDir(): string {
    const dir = tempDir();
    fs.cpSync(FIXTURE, dir, { recursive: true });
    return dir;
  }

  function schemaVersion(dataDir: string): number {
    const db = new BetterSqlite3(path.join(dataDir, 'ordergate.db'), { readonly: true });
    try {
      return db.prepare<[], number>('SELECT MAX(version) FROM schema_migrations').pluck().get() ?? 0;
    } finally {
      db.close();
    }
  }

  it('takes --to with a PostgreSQL URL: without one, exit 2 and the usage', async () => {
    const env = { ORDERGATE_DATA_DIR: fixtureDir() };
    for (const args of [['db', 'copy'], ['db', 'copy', '--to', 'mysql://root@127.0.0.1:3306/ordergate']]) {
      const result = await ordergate(args, env);
      expect(result.code).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr.split('\n')[0]).toBe(TAKES);
      expect(result.stderr).toContain('  db copy --to postgres://USER@HOST:PORT/DB\n');
    }
  });

  it('refuses a folder with no Ordergate data, and one a running gateway holds: exit 1 with what to do', async () => {
    const empty = tempDir();
    const none = await ordergate(['db', 'copy', '--to', 'postgres://ordergate@127.0.0.1:1/ordergate'], { ORDERGATE_DATA_DIR: empty });
    expect(none.code).toBe(1);
    expect(none.stderr).toBe(
      `ordergate: db copy: ${empty} holds no Ordergate data (no ordergate.db): set ORDERGATE_DATA_DIR to the data folder to copy\n`,
    );
    expect(fs.readdirSync(empty)).toEqual([]);

    const dataDir = fixtureDir();
    const server = await startServer(dataDir);
    const held = await ordergate(['db', 'copy', '--to', 'postgres://ordergate@127.0.0.1:1/ordergate'], { ORDERGATE_DATA_DIR: dataDir });
    expect(held.code).toBe(1);
    expect(held.stdout).toBe('');
    expect(held.stderr).toBe(
      `ordergate: ${dataDir} is in use by a running Ordergate: stop the gateway first (the copy must not miss its last writes)\n`,
    );
    expect(await stopServer(server)).toEqual({ code: 0, signal: null });
  });

  it('names the PostgreSQL that does not answer, without its password, before touching the data folder: exit 1', async () => {
    const dataDir = fixtureDir();
    const result = await ordergate(['db', 'copy', '--to', 'postgres://ordergate:secret@127.0.0.1:1/ordergate'], { ORDERGATE_DATA_DIR: dataDir });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'ordergate: db copy into postgres://ordergate:***@127.0.0.1:1/ordergate failed, no rows were copied: connect ECONNREFUSED 127.0.0.1:1\n',
    );
    // Still the fixture's schema: the folder's files are migrated only once the target answers.
    expect(schemaVersion(dataDir)).toBe(9);
  });
});

describe('a DATABASE_URL that cannot be used', () => {
  it('start and the store commands say which PostgreSQL, without its password, and what to do: exit 1', async () => {
    const env = { ORDERGATE_DATA_DIR: tempDir(), DATABASE_URL: 'postgres://ordergate:secret@127.0.0.1:1/ordergate', PORT: '0' };
    const refused =
      'ordergate: cannot use the PostgreSQL database postgres://ordergate:***@127.0.0.1:1/ordergate ' +
      '(connect ECONNREFUSED 127.0.0.1:1): start PostgreSQL, or fix DATABASE_URL\n';
    for (const args of [['start'], ['keys', 'list']]) {
      const result = await ordergate(args, env);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr, args.join(' ')).toBe(refused);
    }
  });
});
