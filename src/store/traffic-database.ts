// The traffic log's own SQLite file, beside the gateway's: one row per answered request is a steady stream of writes,
// and in a file of its own a writer thread (store/traffic-writer.ts) can commit them without ever holding the lock the
// order journal commits under. A log, not a ledger: commits are fsynced at checkpoints only (synchronous=NORMAL), so
// a crash of the process loses nothing written, a power loss the last moments.
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../domain/clock.js';
import { type Database, openDatabase } from './database.js';
import { TRAFFIC_MIGRATIONS } from './migrations.js';

export const TRAFFIC_DATABASE_FILE = 'traffic.db';

/** `traffic.db` beside the gateway's database file (in memory too when it is). */
export function trafficFileBeside(databaseFile: string): string {
  const inMemory = databaseFile === ':memory:' || databaseFile === '';
  return inMemory ? ':memory:' : path.join(path.dirname(path.resolve(databaseFile)), TRAFFIC_DATABASE_FILE);
}

export function openTrafficDatabase(file: string, options: { clock?: Clock } = {}): Database {
  return openDatabase(file, { ...options, synchronous: 'normal', migrations: TRAFFIC_MIGRATIONS });
}

const COLUMNS = 'at, key_id, account_id, user_id, ip, method, path, route, status, duration_us';

/**
 * Copies the traffic log an older Ordergate kept in the gateway's database (until its migration 7 drops it there),
 * once: only into an empty traffic log, so a start interrupted between the copy and the drop does not copy twice.
 * Returns the rows copied.
 */
export function importLegacyTraffic(traffic: Database, databaseFile: string): number {
  if (!fs.existsSync(databaseFile)) return 0;
  if (traffic.prepare('SELECT 1 FROM traffic_log LIMIT 1').get() !== undefined) return 0;
  traffic.prepare('ATTACH DATABASE ? AS legacy').run(databaseFile);
  try {
    const legacy = traffic
      .prepare("SELECT 1 FROM legacy.sqlite_master WHERE type = 'table' AND name = 'traffic_log'")
      .get();
    if (legacy === undefined) return 0;
    return traffic
      .prepare(`INSERT INTO traffic_log (${COLUMNS}) SELECT ${COLUMNS} FROM legacy.traffic_log ORDER BY position`)
      .run().changes;
  } finally {
    traffic.exec('DETACH DATABASE legacy');
  }
}
