// TrafficWriter: batches handed over are committed by its thread into traffic.db, in order; a failed batch is reported
// with the entries it lost and later ones are still written; close waits for what is in flight; afterwards, and if
// the thread dies, batches are written through the fallback instead. Purges run on the thread too, after the batches
// handed over before them.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrafficEntry } from '../../src/store/store.js';
import { openTrafficDatabase } from '../../src/store/traffic-database.js';
import { SqliteTrafficLogRepository } from '../../src/store/traffic-log-repository.js';
import { TrafficWriter } from '../../src/store/traffic-writer.js';
import { trafficEntry } from './traffic-entry.js';
import { useTempDirs } from './temp-dir.js';

const tempDir = useTempDirs();

const entry = (at: number, overrides: Partial<TrafficEntry> = {}): TrafficEntry => trafficEntry({ at, ...overrides });

function setUp() {
  const file = path.join(tempDir(), 'traffic.db');
  const db = openTrafficDatabase(file);
  const reader = new SqliteTrafficLogRepository(db);
  const ats = () => reader.list({ scope: { accountIds: ['a'], userId: 'u' }, limit: 1000 }).map((row) => row.at);
  return { file, db, reader, ats };
}

describe('TrafficWriter', () => {
  it('commits the batches on its thread, in order, readable from another connection once idle', async () => {
    const { file, db, reader, ats } = setUp();
    const writer = await TrafficWriter.start(file, reader);
    writer.appendMany([entry(1), entry(2)]);
    writer.appendMany([]);
    writer.appendMany([entry(3)]);
    await writer.idle();
    expect(ats()).toEqual([3, 2, 1]);
    await writer.close();
    db.close();
  });

  it('reports a failed batch with the entries it lost, and writes the next ones', async () => {
    const { file, db, reader, ats } = setUp();
    const writer = await TrafficWriter.start(file, reader);
    const failures: Array<[string, number]> = [];
    writer.onError = (error, lost) => failures.push([(error as Error).message, lost]);
    writer.appendMany([entry(1), entry(2, { ip: null as unknown as string })]);
    writer.appendMany([entry(3)]);
    await writer.idle();
    expect(failures).toEqual([[expect.stringContaining('NOT NULL constraint failed: traffic_log.ip'), 2]]);
    expect(ats()).toEqual([3]);
    await writer.close();
    db.close();
  });

  it('purges on its thread after the batches handed over before, and answers how many it deleted', async () => {
    const { file, db, reader, ats } = setUp();
    const writer = await TrafficWriter.start(file, reader);
    writer.appendMany([entry(1), entry(2), entry(3)]);
    const purged = writer.purge(3);
    writer.appendMany([entry(1)]);
    expect(await purged).toBe(2);
    await writer.idle();
    // Newest first: the entry appended after the purge is kept although it is older than the limit.
    expect(ats()).toEqual([1, 3]);
    await writer.close();
    // Closed: the fallback purges, here.
    expect(await writer.purge(2)).toBe(1);
    expect(ats()).toEqual([3]);
    db.close();
  });

  it('closes after what is in flight, then writes through the fallback', async () => {
    const { file, db, reader, ats } = setUp();
    const writer = await TrafficWriter.start(file, reader);
    for (let at = 1; at <= 50; at++) writer.appendMany([entry(at)]);
    await writer.close();
    expect(ats()).toHaveLength(50);
    writer.appendMany([entry(51)]);
    expect(ats()[0]).toBe(51);
    db.close();
  });
});
