// copyStore (store/copy-store.ts), what `ordergate db copy` runs: paging and progress, a folder without the optional
// files, and a failure part-way that leaves the target as empty as it was. On copies of the 2026-12-07 data folder
// (tests/fixtures/data-2026-12-07). PostgreSQL pass only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dec } from '../../src/domain/decimal.js';
import type { ExchangeEvent } from '../../src/domain/events.js';
import { COPIED_TABLES, type CopyProgress, CopyError, copyStore } from '../../src/store/copy-store.js';
import { openStore } from '../../src/store/open-store.js';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import { POSTGRES_TYPES } from '../../src/store/postgres/pool.js';
import { freshSchema } from '../postgres-database.js';

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/data-2026-12-07');

let dataDir: string;
let url: string;

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordergate-copy-store-'));
  fs.cpSync(FIXTURE, dataDir, { recursive: true });
  url = await freshSchema();
});

afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const funded = (accountId: string, amount: string): ExchangeEvent => ({ type: 'account.funded', accountId, amount: dec(amount), at: 1_000 });

async function targetCounts(): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url, types: POSTGRES_TYPES });
  await client.connect();
  try {
    const counts: Record<string, number> = {};
    for (const table of COPIED_TABLES) {
      counts[table] = (await client.query<{ count: number }>(`SELECT COUNT(*) AS count FROM ${table}`)).rows[0]!.count;
    }
    return counts;
  } finally {
    await client.end();
  }
}

describe('copyStore', { timeout: 30_000 }, () => {
  it('reports each table as it starts and after each page of rows', async () => {
    const steps: CopyProgress[] = [];

    await copyStore({ dataDir, url, pageRows: 5, onProgress: (step) => steps.push(step) });

    const of = (table: string) => steps.filter((step) => step.table === table).map((step) => `${step.copied}/${step.total}`);
    expect(of('users')).toEqual(['0/1', '1/1']);
    expect(of('settings')).toEqual(['0/0']);
    expect(of('events')).toEqual(['0/8', '5/8', '8/8']);
    expect(of('traffic_log')).toEqual(['0/13', '5/13', '10/13', '13/13']);
    expect([...new Set(steps.map((step) => step.table))]).toEqual(COPIED_TABLES);
  });

  it('copies nothing for a folder without analyzer.db and traffic.db, and leaves them uncreated', async () => {
    fs.rmSync(path.join(dataDir, 'analyzer.db'));
    fs.rmSync(path.join(dataDir, 'traffic.db'));

    const counts = await copyStore({ dataDir, url });

    expect(counts.filter((count) => count.table === 'sandbox_events' || count.table === 'traffic_log')).toEqual([
      { table: 'sandbox_events', sqlite: 0, postgres: 0 },
      { table: 'traffic_log', sqlite: 0, postgres: 0 },
    ]);
    expect(counts.find((count) => count.table === 'events')).toEqual({ table: 'events', sqlite: 8, postgres: 8 });
    expect(fs.existsSync(path.join(dataDir, 'analyzer.db'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'traffic.db'))).toBe(false);
  });

  it("copies broker connections, the accounts bound to them, and the core's live and sandbox order journals", async () => {
    const store = createSqliteStore(path.join(dataDir, 'ordergate.db'), { sandboxFile: path.join(dataDir, 'analyzer.db') });
    try {
      const [admin] = await store.users.list();
      await store.brokerConnections.create({
        id: 'c-1',
        userId: admin!.id,
        name: 'upstream',
        kind: 'openalgo',
        baseUrl: 'http://127.0.0.1:5000',
        sealedCredentials: 'v1.iv.tag.text',
        credentialsHint: '••••3f9a',
      });
      const swing = (await store.accounts.list()).find((account) => account.name === 'swing')!;
      await store.accounts.setBroker(swing.id, 'c-1');
      store.orderJournal.append([funded(swing.id, '1'), funded(swing.id, '2')]);
      store.sandboxOrderJournal.append([funded(swing.id, '3')]);
    } finally {
      await store.close();
    }

    const counts = await copyStore({ dataDir, url });

    const tables = ['broker_connections', 'order_events', 'sandbox_order_events'];
    expect(counts.filter((count) => tables.includes(count.table))).toEqual([
      { table: 'broker_connections', sqlite: 1, postgres: 1 },
      { table: 'order_events', sqlite: 2, postgres: 2 },
      { table: 'sandbox_order_events', sqlite: 1, postgres: 1 },
    ]);
    const copied = await openStore({ dataDir, databaseUrl: url });
    try {
      expect((await copied.brokerConnections.get('c-1'))?.sealedCredentials).toBe('v1.iv.tag.text');
      expect((await copied.accounts.list()).map((account) => [account.name, account.broker])).toEqual([
        ['default', 'paper'],
        ['swing', 'c-1'],
      ]);
      const amounts: string[] = [];
      for await (const event of copied.orderJournal.readAll()) amounts.push(event.type === 'account.funded' ? String(event.amount) : '');
      expect(amounts).toEqual([String(dec('1')), String(dec('2'))]);
      expect(await copied.sandboxOrderJournal.count()).toBe(1);
      // Each journal numbers on from its copied rows.
      expect(copied.orderJournal.append([funded('acc', '4')])[0]?.seq).toBe(1);
      expect(copied.sandboxOrderJournal.append([funded((await copied.accounts.list())[1]!.id, '5')])[0]?.seq).toBe(2);
    } finally {
      await copied.close();
    }
  });

  it('fails naming the table whose rows PostgreSQL refused, and keeps none of the tables copied before it', async () => {
    // A key of an account that does not exist: SQLite checks foreign keys on writes only, PostgreSQL on the copy.
    const db = new BetterSqlite3(path.join(dataDir, 'ordergate.db'));
    db.pragma('foreign_keys = OFF');
    db.prepare("INSERT INTO api_keys (id, account_id, prefix, digest, scopes, created_at) VALUES ('k', 'gone', 'deadbeef', 'd', 'read', 0)").run();
    db.close();

    const copied = copyStore({ dataDir, url });

    await expect(copied).rejects.toBeInstanceOf(CopyError);
    await expect(copied).rejects.toThrow(/^copying api_keys failed: insert or update on table "api_keys" violates foreign key constraint/);
    expect(Object.values(await targetCounts())).toEqual(COPIED_TABLES.map(() => 0));
  });
});
