// Prometheus metrics that every request updates: each label set is resolved once into a series, and an observation
// is a bucket search and a few additions. prom-client's own Histogram and Counter hash the label object of every
// observation (≈ 0.3–0.5 µs each, six per order call: docs/performance.md); these render at scrape time into the same
// Registry, in exactly the values prom-client's Histogram and Counter give it, so /metrics reads the same.
import type { Metric, Registry } from 'prom-client';

type Labels<K extends string> = Readonly<Record<K, string>>;

/**
 * What every series keeps: like prom-client's, a series shows on /metrics once it has been updated, and a reset
 * takes it off until the next update; callers keep the series object across resets.
 */
interface Series {
  readonly labels: Readonly<Record<string, string>>;
  /** Updated since it was made or last reset. */
  readonly touched: boolean;
  reset(): void;
}

/** One label set of a SeriesHistogram. */
export class HistogramSeries<K extends string> implements Series {
  /** Observations per bucket, not cumulative; the last slot counts those above every bound (+Inf). */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  touched = false;

  constructor(
    readonly labels: Labels<K>,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
    const bounds = this.bounds;
    let bucket = 0;
    while (bucket < bounds.length && value > (bounds[bucket] as number)) bucket++;
    this.counts[bucket] = (this.counts[bucket] as number) + 1;
    this.sum += value;
    this.count += 1;
    this.touched = true;
  }

  reset(): void {
    this.counts.fill(0);
    this.sum = 0;
    this.count = 0;
    this.touched = false;
  }
}

/** One label set of a SeriesCounter. */
export class CounterSeries<K extends string> implements Series {
  value = 0;
  touched = false;

  constructor(readonly labels: Labels<K>) {}

  inc(amount = 1): void {
    this.value += amount;
    this.touched = true;
  }

  reset(): void {
    this.value = 0;
    this.touched = false;
  }
}

/** A rendered sample, as prom-client's metrics hand them to the Registry. */
interface Sample {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
  sharedLabels?: Record<string, string>;
}

interface Rendered {
  name: string;
  help: string;
  type: 'histogram' | 'counter';
  values: Sample[];
  aggregator: 'sum';
}

/** The series of one metric, by label set; looked up once per label set by the caller, then kept. */
abstract class SeriesMetric<K extends string, S extends Series> {
  readonly aggregator = 'sum' as const;
  private readonly series = new Map<string, S>();

  protected constructor(
    readonly name: string,
    readonly help: string,
    readonly labelNames: readonly K[],
    registry: Registry,
  ) {
    // The Registry reads a metric through get() / getForPromString() and reset(), as these provide.
    registry.registerMetric(this as unknown as Metric);
  }

  labels(labels: Labels<K>): S {
    let key = '';
    for (const name of this.labelNames) key += `${labels[name]}\u0000`;
    let series = this.series.get(key);
    if (!series) {
      series = this.create({ ...labels });
      this.series.set(key, series);
    }
    return series;
  }

  reset(): void {
    for (const series of this.series.values()) series.reset();
  }

  /** The series to render: those updated since they were made or last reset. */
  protected *shown(): IterableIterator<S> {
    for (const series of this.series.values()) if (series.touched) yield series;
  }

  protected abstract create(labels: Labels<K>): S;
}

export class SeriesHistogram<K extends string> extends SeriesMetric<K, HistogramSeries<K>> {
  readonly type = 'histogram' as const;

  private readonly buckets: readonly number[];

  constructor(
    options: { name: string; help: string; labelNames: readonly K[]; buckets: readonly number[] },
    registry: Registry,
  ) {
    super(options.name, options.help, options.labelNames, registry);
    this.buckets = [...options.buckets].sort((a, b) => a - b);
  }

  protected create(labels: Labels<K>): HistogramSeries<K> {
    return new HistogramSeries(labels, this.buckets);
  }

  /** What the text exposition reads: `le` apart from the series' labels, which come after it. */
  getForPromString(): Promise<Rendered> {
    const values: Sample[] = [];
    for (const series of this.shown()) {
      const sharedLabels = series.labels;
      let cumulative = 0;
      this.buckets.forEach((bound, i) => {
        cumulative += series.counts[i] as number;
        values.push({ labels: { le: bound }, sharedLabels, value: cumulative, metricName: `${this.name}_bucket` });
      });
      values.push(
        { labels: { le: '+Inf' }, sharedLabels, value: series.count, metricName: `${this.name}_bucket` },
        { labels: {}, sharedLabels, value: series.sum, metricName: `${this.name}_sum` },
        { labels: {}, sharedLabels, value: series.count, metricName: `${this.name}_count` },
      );
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator });
  }

  /** What JSON readers get: every sample's labels in one object. */
  async get(): Promise<Rendered> {
    const rendered = await this.getForPromString();
    const values = rendered.values.map(({ labels, sharedLabels, ...rest }) => ({ ...rest, labels: { ...labels, ...sharedLabels } }));
    return { ...rendered, values };
  }
}

export class SeriesCounter<K extends string> extends SeriesMetric<K, CounterSeries<K>> {
  readonly type = 'counter' as const;

  constructor(options: { name: string; help: string; labelNames: readonly K[] }, registry: Registry) {
    super(options.name, options.help, options.labelNames, registry);
  }

  protected create(labels: Labels<K>): CounterSeries<K> {
    return new CounterSeries(labels);
  }

  get(): Promise<Rendered> {
    const values = [...this.shown()].map((series) => ({ value: series.value, labels: { ...series.labels } }));
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator });
  }
}
