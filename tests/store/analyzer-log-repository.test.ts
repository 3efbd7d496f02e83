import { describe, expect, it } from 'vitest';
import { EXPORT_PAGE_SIZE, SqlAnalyzerLogRepository } from '../../src/store/analyzer-log-repository.js';
import type { AnalyzerLogRecord } from '../../src/store/store.js';
import { useEngines } from './engines.js';

const engines = useEngines();

const entry = (accountId: string, at: number) => ({
  accountId,
  at,
  path: '/api/v1/placeorder',
  statusCode: 200,
  request: `{"n":${at}}`,
  response: '{"status":"success","mode":"analyze"}',
});

describe.each(engines)('SqlAnalyzerLogRepository on $name', (engine) => {
  const repository = async () => new SqlAnalyzerLogRepository(await engine.open());

  it('appends entries and counts them per account', async () => {
    const logs = await repository();
    const sample = { at: 1, path: '/api/v1/funds', statusCode: 200, request: '{}', response: '{"status":"success"}' };
    expect(await logs.count('a')).toBe(0);
    await logs.append({ ...sample, accountId: 'a' });
    await logs.append({ ...sample, accountId: 'a' });
    await logs.append({ ...sample, accountId: 'b' });
    expect([await logs.count('a'), await logs.count('b'), await logs.count('c')]).toEqual([2, 1, 0]);
  });

  it("lists an account's entries newest first, paged by id and bounded by since", async () => {
    const logs = await repository();
    for (const at of [10, 20, 30, 40]) await logs.append(entry('a', at));
    await logs.append(entry('b', 50));
    expect(await logs.list('a', { limit: 10 })).toEqual([
      { id: 4, ...entry('a', 40) },
      { id: 3, ...entry('a', 30) },
      { id: 2, ...entry('a', 20) },
      { id: 1, ...entry('a', 10) },
    ]);
    expect((await logs.list('a', { limit: 2 })).map((e) => e.id)).toEqual([4, 3]);
    expect((await logs.list('a', { limit: 2, before: 3 })).map((e) => e.id)).toEqual([2, 1]);
    expect((await logs.list('a', { limit: 10, since: 30 })).map((e) => e.id)).toEqual([4, 3]);
    expect(await logs.list('c', { limit: 10 })).toEqual([]);
  });

  it('exports every entry oldest first across pages, leaving out what is appended meanwhile', async () => {
    const db = await engine.open();
    const logs = new SqlAnalyzerLogRepository(db);
    const total = EXPORT_PAGE_SIZE * 2 + 3;
    // Seeded in one statement: a round trip per append makes PostgreSQL take seconds.
    const rows = Array.from({ length: total }, (_, i) => [entry('a', i + 1), entry('b', i + 1)]).flat();
    await db
      .insertInto('analyzer_logs')
      .values(
        rows.map((e) => ({
          account_id: e.accountId,
          at: e.at,
          path: e.path,
          status_code: e.statusCode,
          request: e.request,
          response: e.response,
        })),
      )
      .execute();
    const seen: number[] = [];
    for await (const record of logs.entries('a')) {
      seen.push(record.at);
      // Other queries run between pages: the export never holds the connection.
      if (record.at === 1) await logs.append(entry('a', total + 1));
      expect(await logs.count('a')).toBe(total + 1);
    }
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    const none: AnalyzerLogRecord[] = [];
    for await (const record of logs.entries('c')) none.push(record);
    expect(none).toEqual([]);
  });
});
