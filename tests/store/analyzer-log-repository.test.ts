import { afterEach, describe, expect, it } from 'vitest';
import { EXPORT_PAGE_SIZE, SqliteAnalyzerLogRepository } from '../../src/store/analyzer-log-repository.js';
import { openDatabase, type Database } from '../../src/store/database.js';

const open: Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

describe('SqliteAnalyzerLogRepository', () => {
  it('appends entries and counts them per account', () => {
    const db = openDatabase(':memory:');
    open.push(db);
    const logs = new SqliteAnalyzerLogRepository(db);
    const entry = { at: 1, path: '/api/v1/funds', statusCode: 200, request: '{}', response: '{"status":"success"}' };
    expect(logs.count('a')).toBe(0);
    logs.append({ ...entry, accountId: 'a' });
    logs.append({ ...entry, accountId: 'a' });
    logs.append({ ...entry, accountId: 'b' });
    expect([logs.count('a'), logs.count('b'), logs.count('c')]).toEqual([2, 1, 0]);
  });
});

describe('SqliteAnalyzerLogRepository reads', () => {
  const entry = (accountId: string, at: number) => ({
    accountId,
    at,
    path: '/api/v1/placeorder',
    statusCode: 200,
    request: `{"n":${at}}`,
    response: '{"status":"success","mode":"analyze"}',
  });

  it("lists an account's entries newest first, paged by id and bounded by since", () => {
    const db = openDatabase(':memory:');
    open.push(db);
    const logs = new SqliteAnalyzerLogRepository(db);
    for (const at of [10, 20, 30, 40]) logs.append(entry('a', at));
    logs.append(entry('b', 50));
    expect(logs.list('a', { limit: 10 })).toEqual([
      { id: 4, ...entry('a', 40) },
      { id: 3, ...entry('a', 30) },
      { id: 2, ...entry('a', 20) },
      { id: 1, ...entry('a', 10) },
    ]);
    expect(logs.list('a', { limit: 2 }).map((e) => e.id)).toEqual([4, 3]);
    expect(logs.list('a', { limit: 2, before: 3 }).map((e) => e.id)).toEqual([2, 1]);
    expect(logs.list('a', { limit: 10, since: 30 }).map((e) => e.id)).toEqual([4, 3]);
    expect(logs.list('c', { limit: 10 })).toEqual([]);
  });

  it('exports every entry oldest first across pages, leaving out what is appended meanwhile', () => {
    const db = openDatabase(':memory:');
    open.push(db);
    const logs = new SqliteAnalyzerLogRepository(db);
    const total = EXPORT_PAGE_SIZE * 2 + 3;
    for (let at = 1; at <= total; at += 1) {
      logs.append(entry('a', at));
      logs.append(entry('b', at));
    }
    const seen: number[] = [];
    for (const record of logs.entries('a')) {
      seen.push(record.at);
      // Other queries run between pages: the export never holds the connection.
      if (record.at === 1) logs.append(entry('a', total + 1));
      expect(logs.count('a')).toBe(total + 1);
    }
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    expect([...logs.entries('c')]).toEqual([]);
  });
});
