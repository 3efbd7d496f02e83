import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSqliteStore } from '../../src/store/sqlite-store.js';
import { useTempDirs } from './temp-dir.js';

const tempDir = useTempDirs();

describe('idempotency repository', () => {
  it('keeps the first answer per account and key, survives reopening, and purges old answers', () => {
    const file = path.join(tempDir(), 'ordergate.db');
    const store = createSqliteStore(file);
    const first = { fingerprint: 'f1', statusCode: 200, body: '{"status":"success","orderid":"1"}' };
    store.idempotency.save('acc', 'k1', first, 1000);
    store.idempotency.save('acc', 'k1', { fingerprint: 'f2', statusCode: 400, body: '{}' }, 2000);
    store.idempotency.save('other', 'k1', { fingerprint: 'f3', statusCode: 200, body: '{}' }, 3000);
    store.close();

    const reopened = createSqliteStore(file);
    expect(reopened.idempotency.find('acc', 'k1')).toEqual(first);
    expect(reopened.idempotency.find('acc', 'k2')).toBeUndefined();
    expect(reopened.idempotency.purgeBefore(2500)).toBe(1);
    expect(reopened.idempotency.find('acc', 'k1')).toBeUndefined();
    expect(reopened.idempotency.find('other', 'k1')?.fingerprint).toBe('f3');
    reopened.close();
  });
});
