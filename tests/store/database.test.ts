import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BUSY_TIMEOUT_MS, openDatabase, type Database } from '../../src/store/database.js';
import { appliedVersions, MIGRATIONS } from '../../src/store/migrations.js';
import { useTempDirs } from './temp-dir.js';

const tempDir = useTempDirs();
const open: Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function openAt(file: string): Database {
  const db = openDatabase(file);
  open.push(db);
  return db;
}

describe('openDatabase', () => {
  it('creates missing parent directories and migrates the new file', () => {
    const file = path.join(tempDir(), 'nested', 'deeper', 'ordergate.db');
    const db = openAt(file);
    expect(appliedVersions(db)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it('runs in WAL mode with full fsync, a busy timeout and foreign keys', () => {
    const db = openAt(path.join(tempDir(), 'ordergate.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('enforces foreign keys', () => {
    const db = openAt(path.join(tempDir(), 'ordergate.db'));
    const insert = db.prepare("INSERT INTO accounts (id, user_id, name, created_at) VALUES ('a', 'no-such-user', 'x', 0)");
    expect(() => insert.run()).toThrow(/FOREIGN KEY/);
  });

  it('lets two connections (CLI and server) see each other’s committed writes', () => {
    const file = path.join(tempDir(), 'ordergate.db');
    const server = openAt(file);
    const cli = openAt(file);
    cli.prepare("INSERT INTO settings (key, value) VALUES ('from', 'cli')").run();
    server.prepare("INSERT INTO settings (key, value) VALUES ('other', 'server')").run();
    const read = (db: Database): unknown =>
      db.prepare('SELECT key, value FROM settings ORDER BY key').all();
    const expected = [
      { key: 'from', value: 'cli' },
      { key: 'other', value: 'server' },
    ];
    expect(read(server)).toEqual(expected);
    expect(read(cli)).toEqual(expected);
  });

  it('works in memory for throwaway use', () => {
    const db = openAt(':memory:');
    expect(appliedVersions(db)).toEqual(MIGRATIONS.map((m) => m.version));
  });
});
