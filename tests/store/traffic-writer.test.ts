// TrafficWriter: batches handed over are committed by its thread into traffic.db, in order; a failed batch is reported
// with the entries it lost and later ones are still written; close waits for what is in flight; afterwards, and if
// the thread dies, batches are written through the fallback instead. Purges run on the thread too, after the batches
// handed over before them.
import path from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Schema } from '../../src/store/schema.js';
import type { TrafficEntry } from '../../src/store/store.js';
import { openTrafficDatabase } from '../../src/store/traffic-database.js';
import { SqlTrafficLogRepository } from '../../src/store/traffic-log-repository.js';
import { TrafficWriter } from '../../src/store/traffic-writer.js';
import { trafficEntry } from './traffic-entry.js';
import { useTempDirs } from './temp-dir.js';

const tempDir = useTempDirs();

const entry = (at: number, overrides: Partial<TrafficEntry> = {}): TrafficEntry => trafficEntry({ at, ...overrides });

/** traffic.db with the repository the gateway falls back to (and reads through), over a connection of this thread. */
function setUp() {
  const file = path.join(tempDir(), 'traffic.db');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: openTrafficDatabase(file) }) });
  const reader = new SqlTrafficLogRepository(db);
  const ats = async () => (await reader.list({ scope: { accountIds: ['a'], userId: 'u' }, limit: 1000 })).map((row) => row.at);
  return { file, db, reader, ats };
}

describe('TrafficWriter', () => {
  it('commits the batches on its thread, in order, readable from another connection once idle', async () => {
    const { file, db, reader, ats } = setUp();
    const writer = await TrafficWriter.start(file, reader);
    await writer.appendMany([entry(1), entry(2)]);
    await writer.appendMany([]);
    await writer.appendMany([entry(3)]);
    await writer.idle();
    expect(await ats()).toEqual([3, 2, 1]);
    await writer.close();
    await db.destroy();
  });

  it('reports a failed batch with the entries it lost, and writes the next ones', async () => {
    const { file, db, reader, ats } = setUp();
    const writer = await TrafficWriter.start(file, reader);
    const failures: Array<[string, number]> = [];
    writer.onError = (error, lost) => failures.push([(error as Error).message, lost]);
    await writer.appendMany([entry(1), entry(2, { ip: null as unknown as string })]);
    await writer.appendMany([entry(3)]);
    await writer.idle();
    expect(failures).toEqual([[expect.stringContaining('NOT NULL constraint failed: traffic_log.ip'), 2]]);
    expect(await ats()).toEqual([3]);
    await writer.close();
    await db.destroy();
  });

  it('purges on its thread after the batches handed over before, and answers how many it deleted', async () => {
    const { file, db, reader, ats } = setUp();
    const writer = await TrafficWriter.start(file, reader);
    await writer.appendMany([entry(1), entry(2), entry(3)]);
    const purged = writer.purge(3);
    await writer.appendMany([entry(1)]);
    expect(await purged).toBe(2);
    await writer.idle();
    // Newest first: the entry appended after the purge is kept although it is older than the limit.
    expect(await ats()).toEqual([1, 3]);
    await writer.close();
    // Closed: the fallback purges, here.
    expect(await writer.purge(2)).toBe(1);
    expect(await ats()).toEqual([3]);
    await db.destroy();
  });

  it('closes after what is in flight, then writes through the fallback', async () => {
    const { file, db, reader, ats } = setUp();
    const writer = await TrafficWriter.start(file, reader);
    for (let at = 1; at <= 50; at++) await writer.appendMany([entry(at)]);
    await writer.close();
    expect(await ats()).toHaveLength(50);
    await writer.appendMany([entry(51)]);
    expect((await ats())[0]).toBe(51);
    await db.destroy();
  });
});
