// The backtest chart: well-formed SVG that resvg renders to a PNG of the asked size, with the equity line, the
// drawdown area, a triangle per trade entry and exit (up for a buy, down for a sell, green won, red lost), dated and
// valued axes, escaped text, and hundreds of thousands of bars drawn as a few thousand points.
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import {
  CHART_COLORS,
  MAX_TRADE_MARKERS,
  type EquityChartInput,
  dateTicks,
  equityChartSvg,
  escapeXml,
  niceTicks,
} from '../../../src/core/backtest/equity-chart.js';
import type { ClosedTrade } from '../../../src/domain/backtest/simulation.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2004, 7, 19);

/** Daily bars from T0 with the given equity; drawdown from the running peak. */
function series(equity: number[]): Pick<EquityChartInput, 'time' | 'equity' | 'drawdown'> {
  const time = Float64Array.from(equity, (_, i) => T0 + i * DAY);
  let peak = -Infinity;
  const drawdown = Float64Array.from(equity, (value) => {
    peak = Math.max(peak, value);
    return 1 - value / peak;
  });
  return { time, equity: Float64Array.from(equity), drawdown };
}

function trade(size: number, entryBar: number, exitBar: number, pl: number): ClosedTrade {
  return {
    size,
    entryBar,
    exitBar,
    entryPrice: 100,
    exitPrice: 100 + pl / size,
    entryTime: T0 + entryBar * DAY,
    exitTime: T0 + exitBar * DAY,
    pl,
    returnPct: pl / (Math.abs(size) * 100),
    commissions: 0,
  };
}

/** A strict well-formedness check: every tag closes in order, attributes are quoted, text holds no raw < or bare &. */
function checkWellFormed(xml: string): void {
  const open: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let position = 0;
  let roots = 0;
  for (let match = token.exec(xml); match; match = token.exec(xml)) {
    position = token.lastIndex;
    const [, closing, name, , selfClosing, text] = match;
    if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(text)) throw new Error(`bare & in text: ${text.slice(0, 40)}`);
      if (open.length === 0 && text.trim() !== '') throw new Error('text outside the root element');
      continue;
    }
    if (closing) {
      const expected = open.pop();
      if (expected !== name) throw new Error(`</${name}> closes <${expected}>`);
    } else if (!selfClosing) {
      if (open.length === 0) roots++;
      open.push(name!);
    } else if (open.length === 0) {
      roots++;
    }
  }
  if (position !== xml.length) throw new Error(`not XML at ${position}: ${xml.slice(position, position + 40)}`);
  if (open.length !== 0) throw new Error(`unclosed <${open.join('>, <')}>`);
  if (roots !== 1) throw new Error(`${roots} root elements`);
}

