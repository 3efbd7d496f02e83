// `ordergate db copy --to postgres://…` as a user runs it: the real command on a copy of the 2026-12-07 data folder
// (tests/fixtures/data-2026-12-07, see its README) into a fresh PostgreSQL schema, which then serves as the store of a
// gateway on DATABASE_URL with every row, order key and API key of the folder. PostgreSQL pass only.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { apiKeyDigest } from '../../src/gateway/api-keys.js';
import { loadOrCreatePepper } from '../../src/gateway/pepper.js';
import { openStore } from '../../src/store/open-store.js';
import { POSTGRES_TYPES } from '../../src/store/postgres/pool.js';
import { freshSchema } from '../postgres-database.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin', 'ordergate.js');
const FIXTURE = path.join(ROOT, 'tests', 'fixtures', 'data-2026-12-07');
/** The read-only key the fixture's second account holds, and a key of that account it revoked. */
const SWING_READ_KEY = '1675ffd7d4d084ad763d5b4a726f241c6b7e2e1c68dd184b3fe42c04cbde463c';
const REVOKED_KEY = '959141707495938433fa018376b087d4b9b2c7535da888d913aa9ca5b4909305';
/** What the fixture holds, table by table, in the order the copy fills them. */
const FIXTURE_COUNTS = {
  users: 1,
  accounts: 2,
  broker_connections: 0,
  api_keys: 3,
  settings: 0,
  idempotency_keys: 0,
  analyzer_logs: 2,
  auth_sessions: 1,
  refresh_tokens: 1,
  login_addresses: 1,
  gtt_orders: 0,
  chart_preferences: 0,
  backtest_runs: 0,
  user_strategies: 0,
  events: 8,
  sandbox_events: 3,
  order_events: 0,
  sandbox_order_events: 0,
  traffic_log: 13,
};
const SUMMARY = Object.entries(FIXTURE_COUNTS)
  .map(([table, count]) => `${table} ${count}`)
  .join(', ');
const PROGRESS_LINES = Object.entries(FIXTURE_COUNTS).map(([table, count]) => `${table}: ${count} row${count === 1 ? '' : 's'}`);

let dataDir: string;
let url: string;
const clients: pg.Client[] = [];

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordergate-db-copy-'));
  fs.cpSync(FIXTURE, dataDir, { recursive: true });
  url = await freshSchema();
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.end();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Runs `ordergate <args>` on the data folder to completion, its standard error not a terminal. */
function ordergate(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ORDERGATE_DATA_DIR: dataDir };
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('ORDERGATE_') && name !== 'DATABASE_URL') env[name] = value;
  }
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function query<Row extends pg.QueryResultRow>(text: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url, types: POSTGRES_TYPES });
  clients.push(client);
  await client.connect();
  return (await client.query<Row>(text)).rows;
}

async function targetCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of Object.keys(FIXTURE_COUNTS)) {
    counts[table] = (await query<{ count: number }>(`SELECT COUNT(*) AS count FROM ${table}`))[0]!.count;
  }
  return counts;
}

function sqliteRows(file: string, sql: string): unknown[] {
  const db = new BetterSqlite3(path.join(dataDir, file), { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

describe('ordergate db copy --to', { timeout: 60_000 }, () => {
  it('copies every table of the data folder into an empty database, counts checked, and says how to start on it', async () => {
    const result = await ordergate(['db', 'copy', '--to', url]);

    expect(result.code).toBe(0);
    expect(result.stderr.trimEnd().split('\n')).toEqual(PROGRESS_LINES);
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      `Copied ${Object.keys(FIXTURE_COUNTS).length} tables from ${dataDir} into ${url}: ${SUMMARY}. Counts match.`,
      `Start Ordergate on it: ORDERGATE_DATA_DIR=${dataDir} DATABASE_URL='${url}' npm start ` +
        '(keep this data folder: its pepper file checks every API key)',
    ]);
    expect(await targetCounts()).toEqual(FIXTURE_COUNTS);
  });

  it('keeps the order keys: SQLite rowids and journal positions, with the sequences past them', async () => {
    expect((await ordergate(['db', 'copy', '--to', url])).code).toBe(0);

    const sqliteOrder = sqliteRows('ordergate.db', 'SELECT rowid, id FROM accounts ORDER BY rowid');
    expect(await query('SELECT rowid, id FROM accounts ORDER BY rowid')).toEqual(sqliteOrder);
    const journal = sqliteRows('journal.db', 'SELECT position, account_id, seq, type, at, body FROM events ORDER BY position');
    expect(await query('SELECT position, account_id, seq, type, at, body FROM events ORDER BY position')).toEqual(journal);
    const sandbox = sqliteRows('analyzer.db', 'SELECT position, account_id, seq, type, at, body FROM events ORDER BY position');
    expect(await query('SELECT position, account_id, seq, type, at, body FROM sandbox_events ORDER BY position')).toEqual(sandbox);
    expect(await query("SELECT nextval(pg_get_serial_sequence('accounts', 'rowid')) AS next")).toEqual([{ next: 3 }]);
    expect(await query("SELECT nextval(pg_get_serial_sequence('events', 'position')) AS next")).toEqual([{ next: 9 }]);
    expect(await query("SELECT nextval(pg_get_serial_sequence('traffic_log', 'position')) AS next")).toEqual([{ next: 14 }]);
  });

  it('gives a store on DATABASE_URL the folder\'s users, journals and keys, which the folder\'s pepper still checks', async () => {
    expect((await ordergate(['db', 'copy', '--to', url])).code).toBe(0);

    const store = await openStore({ dataDir, databaseUrl: url });
    try {
      expect((await store.users.list()).map((user) => user.username)).toEqual(['admin']);
      expect((await store.accounts.list()).map((account) => account.name)).toEqual(['default', 'swing']);
      expect(await store.journal.count()).toBe(8);
      expect(await store.sandboxJournal.count()).toBe(3);
      const pepper = loadOrCreatePepper(dataDir);
      expect((await store.apiKeys.findActiveByDigest(apiKeyDigest(pepper, SWING_READ_KEY)))?.scopes).toEqual(['read']);
      expect(await store.apiKeys.findActiveByDigest(apiKeyDigest(pepper, REVOKED_KEY))).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('refuses a second copy into the now filled database: exit 1, nothing written', async () => {
    expect((await ordergate(['db', 'copy', '--to', url])).code).toBe(0);

    const again = await ordergate(['db', 'copy', '--to', url]);

    expect(again.code).toBe(1);
    expect(again.stderr.trimEnd()).toBe(
      'ordergate: db copy: the target database holds data already (users 1, accounts 2, api_keys 3, analyzer_logs 2, ' +
        'auth_sessions 1, refresh_tokens 1, login_addresses 1, events 8, sandbox_events 3, traffic_log 13): copy into an ' +
        'empty database (or an empty schema), nothing was written',
    );
    expect(again.stdout).toBe('');
    expect(await targetCounts()).toEqual(FIXTURE_COUNTS);
  });

  it('names a database that does not exist, with the password left out: exit 1', async () => {
    const missing = new URL(url);
    missing.pathname = '/ordergate_no_such_database';
    missing.password = 'secret';

    const result = await ordergate(['db', 'copy', '--to', missing.toString()]);

    expect(result.code).toBe(1);
    missing.password = '***';
    expect(result.stderr.trimEnd()).toBe(
      `ordergate: db copy into ${missing.toString()} failed, no rows were copied: database "ordergate_no_such_database" does not exist`,
    );
  });
});
