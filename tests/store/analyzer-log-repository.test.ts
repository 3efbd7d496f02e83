import { afterEach, describe, expect, it } from 'vitest';
import { SqliteAnalyzerLogRepository } from '../../src/store/analyzer-log-repository.js';
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