/** The width and height in a PNG's IHDR chunk, after checking the signature. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const points = (svg: string, element: 'polyline' | 'polygon') =>
  [...svg.matchAll(new RegExp(`<${element} points="([^"]*)"`, 'g'))].map((m) => m[1]!.split(' ').map((p) => p.split(',').map(Number)));

const markers = (svg: string) => [...svg.matchAll(/<polygon points="([^"]*)" fill="(#[0-9a-f]{6})" stroke="#ffffff"[^>]*><title>([^<]*)<\/title>/g)];

describe('equityChartSvg', () => {
  const equity = [10_000, 10_200, 10_100, 9_800, 10_400, 10_900, 10_700, 11_000];
  const input: EquityChartInput = {
    ...series(equity),
    trades: [trade(10, 1, 3, -40), trade(-10, 3, 5, 25)],
    title: 'sma_cross(fast=10, slow=20) on "GOOG" <daily> & more',
  };

  it('is one well-formed SVG document of 1000 × 600 that resvg renders to a PNG of that size', () => {
    const svg = equityChartSvg(input);
    checkWellFormed(svg);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="600" viewBox="0 0 1000 600"')).toBe(true);
    const png = Buffer.from(new Resvg(svg, { font: { loadSystemFonts: false } }).render().asPng());
    expect(pngSize(png)).toEqual({ width: 1000, height: 600 });
  });

  it('renders at the asked size', () => {
    const png = Buffer.from(new Resvg(equityChartSvg({ ...input, width: 1600, height: 900 })).render().asPng());
    expect(pngSize(png)).toEqual({ width: 1600, height: 900 });
  });

  it('escapes the title', () => {
    const svg = equityChartSvg(input);
    expect(svg).toContain('>sma_cross(fast=10, slow=20) on &quot;GOOG&quot; &lt;daily&gt; &amp; more</text>');
    expect(escapeXml(`a<b>&"c'`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;');
  });

  it('draws the equity line through every bar, spread evenly over the plot from x 84 to 976', () => {
    const [line] = points(equityChartSvg(input), 'polyline');
    expect(line!.map(([x]) => x)).toEqual([84, 211.4, 338.9, 466.3, 593.7, 721.1, 848.6, 976]);
    // The highest equity is drawn highest (smallest y), the lowest lowest.
    const ys = line!.map(([, y]) => y!);
    expect(ys.indexOf(Math.min(...ys))).toBe(7);
    expect(ys.indexOf(Math.max(...ys))).toBe(3);
  });

  it('fills the drawdown beneath, from the top of its panel down to each bar’s drawdown', () => {
    const [area] = points(equityChartSvg(input), 'polygon');
    const depths = area!.slice(1, -1).map(([, y]) => y!);
    const top = area![0]![1]!;
    expect(area![0]).toEqual([84, top]);
    expect(area!.at(-1)).toEqual([976, top]);
    // Peaks at bars 0, 1, 4, 5, 7 lie on the top edge; the deepest point (9,800 under 10,200) is bar 3.
    expect([0, 1, 4, 5, 7].map((i) => depths[i])).toEqual([top, top, top, top, top]);
    expect(depths.indexOf(Math.max(...depths))).toBe(3);
  });

  it('marks each trade’s entry and exit: up for a buy, down for a sell, green for a win, red for a loss', () => {
    const found = markers(equityChartSvg(input)).map(([, pts, color, title]) => {
      const [left, , tip] = pts!.split(' ').map((p) => p.split(',').map(Number));
      return { color, up: tip![1]! < left![1]!, title };
    });
    expect(found).toEqual([
      { color: CHART_COLORS.loss, up: true, title: 'entry long 2004-08-20 00:00' },
      { color: CHART_COLORS.loss, up: false, title: 'exit long 2004-08-22 00:00' },
      { color: CHART_COLORS.win, up: false, title: 'entry short 2004-08-22 00:00' },
      { color: CHART_COLORS.win, up: true, title: 'exit short 2004-08-24 00:00' },
    ]);
  });

  it('labels the axes with dates and values', () => {
    const svg = equityChartSvg(input);
    const labels = [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(labels).toEqual(expect.arrayContaining(['10,000', '10,500', '11,000', '0%', '-2%', '2004-08-20', '2004-08-26']));
  });

  it('leaves the markers out past MAX_TRADE_MARKERS trades and says how many there were', () => {
    const many = Array.from({ length: MAX_TRADE_MARKERS + 1 }, () => trade(1, 0, 1, 1));
    const svg = equityChartSvg({ ...input, trades: many });
    expect(markers(svg)).toHaveLength(0);
    expect(svg).toContain(`>${MAX_TRADE_MARKERS + 1} trades (markers omitted)</text>`);
  });

  it('draws 300,000 bars as at most four points per pixel column, keeping the highest and lowest', () => {
    const n = 300_000;
    const values = Array.from({ length: n }, (_, i) => 10_000 + Math.sin(i / 5000) * 1000);
    values[123_457] = 20_000;
    values[254_321] = 1_000;
    const svg = equityChartSvg({ ...series(values), trades: [], title: 'minute bars' });
    checkWellFormed(svg);
    const [line] = points(svg, 'polyline');
    expect(line!.length).toBeLessThanOrEqual(892 * 4);
    const ys = line!.map(([, y]) => y!);
    const [top, bottom] = [Math.min(...ys), Math.max(...ys)];
    expect(top).toBe(60.2);
    expect(bottom).toBe(383.8);
  });

  it('draws a flat equity and an empty run without failing', () => {
    for (const svg of [equityChartSvg({ ...series([5, 5, 5]), trades: [], title: 'flat' }), equityChartSvg({ ...series([]), trades: [], title: 'none' })]) {
      checkWellFormed(svg);
      expect(pngSize(Buffer.from(new Resvg(svg).render().asPng()))).toEqual({ width: 1000, height: 600 });
    }
  });
});

describe('niceTicks and dateTicks', () => {
  it('pick round steps inside the range', () => {
    expect(niceTicks(9_400, 19_600, 6)).toEqual([10_000, 12_000, 14_000, 16_000, 18_000]);
    expect(niceTicks(0, 12_000, 5)).toEqual([0, 2_500, 5_000, 7_500, 10_000]);
    expect(niceTicks(0, 24.8, 4)).toEqual([0, 10, 20]);
    expect(niceTicks(0.95, 1.32, 5)).toEqual([1, 1.1, 1.2, 1.3]);
  });

  it('pick calendar steps: years over a decade, months over a year, hours within days', () => {
    const years = dateTicks(Date.UTC(2004, 7, 19), Date.UTC(2013, 2, 1), 9);
    expect(years.times.map(years.label)).toEqual(['2005', '2006', '2007', '2008', '2009', '2010', '2011', '2012', '2013']);
    const months = dateTicks(Date.UTC(2017, 3, 19, 9), Date.UTC(2018, 1, 7, 15), 8);
    expect(months.times.map(months.label)).toEqual(['2017-05', '2017-07', '2017-09', '2017-11', '2018-01']);
    const hours = dateTicks(Date.UTC(2020, 0, 1, 1, 30), Date.UTC(2020, 0, 1, 8), 4);
    expect(hours.times.map(hours.label)).toEqual(['01-01 02:00', '01-01 04:00', '01-01 06:00', '01-01 08:00']);
  });
});
