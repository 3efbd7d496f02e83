import { afterEach, describe, expect, it } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { openTrafficDatabase } from '../../src/store/traffic-database.js';
import type { TrafficEntry, TrafficScope } from '../../src/store/store.js';
import { SqliteTrafficLogRepository } from '../../src/store/traffic-log-repository.js';
import { trafficEntry } from './traffic-entry.js';

const open: Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function repository(): SqliteTrafficLogRepository {
  const db = openTrafficDatabase(':memory:');
  open.push(db);
  return new SqliteTrafficLogRepository(db);
}

const entry = (overrides: Partial<TrafficEntry>): TrafficEntry => trafficEntry(overrides);
const everyone: TrafficScope = { accountIds: ['a', 'b'], userId: 'u' };

describe('SqliteTrafficLogRepository.list', () => {
  it('sees the scope’s accounts and the user’s own account-less rows, newest first', () => {
    const traffic = repository();
    traffic.appendMany([
      entry({ accountId: 'a', at: 1 }),
      entry({ accountId: 'b', at: 2 }),
      entry({ accountId: null, userId: 'u', keyId: null, at: 3 }),
      entry({ accountId: null, userId: 'other', keyId: null, at: 4 }),
      entry({ accountId: null, userId: null, keyId: null, at: 5 }),
      entry({ accountId: 'c', at: 6 }),
    ]);
    const ats = (scope: TrafficScope) => traffic.list({ scope, limit: 100 }).map((r) => r.at);
    expect(ats(everyone)).toEqual([3, 2, 1]);
    expect(ats({ accountIds: ['b'], userId: null })).toEqual([2]);
    expect(ats({ accountIds: [], userId: 'u' })).toEqual([3]);
    expect(ats({ accountIds: [], userId: null })).toEqual([]);
  });

  it('returns every column as stored, with the position as id', () => {
    const traffic = repository();
    traffic.appendMany([entry({ route: null, status: 404, path: '/api/v1/nope', durationUs: 1234 })]);
    expect(traffic.list({ scope: everyone, limit: 10 })).toEqual([
      { ...trafficEntry(), id: 1, route: null, status: 404, path: '/api/v1/nope', durationUs: 1234 },
    ]);
  });

  it('filters by window, status, status class and path, and pages with the before cursor', () => {
    const traffic = repository();
    traffic.appendMany([
      entry({ at: 10, status: 200 }),
      entry({ at: 20, status: 404, path: '/api/v1/orderstatus' }),
      entry({ at: 30, status: 400 }),
      entry({ at: 40, status: 500 }),
      entry({ at: 50, status: 201 }),
    ]);
    const ids = (query: Partial<Parameters<typeof traffic.list>[0]>) =>
      traffic.list({ scope: everyone, limit: 100, ...query }).map((r) => r.id);
    expect(ids({ since: 20, until: 40 })).toEqual([3, 2]);
    expect(ids({ status: 404 })).toEqual([2]);
    expect(ids({ statusClass: 4 })).toEqual([3, 2]);
    expect(ids({ statusClass: 2 })).toEqual([5, 1]);
    expect(ids({ path: '/api/v1/orderstatus' })).toEqual([2]);
    expect(ids({ limit: 2 })).toEqual([5, 4]);
    expect(ids({ limit: 2, before: 4 })).toEqual([3, 2]);
    expect(ids({ limit: 2, before: 2 })).toEqual([1]);
  });
});

describe('SqliteTrafficLogRepository.summarize', () => {
  it('counts errors and takes nearest-rank percentiles per method and route, busiest first', () => {
    const traffic = repository();
    const durations = [5, 1, 9, 3, 7, 2, 8, 4, 10, 6];
    const statuses = [200, 500, 200, 404, 503, 200, 400, 200, 200, 500];
    traffic.appendMany([
      ...durations.map((ms, i) => entry({ durationUs: ms * 1000, status: statuses[i] ?? 200 })),
      ...[300, 100, 200].map((us) => entry({ method: 'GET', route: '/api/admin/traffic', path: '/api/admin/traffic', durationUs: us })),
      entry({ route: null, path: '/api/v1/nope', status: 404, durationUs: 50 }),
      entry({ at: 99, durationUs: 1 }),
      entry({ accountId: 'c', durationUs: 1 }),
    ]);
    expect(traffic.summarize(everyone, 1000, 2000)).toEqual([
      { method: 'POST', route: '/api/v1/funds', requests: 10, errors: 5, serverErrors: 3, p50Us: 5000, p90Us: 9000, p99Us: 10_000 },
      { method: 'GET', route: '/api/admin/traffic', requests: 3, errors: 0, serverErrors: 0, p50Us: 200, p90Us: 300, p99Us: 300 },
      { method: 'POST', route: null, requests: 1, errors: 1, serverErrors: 0, p50Us: 50, p90Us: 50, p99Us: 50 },
    ]);
    expect(traffic.summarize(everyone, 1001)).toEqual([]);
    expect(traffic.summarize(everyone, 0, 1000).map((e) => [e.requests, e.p99Us])).toEqual([[1, 1]]);
    expect(traffic.summarize({ accountIds: [], userId: null }, 0)).toEqual([]);
  });
});

describe('SqliteTrafficLogRepository.purgeBefore', () => {
  it('forgets entries older than the limit and keeps the rest', () => {
    const traffic = repository();
    traffic.appendMany([entry({ at: 1 }), entry({ at: 2 }), entry({ at: 3 })]);
    expect(traffic.purgeBefore(3)).toBe(2);
    expect(traffic.list({ scope: everyone, limit: 10 }).map((r) => r.at)).toEqual([3]);
  });
});
