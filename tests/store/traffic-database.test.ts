// traffic.db: the traffic log's own file. An older gateway database's traffic rows move over once, at the first start
// of this version, and the old table is dropped; an interrupted move is never copied twice.
import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../../src/store/migrations.js';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import { TRAFFIC_DATABASE_FILE, importLegacyTraffic, openTrafficDatabase } from '../../src/store/traffic-database.js';
import { useTempDirs } from './temp-dir.js';

const tempDir = useTempDirs();

/** A gateway database as version 6 left it, with `count` traffic rows (at = 1, 2, …) of account `a`. */
function legacyDatabase(file: string, count: number): void {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  migrate(db, MIGRATIONS.filter((m) => m.version <= 6));
  const insert = db.prepare(
    `INSERT INTO traffic_log (at, key_id, account_id, user_id, ip, method, path, route, status, duration_us)
     VALUES (?, 'k1', 'a', NULL, '127.0.0.1', 'POST', '/api/v1/funds', '/api/v1/funds', 200, 150)`,
  );
  for (let at = 1; at <= count; at++) insert.run(at);
  db.close();
}

function hasTrafficTable(file: string): boolean {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'traffic_log'").get() !== undefined;
  } finally {
    db.close();
  }
}

const everything = { scope: { accountIds: ['a'], userId: 'u' }, limit: 100 };

describe('traffic.db', () => {
  it('takes over the traffic rows of an older database, in order, and the old table is dropped', async () => {
    const file = path.join(tempDir(), 'ordergate.db');
    legacyDatabase(file, 3);
    const store = createSqliteStore(file);
    try {
      expect(store.trafficFile).toBe(path.join(path.dirname(file), TRAFFIC_DATABASE_FILE));
      expect((await store.traffic.list(everything)).map((row) => row.at)).toEqual([3, 2, 1]);
      expect(hasTrafficTable(file)).toBe(false);
    } finally {
      await store.close();
    }
    const reopened = createSqliteStore(file);
    try {
      expect((await reopened.traffic.list(everything)).map((row) => row.at)).toEqual([3, 2, 1]);
    } finally {
      await reopened.close();
    }
  });

  it('copies nothing twice when a start stopped between the copy and the drop', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'ordergate.db');
    legacyDatabase(file, 2);
    const traffic = openTrafficDatabase(path.join(dir, TRAFFIC_DATABASE_FILE));
    expect(importLegacyTraffic(traffic, file)).toBe(2);
    expect(importLegacyTraffic(traffic, file)).toBe(0);
    traffic.close();
    const store = createSqliteStore(file);
    try {
      expect((await store.traffic.list(everything)).map((row) => row.at)).toEqual([2, 1]);
      expect(hasTrafficTable(file)).toBe(false);
    } finally {
      await store.close();
    }
  });

  it('starts empty beside a new database, and the gateway database holds no traffic table', async () => {
    const file = path.join(tempDir(), 'ordergate.db');
    const store = createSqliteStore(file);
    try {
      expect(await store.traffic.list(everything)).toEqual([]);
      expect(hasTrafficTable(file)).toBe(false);
      expect(hasTrafficTable(store.trafficFile)).toBe(true);
    } finally {
      await store.close();
    }
    // A database file that does not exist yet is not created by the import.
    const missing = path.join(tempDir(), 'none.db');
    const traffic = openTrafficDatabase(':memory:');
    expect(importLegacyTraffic(traffic, missing)).toBe(0);
    traffic.close();
    expect(fs.existsSync(missing)).toBe(false);
  });
});
