// The hot path's metrics (series-metrics.ts) must read on /metrics exactly as prom-client's own would.
import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { SeriesCounter, SeriesHistogram } from '../../src/api/observability/series-metrics.js';

const BUCKETS = [0.001, 0.005, 0.01, 0.5];
const LABELS = ['method', 'route'] as const;
// At a bound, between bounds, above every bound, zero; a label value the exposition must escape.
const OBSERVATIONS: Array<[Record<(typeof LABELS)[number], string>, number]> = [
  [{ method: 'POST', route: '/api/v1/placeorder' }, 0.001],
  [{ method: 'POST', route: '/api/v1/placeorder' }, 0.0042],
  [{ method: 'POST', route: '/api/v1/placeorder' }, 3],
  [{ method: 'GET', route: 'a "quoted"\\path\nline' }, 0],
  [{ method: 'POST', route: '/api/v1/placeorder' }, 0.5],
];

function both() {
  const reference = new Registry();
  const ours = new Registry();
  const refHistogram = new Histogram({ name: 'h_seconds', help: 'A histogram.', labelNames: LABELS, buckets: BUCKETS, registers: [reference] });
  const refCounter = new Counter({ name: 'c_total', help: 'A counter.', labelNames: [...LABELS, 'status'] as const, registers: [reference] });
  const histogram = new SeriesHistogram({ name: 'h_seconds', help: 'A histogram.', labelNames: LABELS, buckets: BUCKETS }, ours);
  const counter = new SeriesCounter({ name: 'c_total', help: 'A counter.', labelNames: [...LABELS, 'status'] as const }, ours);
  for (const [labels, value] of OBSERVATIONS) {
    refHistogram.observe(labels, value);
    refCounter.inc({ ...labels, status: '200' });
    histogram.labels(labels).observe(value);
    counter.labels({ ...labels, status: '200' }).inc();
  }
  refCounter.inc({ method: 'POST', route: '/x', status: '503' }, 2);
  counter.labels({ method: 'POST', route: '/x', status: '503' }).inc(2);
  return { reference, ours, histogram };
}

describe('series metrics', () => {
  it('render the same exposition text as prom-client for the same observations', async () => {
    const { reference, ours } = both();
    const text = await ours.metrics();
    expect(text).toBe(await reference.metrics());
    expect(text).toContain('h_seconds_bucket{le="0.005",method="POST",route="/api/v1/placeorder"} 2');
    expect(text).toContain('h_seconds_bucket{le="+Inf",method="POST",route="/api/v1/placeorder"} 4');
    expect(text).toContain('h_seconds_sum{method="POST",route="/api/v1/placeorder"} 3.5052');
    expect(text).toContain('c_total{method="POST",route="/x",status="503"} 2');
  });

  it('give JSON readers the same samples', async () => {
    const { reference, ours } = both();
    const strip = (metrics: Awaited<ReturnType<Registry['getMetricsAsJSON']>>) =>
      metrics.map(({ values, ...rest }) => ({
        ...rest,
        values: values.map((sample) => ({ labels: sample.labels, value: sample.value, metricName: (sample as { metricName?: string }).metricName })),
      }));
    expect(strip(await ours.getMetricsAsJSON())).toEqual(strip(await reference.getMetricsAsJSON()));
  });

  it('show a series once it is updated, and after a reset only what came after it, as prom-client does', async () => {
    const { reference, ours, histogram } = both();
    const refHistogram = reference.getSingleMetric('h_seconds') as Histogram;
    // Resolved but never observed: not shown, by either.
    histogram.labels({ method: 'PUT', route: '/never' });
    refHistogram.labels({ method: 'PUT', route: '/never' });
    expect(await ours.metrics()).toBe(await reference.metrics());
    const kept = histogram.labels({ method: 'POST', route: '/api/v1/placeorder' });
    ours.resetMetrics();
    reference.resetMetrics();
    expect(await ours.metrics()).toBe(await reference.metrics());
    // A series kept by its caller across the reset counts from zero again.
    kept.observe(0.002);
    refHistogram.observe({ method: 'POST', route: '/api/v1/placeorder' }, 0.002);
    const text = await ours.metrics();
    expect(text).toBe(await reference.metrics());
    expect(text).toContain('h_seconds_count{method="POST",route="/api/v1/placeorder"} 1');
    expect(text).not.toContain('/never');
  });

  it('refuse a value that is not a number, as prom-client does', () => {
    const { histogram } = both();
    expect(() => histogram.labels({ method: 'GET', route: '/' }).observe(Number.NaN)).toThrow(TypeError);
  });

  it('refuse a second metric of the same name in one registry', () => {
    const registry = new Registry();
    new SeriesCounter({ name: 'twice_total', help: 'x', labelNames: [] }, registry);
    expect(() => new SeriesCounter({ name: 'twice_total', help: 'y', labelNames: [] }, registry)).toThrow(/already been registered/);
  });
});
