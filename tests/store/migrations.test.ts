import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { openDatabase } from '../../src/store/database.js';
import { appliedVersions, migrate, MIGRATIONS, type Migration } from '../../src/store/migrations.js';
import { useTempDirs } from './temp-dir.js';

const tempDir = useTempDirs();

function tableNames(db: BetterSqlite3.Database): string[] {
  return db
    .prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all();
}

describe('migrations', () => {
  it('are numbered in increasing order', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('create the schema and record every version with its time', () => {
    const db = new BetterSqlite3(':memory:');
    const applied = migrate(db, MIGRATIONS, new ManualClock(1_700_000_000_000));
    expect(applied).toEqual(MIGRATIONS.map((m) => m.version));
    expect(tableNames(db)).toEqual([
      'accounts',
      'analyzer_logs',
      'api_keys',
      'auth_sessions',
      'events',
      'idempotency_keys',
      'refresh_tokens',
      'schema_migrations',
      'settings',
      'users',
    ]);
    const rows = db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all();
    expect(rows).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name, applied_at: 1_700_000_000_000 })));
    db.close();
  });

  it('are idempotent: reopening a migrated file applies nothing and keeps the data', () => {
    const file = path.join(tempDir(), 'ordergate.db');
    const first = openDatabase(file);
    first.prepare("INSERT INTO settings (key, value) VALUES ('kept', 'yes')").run();
    first.close();

    const second = openDatabase(file);
    expect(migrate(second)).toEqual([]);
    expect(appliedVersions(second)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(second.prepare("SELECT value FROM settings WHERE key = 'kept'").pluck().get()).toBe('yes');
    second.close();
  });

  it('apply only the migrations added since the last open', () => {
    const db = new BetterSqlite3(':memory:');
    migrate(db, MIGRATIONS);
    const next: Migration = { version: 1000, name: 'extra', sql: 'CREATE TABLE extra (id TEXT PRIMARY KEY)' };
    expect(migrate(db, [...MIGRATIONS, next])).toEqual([1000]);
    expect(tableNames(db)).toContain('extra');
    db.close();
  });

  it('roll back a failing migration entirely and leave it unrecorded', () => {
    const db = new BetterSqlite3(':memory:');
    migrate(db, MIGRATIONS);
    const broken: Migration = {
      version: 1000,
      name: 'broken',
      sql: 'CREATE TABLE half (id TEXT PRIMARY KEY); INSERT INTO no_such_table VALUES (1);',
    };
    expect(() => migrate(db, [...MIGRATIONS, broken])).toThrow(/no_such_table/);
    expect(tableNames(db)).not.toContain('half');
    expect(appliedVersions(db)).toEqual(MIGRATIONS.map((m) => m.version));
    db.close();
  });

  it('refuse a database migrated by a newer version', () => {
    const db = new BetterSqlite3(':memory:');
    migrate(db, [...MIGRATIONS, { version: 1000, name: 'future', sql: 'SELECT 1' }]);
    expect(() => migrate(db, MIGRATIONS)).toThrow(/newer/);
    db.close();
  });

  it('refuse a list out of order', () => {
    const db = new BetterSqlite3(':memory:');
    const swapped = [
      { version: 2, name: 'b', sql: 'SELECT 1' },
      { version: 1, name: 'a', sql: 'SELECT 1' },
    ];
    expect(() => migrate(db, swapped)).toThrow(/increasing/);
    db.close();
  });
});
