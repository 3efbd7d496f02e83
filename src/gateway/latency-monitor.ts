// The latency of the gateway's order calls: a bounded window of recent requests per (endpoint, broker), summarized on
// demand as exact nearest-rank percentiles of each phase and the shares of requests answered within 1, 5 and 10 ms.

/**
 * What one request's time splits into: `total` from arrival to the response sent, `validation` the schema check of
 * the request, `broker` the time broker calls were in flight, `overhead` the gateway's own part (total − broker).
 */
export const LATENCY_PHASES = ['total', 'validation', 'broker', 'overhead'] as const;
export type LatencyPhase = (typeof LATENCY_PHASES)[number];

/** Nanoseconds spent in each phase by one request. */
export type PhaseDurations = Record<LatencyPhase, number>;

/** One measured request as recorded: overhead is derived, so `overhead = total − broker` holds exactly. */
export interface LatencySample {
  /** The route pattern, for example `/api/v1/placeorder`. */
  endpoint: string;
  /** The broker that served the request (its `name`), or the recorder's word for none. */
  broker: string;
  ns: PhaseDurations;
}

/** What a recorder measures; integer nanoseconds with broker ≤ total and validation ≤ total − broker. */
export interface MeasuredDurations {
  totalNs: number;
  validationNs: number;
  brokerNs: number;
}

/** Nearest-rank percentiles in nanoseconds: pN is the smallest sample with at least N % of the samples at or below it. */
export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
}

export interface LatencySummary {
  endpoint: string;
  broker: string;
  /** Requests in the window, which the figures describe. */
  count: number;
  /** Requests recorded since start, including those the window has let go. */
  recorded: number;
  phases: Record<LatencyPhase, Percentiles>;
  /**
   * Shares (0..1) of the window's requests whose total was at most 1, 5 and 10 ms: "at most" as Prometheus' `le`
   * buckets count, so these agree with the histogram's 0.001, 0.005 and 0.01 buckets.
   */
  totalWithin: { ms1: number; ms5: number; ms10: number };
}

export type LatencyListener = (sample: LatencySample) => void;

export const DEFAULT_LATENCY_WINDOW = 10_000;

export class LatencyMonitor {
  /** How many recent requests each (endpoint, broker) keeps. */
  readonly window: number;
  private readonly windows = new Map<string, SampleWindow>();
  private readonly listeners: LatencyListener[] = [];

  constructor(options: { window?: number } = {}) {
    const window = options.window ?? DEFAULT_LATENCY_WINDOW;
    if (!Number.isSafeInteger(window) || window < 1) throw new RangeError(`latency window must be a positive integer, got ${window}`);
    this.window = window;
  }

  record(endpoint: string, broker: string, { totalNs, validationNs, brokerNs }: MeasuredDurations): LatencySample {
    for (const value of [totalNs, validationNs, brokerNs]) {
      if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`durations are non-negative integer nanoseconds, got ${value}`);
    }
    if (brokerNs > totalNs) throw new RangeError(`broker time ${brokerNs} ns exceeds the total ${totalNs} ns`);
    if (validationNs > totalNs - brokerNs) throw new RangeError(`validation ${validationNs} ns exceeds the gateway's ${totalNs - brokerNs} ns`);

    const key = `${endpoint}\u0000${broker}`;
    let window = this.windows.get(key);
    if (!window) {
      window = new SampleWindow(endpoint, broker, this.window);
      this.windows.set(key, window);
    }
    window.push(totalNs, validationNs, brokerNs);
    const sample = { endpoint, broker, ns: { total: totalNs, validation: validationNs, broker: brokerNs, overhead: totalNs - brokerNs } };
    for (const listener of this.listeners) listener(sample);
    return sample;
  }

  /** Calls `listener` with every sample recorded from now on (the Prometheus histogram feeds on this). */
  onSample(listener: LatencyListener): void {
    this.listeners.push(listener);
  }

  /** The window's samples of (endpoint, broker), oldest first; empty when none were recorded. */
  samples(endpoint: string, broker: string): LatencySample[] {
    return this.windows.get(`${endpoint}\u0000${broker}`)?.samples() ?? [];
  }

  /** One summary per (endpoint, broker) seen, ordered by endpoint then broker. */
  summary(): LatencySummary[] {
    return [...this.windows.values()]
      .sort((a, b) => compare(a.endpoint, b.endpoint) || compare(a.broker, b.broker))
      .map((window) => window.summary());
  }
}

/** Nearest-rank percentile of ascending `sorted` (non-empty): the value at rank ⌈p/100 · n⌉, counting from 1. */
export function nearestRank(sorted: ArrayLike<number>, p: number): number {
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100));
  return sorted[rank - 1] as number;
}

const MS = 1_000_000;

/** A ring of the last `capacity` requests, one column per measured phase; grows up to its capacity as samples come. */
class SampleWindow {
  private readonly totalNs: number[] = [];
  private readonly validationNs: number[] = [];
  private readonly brokerNs: number[] = [];
  /** Where the next sample goes once the ring is full: the oldest one's slot. */
  private next = 0;
  private recorded = 0;

  constructor(
    readonly endpoint: string,
    readonly broker: string,
    private readonly capacity: number,
  ) {}

  push(totalNs: number, validationNs: number, brokerNs: number): void {
    this.recorded += 1;
    if (this.totalNs.length < this.capacity) {
      this.totalNs.push(totalNs);
      this.validationNs.push(validationNs);
      this.brokerNs.push(brokerNs);
      return;
    }
    this.totalNs[this.next] = totalNs;
    this.validationNs[this.next] = validationNs;
    this.brokerNs[this.next] = brokerNs;
    this.next = (this.next + 1) % this.capacity;
  }

  samples(): LatencySample[] {
    const count = this.totalNs.length;
    const out: LatencySample[] = [];
    for (let i = 0; i < count; i += 1) {
      const at = (this.next + i) % count;
      const total = this.totalNs[at] as number;
      const broker = this.brokerNs[at] as number;
      out.push({
        endpoint: this.endpoint,
        broker: this.broker,
        ns: { total, validation: this.validationNs[at] as number, broker, overhead: total - broker },
      });
    }
    return out;
  }

  summary(): LatencySummary {
    const count = this.totalNs.length;
    const total = Float64Array.from(this.totalNs);
    const broker = Float64Array.from(this.brokerNs);
    const overhead = total.map((value, i) => value - (broker[i] as number));
    const validation = Float64Array.from(this.validationNs);
    const sortedTotal = total.slice().sort();
    const within = (limitNs: number) => countAtMost(sortedTotal, limitNs) / count;
    return {
      endpoint: this.endpoint,
      broker: this.broker,
      count,
      recorded: this.recorded,
      phases: {
        total: percentiles(sortedTotal),
        validation: percentiles(validation.sort()),
        broker: percentiles(broker.sort()),
        overhead: percentiles(overhead.sort()),
      },
      totalWithin: { ms1: within(MS), ms5: within(5 * MS), ms10: within(10 * MS) },
    };
  }
}

function percentiles(sorted: Float64Array): Percentiles {
  return { p50: nearestRank(sorted, 50), p90: nearestRank(sorted, 90), p99: nearestRank(sorted, 99) };
}

/** How many of ascending `sorted` are at most `limit` (binary search). */
function countAtMost(sorted: Float64Array, limit: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) <= limit) low = middle + 1;
    else high = middle;
  }
  return low;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
