// A sweep's heatmap as SVG: a cell per pair of values (grey where no run was made), the best deepest, the axes named
// and labelled, text escaped; resvg renders it to a PNG of the asked size.
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { heatmapSvg } from '../../../src/core/backtest/heatmap-chart.js';
import type { Heatmap } from '../../../src/domain/backtest/sweep-grid.js';

const MAP: Heatmap = {
  statistic: 'Return [%]',
  x: { name: 'fast', values: [5, 10, 15] },
  y: { name: 'slow', values: [10, 20] },
  z: [
    [1.5, null, null],
    [-2, 4.25, 0],
  ],
};

const cells = (svg: string) => [...svg.matchAll(/<rect [^>]*fill="(#[0-9a-f]{6})"[^>]*><title>([^<]*)<\/title>/g)].map((m) => ({ fill: m[1], title: m[2] }));

describe('heatmapSvg', () => {
  it('draws a cell per pair, grey where no run was made, deepest for the best and palest for the worst', () => {
    expect(cells(heatmapSvg(MAP, 'sma_cross'))).toEqual([
      { fill: '#3ca9c1', title: 'fast=5, slow=10: 1.50' },
      { fill: '#eeeeee', title: 'fast=10, slow=10: no run' },
      { fill: '#eeeeee', title: 'fast=15, slow=10: no run' },
      { fill: '#ffffcc', title: 'fast=5, slow=20: -2.00' },
      { fill: '#253494', title: 'fast=10, slow=20: 4.25' },
      { fill: '#86d0b8', title: 'fast=15, slow=20: 0.000' },
    ]);
  });

  it('names the axes and the statistic, escaping the title', () => {
    const svg = heatmapSvg(MAP, 'sma_cross on <GOOG> & co');
    const labels = [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(expect.arrayContaining(['sma_cross on &lt;GOOG&gt; &amp; co', 'fast', 'slow', 'Return [%]', '5', '10', '15', '20']));
  });

  it('renders to a PNG of the asked size', () => {
    const png = Buffer.from(new Resvg(heatmapSvg(MAP, 'sma_cross', 800, 500)).render().asPng());
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) }).toEqual({ width: 800, height: 500 });
  });
});
