import { describe, expect, it } from 'vitest';
import type { TrafficEntry, TrafficScope } from '../../src/store/store.js';
import { SqlTrafficLogRepository } from '../../src/store/traffic-log-repository.js';
import { useEngines } from './engines.js';
import { trafficEntry } from './traffic-entry.js';

const engines = useEngines();

const entry = (overrides: Partial<TrafficEntry>): TrafficEntry => trafficEntry(overrides);
const everyone: TrafficScope = { accountIds: ['a', 'b'], userId: 'u' };

describe.each(engines)('SqlTrafficLogRepository on $name', (engine) => {
  const repository = async () => new SqlTrafficLogRepository(await engine.open({ traffic: true }));

  describe('list', () => {
    it('sees the scope’s accounts and the user’s own account-less rows, newest first', async () => {
      const traffic = await repository();
      await traffic.appendMany([
        entry({ accountId: 'a', at: 1 }),
        entry({ accountId: 'b', at: 2 }),
        entry({ accountId: null, userId: 'u', keyId: null, at: 3 }),
        entry({ accountId: null, userId: 'other', keyId: null, at: 4 }),
        entry({ accountId: null, userId: null, keyId: null, at: 5 }),
        entry({ accountId: 'c', at: 6 }),
      ]);
      const ats = async (scope: TrafficScope) => (await traffic.list({ scope, limit: 100 })).map((r) => r.at);
      expect(await ats(everyone)).toEqual([3, 2, 1]);
      expect(await ats({ accountIds: ['b'], userId: null })).toEqual([2]);
      expect(await ats({ accountIds: [], userId: 'u' })).toEqual([3]);
      expect(await ats({ accountIds: [], userId: null })).toEqual([]);
    });

    it('returns every column as stored, with the position as id', async () => {
      const traffic = await repository();
      await traffic.appendMany([entry({ route: null, status: 404, path: '/api/v1/nope', durationUs: 1234 })]);
      expect(await traffic.list({ scope: everyone, limit: 10 })).toEqual([
        { ...trafficEntry(), id: 1, route: null, status: 404, path: '/api/v1/nope', durationUs: 1234 },
      ]);
    });

    it('filters by window, status, status class and path, and pages with the before cursor', async () => {
      const traffic = await repository();
      await traffic.appendMany([
        entry({ at: 10, status: 200 }),
        entry({ at: 20, status: 404, path: '/api/v1/orderstatus' }),
        entry({ at: 30, status: 400 }),
        entry({ at: 40, status: 500 }),
        entry({ at: 50, status: 201 }),
      ]);
      const ids = async (query: Partial<Parameters<typeof traffic.list>[0]>) =>
        (await traffic.list({ scope: everyone, limit: 100, ...query })).map((r) => r.id);
      expect(await ids({ since: 20, until: 40 })).toEqual([3, 2]);
      expect(await ids({ status: 404 })).toEqual([2]);
      expect(await ids({ statusClass: 4 })).toEqual([3, 2]);
      expect(await ids({ statusClass: 2 })).toEqual([5, 1]);
      expect(await ids({ path: '/api/v1/orderstatus' })).toEqual([2]);
      expect(await ids({ limit: 2 })).toEqual([5, 4]);
      expect(await ids({ limit: 2, before: 4 })).toEqual([3, 2]);
      expect(await ids({ limit: 2, before: 2 })).toEqual([1]);
    });
  });

  describe('appendMany', () => {
    it('appends a batch larger than one statement takes, in order', async () => {
      const traffic = await repository();
      const count = 7_000;
      await traffic.appendMany(Array.from({ length: count }, (_, i) => entry({ at: i + 1 })));
      const listed = await traffic.list({ scope: everyone, limit: count + 1 });
      expect(listed).toHaveLength(count);
      expect(listed.every((record, i) => record.id === count - i && record.at === count - i)).toBe(true);
    });

    it('writes nothing of a batch one of whose entries cannot be stored, however many statements it takes', async () => {
      const traffic = await repository();
      const stored = Array.from({ length: 1_500 }, (_, i) => entry({ at: i + 1 }));
      const broken = entry({ at: 1_501, ip: null as unknown as string });
      await expect(traffic.appendMany([...stored, broken])).rejects.toThrow(/null/i);
      expect(await traffic.list({ scope: everyone, limit: 10 })).toEqual([]);
    });
  });

  describe('summarize', () => {
    it('counts errors and takes nearest-rank percentiles per method and route, busiest first', async () => {
      const traffic = await repository();
      const durations = [5, 1, 9, 3, 7, 2, 8, 4, 10, 6];
      const statuses = [200, 500, 200, 404, 503, 200, 400, 200, 200, 500];
      await traffic.appendMany([
        ...durations.map((ms, i) => entry({ durationUs: ms * 1000, status: statuses[i] ?? 200 })),
        ...[300, 100, 200].map((us) => entry({ method: 'GET', route: '/api/admin/traffic', path: '/api/admin/traffic', durationUs: us })),
        entry({ route: null, path: '/api/v1/nope', status: 404, durationUs: 50 }),
        entry({ at: 99, durationUs: 1 }),
        entry({ accountId: 'c', durationUs: 1 }),
      ]);
      expect(await traffic.summarize(everyone, 1000, 2000)).toEqual([
        { method: 'POST', route: '/api/v1/funds', requests: 10, errors: 5, serverErrors: 3, p50Us: 5000, p90Us: 9000, p99Us: 10_000 },
        { method: 'GET', route: '/api/admin/traffic', requests: 3, errors: 0, serverErrors: 0, p50Us: 200, p90Us: 300, p99Us: 300 },
        { method: 'POST', route: null, requests: 1, errors: 1, serverErrors: 0, p50Us: 50, p90Us: 50, p99Us: 50 },
      ]);
      expect(await traffic.summarize(everyone, 1001)).toEqual([]);
      expect((await traffic.summarize(everyone, 0, 1000)).map((e) => [e.requests, e.p99Us])).toEqual([[1, 1]]);
      expect(await traffic.summarize({ accountIds: [], userId: null }, 0)).toEqual([]);
    });

    it('orders endpoints of equal traffic by route, the unmatched first, then by method', async () => {
      const traffic = await repository();
      await traffic.appendMany([
        entry({ method: 'POST', route: '/b' }),
        entry({ method: 'GET', route: '/b' }),
        entry({ method: 'GET', route: '/a' }),
        entry({ method: 'GET', route: null }),
      ]);
      expect((await traffic.summarize(everyone, 0)).map((e) => [e.method, e.route])).toEqual([
        ['GET', null],
        ['GET', '/a'],
        ['GET', '/b'],
        ['POST', '/b'],
      ]);
    });
  });

  describe('purgeBefore', () => {
    it('forgets entries older than the limit and keeps the rest', async () => {
      const traffic = await repository();
      await traffic.appendMany([entry({ at: 1 }), entry({ at: 2 }), entry({ at: 3 })]);
      expect(await traffic.purgeBefore(3)).toBe(2);
      expect((await traffic.list({ scope: everyone, limit: 10 })).map((r) => r.at)).toEqual([3]);
    });
  });
});
