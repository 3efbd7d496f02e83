import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { openDatabase } from '../../src/store/database.js';
import { appliedVersions, migrate, MIGRATIONS, type Migration, sqlOf } from '../../src/store/migrations.js';
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
      'backtest_runs',
      'broker_connections',
      'chart_preferences',
      'events',
      'gtt_orders',
      'idempotency_keys',
      'login_addresses',
      'order_events',
      'refresh_tokens',
      'schema_migrations',
      'settings',
      'user_strategies',
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

  it('8 makes account names unique per user in a file made before it, keeping its accounts and their keys', () => {
    const file = path.join(tempDir(), 'ordergate.db');
    const old = new BetterSqlite3(file);
    migrate(old, MIGRATIONS.filter((m) => m.version < 8));
    old.exec(`
      INSERT INTO users (id, username, created_at) VALUES ('u1', 'admin', 1), ('u2', 'bob', 2);
      INSERT INTO accounts (id, user_id, name, broker, created_at) VALUES ('a1', 'u1', 'main', 'paper', 3), ('a2', 'u2', 'bobs', 'paper', 4);
      INSERT INTO api_keys (id, account_id, prefix, digest, scopes, created_at) VALUES ('k1', 'a1', 'abcdabcd', 'd1', 'read', 5);
    `);
    old.close();

    const db = openDatabase(file);
    expect(appliedVersions(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(db.prepare('SELECT id, user_id, name, broker, created_at FROM accounts ORDER BY id').all()).toEqual([
      { id: 'a1', user_id: 'u1', name: 'main', broker: 'paper', created_at: 3 },
      { id: 'a2', user_id: 'u2', name: 'bobs', broker: 'paper', created_at: 4 },
    ]);
    expect(db.prepare('SELECT account_id FROM api_keys').pluck().all()).toEqual(['a1']);
    const insert = db.prepare("INSERT INTO accounts (id, user_id, name, created_at) VALUES (?, ?, 'main', 6)");
    insert.run('a3', 'u2');
    expect(() => insert.run('a4', 'u1')).toThrow(/UNIQUE/);
    expect(() => db.prepare("INSERT INTO accounts (id, user_id, name, created_at) VALUES ('a5', 'nobody', 'x', 7)").run()).toThrow(
      /FOREIGN KEY/,
    );
    expect(() => db.prepare("DELETE FROM accounts WHERE id = 'a1'").run()).toThrow(/FOREIGN KEY/);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  it('refuse a database migrated by a newer version', () => {
    const db = new BetterSqlite3(':memory:');
    migrate(db, [...MIGRATIONS, { version: 1000, name: 'future', sql: 'SELECT 1' }]);
    expect(() => migrate(db, MIGRATIONS)).toThrow(/newer/);
    db.close();
  });

  it('spell each engine’s SQL: tokens expanded per engine, per-engine texts picked, unknown tokens refused', () => {
    const journal = MIGRATIONS.find((m) => m.version === 2)!;
    expect(sqlOf(journal, 'sqlite')).toContain('position INTEGER PRIMARY KEY AUTOINCREMENT,');
    expect(sqlOf(journal, 'postgres')).toContain('position BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,');
    const sandbox = MIGRATIONS.find((m) => m.version === 10)!;
    expect(sqlOf(sandbox, 'sqlite')).toBe('');
    expect(sqlOf(sandbox, 'postgres')).toMatch(/CREATE TABLE sandbox_events \(\s+position BIGINT GENERATED BY DEFAULT AS IDENTITY/);
    expect(() => sqlOf({ version: 1000, name: 'typo', sql: 'CREATE TABLE t ({{positon}})' }, 'sqlite')).toThrow(
      'migration 1000: unknown token {{positon}}',
    );
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
