import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/domain/clock.js';
import { TrafficLog } from '../../src/gateway/traffic-log.js';
import type { EndpointTraffic, TrafficEntry, TrafficLogRepository, TrafficRecord } from '../../src/store/store.js';

const DAY_MS = 24 * 3600 * 1000;

/** Records what the log writes: each commit's entries, and each purge's limit. */
class RecordingRepository implements TrafficLogRepository {
  readonly commits: TrafficEntry[][] = [];
  readonly purges: number[] = [];
  failNext = false;

  appendMany(entries: readonly TrafficEntry[]): void {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    this.commits.push([...entries]);
  }
  purgeBefore(before: number): number {
    this.purges.push(before);
    return 0;
  }
  list(): TrafficRecord[] {
    return [];
  }
  summarize(): EndpointTraffic[] {
    return [];
  }
}

const entry = (at: number): TrafficEntry => ({
  at,
  keyId: null,
  accountId: null,
  userId: null,
  ip: '127.0.0.1',
  method: 'GET',
  path: '/api/v1/ping',
  route: '/api/v1/ping',
  status: 200,
  durationUs: 10,
});

function build(batchSize = 3) {
  const repository = new RecordingRepository();
  const clock = new ManualClock(100 * DAY_MS);
  const log = new TrafficLog({ repository, clock, retentionDays: 7, batchSize });
  return { repository, clock, log };
}

describe('TrafficLog', () => {
  it('buffers entries and writes them in one commit per flush', () => {
    const { repository, log } = build(10);
    log.record(entry(1));
    log.record(entry(2));
    expect(repository.commits).toEqual([]);
    expect(log.flush()).toBe(2);
    expect(log.flush()).toBe(0);
    expect(repository.commits).toEqual([[entry(1), entry(2)]]);
  });

  it('writes a full batch on the next turn of the event loop, never inside the request that fills it', async () => {
    const { repository, log } = build(3);
    for (const at of [1, 2, 3, 4]) log.record(entry(at));
    expect(repository.commits).toEqual([]);
    await nextTurn();
    expect(repository.commits).toEqual([[entry(1), entry(2), entry(3), entry(4)]]);
  });

  it('purges past the retention at start and on demand, on its clock', async () => {
    const { repository, clock, log } = build();
    log.start();
    clock.advance(3600 * 1000);
    expect(await log.purge()).toBe(0);
    await log.close();
    expect(repository.purges).toEqual([93 * DAY_MS, 93 * DAY_MS + 3600 * 1000]);
  });

  it('writes what is buffered on close and ignores later records', async () => {
    const { repository, log } = build(10);
    log.start();
    log.record(entry(1));
    await log.close();
    log.record(entry(2));
    expect(log.flush()).toBe(0);
    expect(repository.commits).toEqual([[entry(1)]]);
  });

  it('reports a failed write with the entries it lost, and keeps logging afterwards', async () => {
    const { repository, log } = build(2);
    const failures: Array<[string, number]> = [];
    log.onError = (error, lost) => failures.push([(error as Error).message, lost]);
    repository.failNext = true;
    log.record(entry(1));
    log.record(entry(2));
    await nextTurn();
    log.record(entry(3));
    log.flush();
    expect(failures).toEqual([['disk full', 2]]);
    expect(repository.commits).toEqual([[entry(3)]]);
  });
});
