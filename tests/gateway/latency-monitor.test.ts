// The latency monitor: bounded windows per (endpoint, broker), nearest-rank percentiles, shares within 1/5/10 ms.
import { describe, expect, it } from 'vitest';
import { LatencyMonitor, nearestRank } from '../../src/gateway/latency-monitor.js';

const MS = 1_000_000;
const PLACE = '/api/v1/placeorder';

describe('nearest-rank percentiles', () => {
  it('pick the value at rank ⌈p/100 · n⌉', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([50, 90, 99].map((p) => nearestRank(hundred, p))).toEqual([50, 90, 99]);
    // ranks ⌈1.5⌉ = 2, ⌈2.7⌉ = 3, ⌈2.97⌉ = 3
    expect([50, 90, 99].map((p) => nearestRank([10, 20, 30], p))).toEqual([20, 30, 30]);
    expect([50, 90, 99].map((p) => nearestRank([7], p))).toEqual([7, 7, 7]);
  });
});

describe('LatencyMonitor', () => {
  it('summarizes each phase on its own, with overhead taken per request', () => {
    const monitor = new LatencyMonitor();
    // Request i (1..10) took i ms in total, (11 − i) × 50 µs at the broker, and 5, 15, 25 or 35 µs validating.
    for (const i of [3, 10, 1, 7, 5, 2, 9, 4, 6, 8]) {
      monitor.record(PLACE, 'paper', { totalNs: i * MS, brokerNs: (11 - i) * 50_000, validationNs: (i % 4) * 10_000 + 5_000 });
    }
    expect(monitor.summary()).toEqual([
      {
        endpoint: PLACE,
        broker: 'paper',
        count: 10,
        recorded: 10,
        phases: {
          // n = 10: p50 is the 5th smallest, p90 the 9th, p99 the 10th.
          total: { p50: 5 * MS, p90: 9 * MS, p99: 10 * MS },
          // 5, 5, 15, 15, 15, 25, 25, 25, 35, 35 µs
          validation: { p50: 15_000, p90: 35_000, p99: 35_000 },
          broker: { p50: 250_000, p90: 450_000, p99: 500_000 },
          // i ms − (11 − i) × 50 µs rises with i: request 5 gives 5 ms − 300 µs, 9 gives 9 ms − 100 µs, 10 gives 10 ms − 50 µs.
          overhead: { p50: 4_700_000, p90: 8_900_000, p99: 9_950_000 },
        },
        totalWithin: { ms1: 0.1, ms5: 0.5, ms10: 1 },
      },
    ]);
  });

  it('counts a total of exactly 1, 5 or 10 ms as within it', () => {
    const monitor = new LatencyMonitor();
    for (const totalNs of [MS, MS + 1, 5 * MS, 10 * MS + 1]) monitor.record(PLACE, 'paper', { totalNs, brokerNs: 0, validationNs: 0 });
    expect(monitor.summary()[0]?.totalWithin).toEqual({ ms1: 0.25, ms5: 0.75, ms10: 0.75 });
  });

  it('keeps only the last `window` requests of each endpoint and broker, and counts all of them', () => {
    const monitor = new LatencyMonitor({ window: 3 });
    for (const ms of [9, 8, 1, 2, 3]) monitor.record(PLACE, 'paper', { totalNs: ms * MS, brokerNs: MS / 2, validationNs: 1_000 });
    expect(monitor.samples(PLACE, 'paper').map((s) => s.ns.total)).toEqual([1 * MS, 2 * MS, 3 * MS]);
    const [summary] = monitor.summary();
    expect(summary).toMatchObject({ count: 3, recorded: 5 });
    expect(summary?.phases.total).toEqual({ p50: 2 * MS, p90: 3 * MS, p99: 3 * MS });
    expect(summary?.totalWithin).toEqual({ ms1: 1 / 3, ms5: 1, ms10: 1 });
    monitor.record(PLACE, 'paper', { totalNs: 4 * MS, brokerNs: 0, validationNs: 0 });
    expect(monitor.samples(PLACE, 'paper').map((s) => s.ns.total)).toEqual([2 * MS, 3 * MS, 4 * MS]);
    expect(monitor.window).toBe(3);
  });

  it('keeps endpoints and brokers apart and lists them by endpoint, then broker', () => {
    const monitor = new LatencyMonitor();
    monitor.record(PLACE, 'paper', { totalNs: 3_000, brokerNs: 2_000, validationNs: 500 });
    monitor.record('/api/v1/cancelorder', 'paper', { totalNs: 9_000, brokerNs: 1_000, validationNs: 500 });
    monitor.record(PLACE, 'none', { totalNs: 700, brokerNs: 0, validationNs: 600 });
    monitor.record(PLACE, 'paper', { totalNs: 5_000, brokerNs: 4_500, validationNs: 100 });
    expect(monitor.summary().map((s) => [s.endpoint, s.broker, s.count, s.phases.overhead.p99])).toEqual([
      ['/api/v1/cancelorder', 'paper', 1, 8_000],
      [PLACE, 'none', 1, 700],
      [PLACE, 'paper', 2, 1_000],
    ]);
    expect(monitor.samples('/api/v1/modifyorder', 'paper')).toEqual([]);
  });

  it('derives overhead as total − broker and hands every sample to its listeners', () => {
    const monitor = new LatencyMonitor();
    const heard: unknown[] = [];
    monitor.onSample((sample) => heard.push(sample));
    const returned = monitor.record(PLACE, 'paper', { totalNs: 812_345, brokerNs: 600_001, validationNs: 40_000 });
    const expected = { endpoint: PLACE, broker: 'paper', ns: { total: 812_345, validation: 40_000, broker: 600_001, overhead: 212_344 } };
    expect(returned).toEqual(expected);
    expect(heard).toEqual([expected]);
    expect(monitor.samples(PLACE, 'paper')).toEqual([expected]);
  });

  it('refuses durations that break total ≥ broker + validation or are not integer nanoseconds', () => {
    const monitor = new LatencyMonitor();
    expect(() => monitor.record(PLACE, 'paper', { totalNs: 100, brokerNs: 101, validationNs: 0 })).toThrow(RangeError);
    expect(() => monitor.record(PLACE, 'paper', { totalNs: 100, brokerNs: 60, validationNs: 41 })).toThrow(RangeError);
    expect(() => monitor.record(PLACE, 'paper', { totalNs: -1, brokerNs: 0, validationNs: 0 })).toThrow(RangeError);
    expect(() => monitor.record(PLACE, 'paper', { totalNs: 1.5, brokerNs: 0, validationNs: 0 })).toThrow(RangeError);
    expect(monitor.summary()).toEqual([]);
    expect(() => monitor.record(PLACE, 'paper', { totalNs: 100, brokerNs: 60, validationNs: 40 })).not.toThrow();
  });

  it('needs a positive whole window', () => {
    expect(() => new LatencyMonitor({ window: 0 })).toThrow(RangeError);
    expect(() => new LatencyMonitor({ window: 2.5 })).toThrow(RangeError);
    expect(new LatencyMonitor().window).toBe(10_000);
  });
});
