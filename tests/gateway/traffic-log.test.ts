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
  /** Commits wait for `release` while true. */
  held = false;
  private readonly waiting: Array<() => void> = [];

  async appendMany(entries: readonly TrafficEntry[]): Promise<void> {
    if (this.held) await new Promise<void>((resolve) => this.waiting.push(resolve));
    if (this.failNext) {
      this.failNext = false;
      throw new Error('disk full');
    }
    this.commits.push([...entries]);
  }
  release(): void {
    this.held = false;
    for (const resolve of this.waiting.splice(0)) resolve();
  }
  async purgeBefore(before: number): Promise<number> {
    this.purges.push(before);
    return 0;
  }
  async list(): Promise<TrafficRecord[]> {
    return [];
  }
  async summarize(): Promise<EndpointTraffic[]> {
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
  it('buffers entries and writes them in one commit per flush', async () => {
    const { repository, log } = build(10);
    log.record(entry(1));
    log.record(entry(2));
    expect(repository.commits).toEqual([]);
    expect(log.flush()).toBe(2);
    expect(log.flush()).toBe(0);
    await log.settle();
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
    await log.settle();
    expect(failures).toEqual([['disk full', 2]]);
    expect(repository.commits).toEqual([[entry(3)]]);
  });

  it('settles and closes only once every write under way has ended, failed ones reported', async () => {
    const { repository, log } = build(10);
    const failures: Array<[string, number]> = [];
    log.onError = (error, lost) => failures.push([(error as Error).message, lost]);
    repository.held = true;
    repository.failNext = true;
    log.record(entry(1));
    let settled = false;
    const settling = log.settle().then(() => (settled = true));
    log.record(entry(2));
    const closing = log.close();
    await nextTurn();
    expect(settled).toBe(false);
    repository.release();
    await Promise.all([settling, closing]);
    expect(failures).toEqual([['disk full', 1]]);
    expect(repository.commits).toEqual([[entry(2)]]);
  });
});
