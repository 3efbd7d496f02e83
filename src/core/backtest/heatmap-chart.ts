// A sweep's heatmap as SVG text: one cell per pair of the two swept parameters' values, coloured by the maximised
// statistic (pale for the worst, deep for the best, grey where no run was made), its value written in the cell.
import type { Heatmap } from '../../domain/backtest/sweep-grid.js';
import { escapeXml } from './equity-chart.js';

const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';
const MARGIN = { left: 90, right: 130, top: 56, bottom: 64 } as const;
/** From the lowest value to the highest: pale yellow through green to deep blue. */
const RAMP: readonly (readonly [number, number, number])[] = [
  [255, 255, 204],
  [161, 218, 180],
  [65, 182, 196],
  [44, 127, 184],
  [37, 52, 148],
];
const EMPTY = '#eeeeee';

/** The heatmap as a standalone SVG document (`z[y][x]`: x across, y down). */
export function heatmapSvg(map: Heatmap, title: string, width = 1000, height = 600): string {
  const columns = map.x.values.length;
  const rows = map.y.values.length;
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const cellWidth = plotWidth / Math.max(columns, 1);
  const cellHeight = plotHeight / Math.max(rows, 1);
  const values = map.z.flat().filter((value): value is number => value !== null && Number.isFinite(value));
  const low = values.length > 0 ? Math.min(...values) : 0;
  const high = values.length > 0 ? Math.max(...values) : 1;
  const writeValues = cellWidth >= 36 && cellHeight >= 16;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="12">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="30" font-size="16" font-weight="bold" fill="#222222">${escapeXml(title)}</text>`,
  ];
  map.y.values.forEach((yValue, yi) => {
    const y = MARGIN.top + yi * cellHeight;
    parts.push(`<text x="${MARGIN.left - 8}" y="${round(y + cellHeight / 2 + 4)}" text-anchor="end" fill="#222222">${escapeXml(String(yValue))}</text>`);
    map.x.values.forEach((xValue, xi) => {
      const value = map.z[yi]?.[xi] ?? null;
      const x = MARGIN.left + xi * cellWidth;
      const fill = value === null ? EMPTY : colorOf(value, low, high);
      const label = `${map.x.name}=${String(xValue)}, ${map.y.name}=${String(yValue)}: ${value === null ? 'no run' : shortNumber(value)}`;
      parts.push(
        `<rect x="${round(x)}" y="${round(y)}" width="${round(cellWidth)}" height="${round(cellHeight)}" fill="${fill}" stroke="#ffffff"><title>${escapeXml(label)}</title></rect>`,
      );
      if (writeValues && value !== null) {
        const dark = (value - low) / (high - low || 1) > 0.55;
        parts.push(
          `<text x="${round(x + cellWidth / 2)}" y="${round(y + cellHeight / 2 + 4)}" text-anchor="middle" font-size="11" fill="${dark ? '#ffffff' : '#222222'}">${escapeXml(shortNumber(value))}</text>`,
        );
      }
    });
  });
  map.x.values.forEach((xValue, xi) => {
    const x = MARGIN.left + (xi + 0.5) * cellWidth;
    parts.push(`<text x="${round(x)}" y="${MARGIN.top + plotHeight + 18}" text-anchor="middle" fill="#222222">${escapeXml(String(xValue))}</text>`);
  });
  parts.push(
    `<text x="${round(MARGIN.left + plotWidth / 2)}" y="${height - 18}" text-anchor="middle" font-weight="bold" fill="#555555">${escapeXml(map.x.name)}</text>`,
    `<text transform="translate(24 ${round(MARGIN.top + plotHeight / 2)}) rotate(-90)" text-anchor="middle" font-weight="bold" fill="#555555">${escapeXml(map.y.name)}</text>`,
    ...colorScale(width - MARGIN.right + 30, MARGIN.top, plotHeight, low, high, map.statistic),
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}

/** The legend: the ramp from the highest value (top) to the lowest, with both ends written. */
function colorScale(x: number, top: number, height: number, low: number, high: number, statistic: string): string[] {
  const steps = 40;
  const parts: string[] = [];
  for (let i = 0; i < steps; i++) {
    const value = high - ((high - low) * i) / (steps - 1);
    parts.push(`<rect x="${x}" y="${round(top + (height * i) / steps)}" width="18" height="${round(height / steps + 0.5)}" fill="${colorOf(value, low, high)}"/>`);
  }
  parts.push(
    `<text x="${x + 24}" y="${top + 10}" fill="#222222">${escapeXml(shortNumber(high))}</text>`,
    `<text x="${x + 24}" y="${top + height}" fill="#222222">${escapeXml(shortNumber(low))}</text>`,
    `<text x="${x}" y="${top - 10}" fill="#555555">${escapeXml(statistic)}</text>`,
  );
  return parts;
}

function colorOf(value: number, low: number, high: number): string {
  const share = high > low ? (value - low) / (high - low) : 1;
  const at = Math.min(Math.max(share, 0), 1) * (RAMP.length - 1);
  const i = Math.min(Math.floor(at), RAMP.length - 2);
  const t = at - i;
  const [a, b] = [RAMP[i]!, RAMP[i + 1]!];
  const channel = (k: number) => Math.round(a[k]! + (b[k]! - a[k]!) * t).toString(16).padStart(2, '0');
  return `#${channel(0)}${channel(1)}${channel(2)}`;
}

/** A cell's value in at most about 6 characters. */
function shortNumber(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 100_000) return value.toExponential(2);
  if (magnitude >= 1000) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  return value.toFixed(magnitude >= 1 ? 2 : 3);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
