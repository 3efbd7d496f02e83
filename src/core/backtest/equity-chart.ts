// A backtest's chart as SVG text: the equity line, the drawdown as an area beneath it and a marker at each trade's
// entry and exit, with dated and valued axes. Hand-written SVG (no charting library), pure, so the CLI can save it
// as it is or render it to PNG.
import type { ClosedTrade } from '../../domain/backtest/simulation.js';

export interface EquityChartInput {
  /** Bar times, epoch ms UTC. */
  readonly time: Float64Array;
  /** Equity at every bar's close. */
  readonly equity: Float64Array;
  /** Drawdown at every bar as a fraction of the running peak (0 at a peak, 0.25 for 25 % below it). */
  readonly drawdown: Float64Array;
  readonly trades: readonly ClosedTrade[];
  readonly title: string;
  readonly width?: number;
  readonly height?: number;
}

/** Past this many trades the markers would hide the line: the chart says how many there were instead. */
export const MAX_TRADE_MARKERS = 1000;

export const CHART_COLORS = {
  equity: '#1f5fa8',
  drawdown: '#d9534f',
  win: '#1a9850',
  loss: '#d73027',
  grid: '#e3e3e3',
  axis: '#555555',
  text: '#222222',
} as const;

const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';
const MARGIN = { left: 84, right: 24, top: 44, bottom: 40 } as const;
const PANEL_GAP = 28;
/** The drawdown panel's share of the plotting height. */
const DRAWDOWN_SHARE = 0.27;

interface Box {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/** The chart of one run as a standalone SVG document (width × height pixels, 1000 × 600 by default). */
export function equityChartSvg(input: EquityChartInput): string {
  const width = input.width ?? 1000;
  const height = input.height ?? 600;
  const n = input.equity.length;
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = height - MARGIN.top - MARGIN.bottom - PANEL_GAP;
  const drawdownHeight = Math.round(plotHeight * DRAWDOWN_SHARE);
  const equityBox: Box = { left: MARGIN.left, top: MARGIN.top, width: plotWidth, height: plotHeight - drawdownHeight };
  const drawdownBox: Box = { left: MARGIN.left, top: MARGIN.top + equityBox.height + PANEL_GAP, width: plotWidth, height: drawdownHeight };

  const first = n > 0 ? input.time[0]! : 0;
  const last = n > 0 ? input.time[n - 1]! : 1;
  const timeSpan = last > first ? last - first : 1;
  const xOf = (t: number) => equityBox.left + ((t - first) / timeSpan) * equityBox.width;

  const [low, high] = valueRange(input.equity);
  const pad = high > low ? (high - low) * 0.05 : Math.max(Math.abs(low) * 0.01, 1);
  const yLow = low - pad;
  const yHigh = high + pad;
  const equityTicks = niceTicks(yLow, yHigh, 6);
  const yOf = (value: number) => equityBox.top + (1 - (value - yLow) / (yHigh - yLow)) * equityBox.height;

  const deepest = Math.max(maxFinite(input.drawdown) * 100, 0);
  const ddHigh = deepest > 0 ? deepest * 1.08 : 1;
  const drawdownTicks = niceTicks(0, ddHigh, 4);
  const ddOf = (pct: number) => drawdownBox.top + (pct / ddHigh) * drawdownBox.height;

  const timeTicks = dateTicks(first, last, Math.max(2, Math.floor(plotWidth / 90)));
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="12">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="26" font-size="16" font-weight="bold" fill="${CHART_COLORS.text}">${escapeXml(input.title)}</text>`,
  );

  // Grid lines and value labels of both panels, then the shared date axis.
  for (const tick of equityTicks) {
    const y = round(yOf(tick));
    parts.push(
      `<line x1="${equityBox.left}" y1="${y}" x2="${equityBox.left + equityBox.width}" y2="${y}" stroke="${CHART_COLORS.grid}"/>`,
      `<text x="${equityBox.left - 8}" y="${round(y + 4)}" text-anchor="end" fill="${CHART_COLORS.text}">${escapeXml(formatValue(tick, equityTicks))}</text>`,
    );
  }
  for (const tick of drawdownTicks) {
    const y = round(ddOf(tick));
    parts.push(
      `<line x1="${drawdownBox.left}" y1="${y}" x2="${drawdownBox.left + drawdownBox.width}" y2="${y}" stroke="${CHART_COLORS.grid}"/>`,
      `<text x="${drawdownBox.left - 8}" y="${round(y + 4)}" text-anchor="end" fill="${CHART_COLORS.text}">${escapeXml(tick === 0 ? '0%' : `-${formatValue(tick, drawdownTicks)}%`)}</text>`,
    );
  }
  const axisY = drawdownBox.top + drawdownBox.height;
  for (const tick of timeTicks.times) {
    const x = round(xOf(tick));
    parts.push(
      `<line x1="${x}" y1="${equityBox.top}" x2="${x}" y2="${axisY}" stroke="${CHART_COLORS.grid}"/>`,
      `<text x="${x}" y="${axisY + 18}" text-anchor="middle" fill="${CHART_COLORS.text}">${escapeXml(timeTicks.label(tick))}</text>`,
    );
  }
  parts.push(
    `<text transform="translate(16 ${round(equityBox.top + equityBox.height / 2)}) rotate(-90)" text-anchor="middle" fill="${CHART_COLORS.axis}">Equity</text>`,
    `<text transform="translate(16 ${round(drawdownBox.top + drawdownBox.height / 2)}) rotate(-90)" text-anchor="middle" fill="${CHART_COLORS.axis}">Drawdown</text>`,
  );

  // The data: drawdown area, equity line, trade markers.
  if (n > 0) {
    const columns = decimate(input.time, input.drawdown, equityBox.width);
    const area = columns.map((i) => `${round(xOf(input.time[i]!))},${round(ddOf(finiteOr(input.drawdown[i]!, 0) * 100))}`);
    const startX = round(xOf(input.time[columns[0]!]!));
    const endX = round(xOf(input.time[columns.at(-1)!]!));
    parts.push(
      `<polygon points="${startX},${drawdownBox.top} ${area.join(' ')} ${endX},${drawdownBox.top}" fill="${CHART_COLORS.drawdown}" fill-opacity="0.35" stroke="${CHART_COLORS.drawdown}" stroke-width="1"/>`,
    );
    const line = decimate(input.time, input.equity, equityBox.width)
      .filter((i) => Number.isFinite(input.equity[i]!))
      .map((i) => `${round(xOf(input.time[i]!))},${round(yOf(input.equity[i]!))}`);
    parts.push(`<polyline points="${line.join(' ')}" fill="none" stroke="${CHART_COLORS.equity}" stroke-width="1.5" stroke-linejoin="round"/>`);
    if (input.trades.length <= MAX_TRADE_MARKERS) {
      for (const trade of input.trades) parts.push(...tradeMarkers(trade, input, xOf, yOf));
    }
  }

  parts.push(
    `<rect x="${equityBox.left}" y="${equityBox.top}" width="${equityBox.width}" height="${equityBox.height}" fill="none" stroke="${CHART_COLORS.axis}"/>`,
    `<rect x="${drawdownBox.left}" y="${drawdownBox.top}" width="${drawdownBox.width}" height="${drawdownBox.height}" fill="none" stroke="${CHART_COLORS.axis}"/>`,
    legend(width, input.trades.length),
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}

/** `text` safe inside an XML element or a double-quoted attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ENTITIES[c] ?? c);
}

const XML_ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Round values (1, 2, 2.5 or 5 × a power of ten apart) inside `low`–`high`, about `count` of them. */
export function niceTicks(low: number, high: number, count: number): number[] {
  if (!(high > low)) return [low];
  const rough = (high - low) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= rough) ?? 10) * power;
  const ticks: number[] = [];
  for (let k = Math.ceil(low / step - 1e-9); k * step <= high * (1 + 1e-12) + 1e-12; k++) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

/** Date ticks at calendar steps (hours, days, months, years) giving at most `count` labels, and how to label them. */
export function dateTicks(first: number, last: number, count: number): { times: number[]; label: (time: number) => string } {
  const span = Math.max(last - first, 1);
  const step = TIME_STEPS.find((candidate) => span / candidate.ms <= count) ?? TIME_STEPS.at(-1)!;
  const times: number[] = [];
  for (let t = step.align(first); t <= last; t = step.next(t)) if (t >= first) times.push(t);
  return { times, label: step.label };
}

interface TimeStep {
  readonly ms: number;
  align(time: number): number;
  next(time: number): number;
  label(time: number): string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (time: number) => new Date(time).toISOString();

function fixedStep(ms: number, label: (time: number) => string): TimeStep {
  return { ms, align: (time) => Math.ceil(time / ms) * ms, next: (time) => time + ms, label };
}

function monthStep(months: number): TimeStep {
  const label = months >= 12 ? (time: number) => iso(time).slice(0, 4) : (time: number) => iso(time).slice(0, 7);
  return {
    ms: months * 30.44 * DAY,
    align(time) {
      const date = new Date(time);
      const index = date.getUTCFullYear() * 12 + date.getUTCMonth();
      const aligned = Math.ceil(index / months) * months;
      const start = Date.UTC(Math.floor(aligned / 12), aligned % 12, 1);
      return start < time ? this.next(start) : start;
    },
    next(time) {
      const date = new Date(time);
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1);
    },
    label,
  };
}

const TIME_STEPS: readonly TimeStep[] = [
  ...[1, 2, 3, 6, 12].map((hours) => fixedStep(hours * HOUR, (time) => iso(time).slice(5, 16).replace('T', ' '))),
  ...[1, 2, 7, 14].map((days) => fixedStep(days * DAY, (time) => iso(time).slice(0, 10))),
  ...[1, 2, 3, 6, 12, 24, 60, 120, 240, 600].map(monthStep),
];

/** Triangles at a trade's entry and exit on the equity line: up for a buy, down for a sell; green won, red lost. */
function tradeMarkers(
  trade: ClosedTrade,
  input: EquityChartInput,
  xOf: (time: number) => number,
  yOf: (value: number) => number,
): string[] {
  const color = trade.pl > 0 ? CHART_COLORS.win : CHART_COLORS.loss;
  const long = trade.size > 0;
  const at = (bar: number, up: boolean, kind: string) => {
    const value = input.equity[bar];
    const time = input.time[bar];
    if (value === undefined || time === undefined || !Number.isFinite(value)) return '';
    return triangle(xOf(time), yOf(value), up, color, `${kind} ${long ? 'long' : 'short'} ${iso(time).slice(0, 16).replace('T', ' ')}`);
  };
  return [at(trade.entryBar, long, 'entry'), at(trade.exitBar, !long, 'exit')].filter((marker) => marker !== '');
}

function triangle(x: number, y: number, up: boolean, color: string, title: string): string {
  const size = 5;
  // An up triangle sits below the line (a buy from beneath), a down one above it.
  const base = up ? y + size * 2 : y - size * 2;
  const tip = up ? y + 1 : y - 1;
  const points = `${round(x - size)},${round(base)} ${round(x + size)},${round(base)} ${round(x)},${round(tip)}`;
  return `<polygon points="${points}" fill="${color}" stroke="#ffffff" stroke-width="0.5"><title>${escapeXml(title)}</title></polygon>`;
}

function legend(width: number, trades: number): string {
  const right = width - MARGIN.right;
  const items: string[] = [];
  let x = right;
  const entry = (text: string, mark: string) => {
    x -= text.length * 7 + 34;
    items.push(`<g transform="translate(${round(x)} 22)">${mark}<text x="16" y="4" fill="${CHART_COLORS.text}">${escapeXml(text)}</text></g>`);
  };
  if (trades > MAX_TRADE_MARKERS) {
    entry(`${trades} trades (markers omitted)`, '');
  } else {
    entry('losing trade', `<polygon points="2,-4 12,-4 7,5" fill="${CHART_COLORS.loss}"/>`);
    entry('winning trade', `<polygon points="2,5 12,5 7,-4" fill="${CHART_COLORS.win}"/>`);
  }
  entry('drawdown', `<rect x="0" y="-5" width="12" height="10" fill="${CHART_COLORS.drawdown}" fill-opacity="0.35"/>`);
  entry('equity', `<line x1="0" y1="0" x2="12" y2="0" stroke="${CHART_COLORS.equity}" stroke-width="2"/>`);
  return items.join('\n');
}

/**
 * The bar indices worth drawing at `pixels` columns: all of them when few, otherwise per column the first, lowest,
 * highest and last (in time order), which keeps every spike while a million bars become a few thousand points.
 */
function decimate(time: Float64Array, values: Float64Array, pixels: number): number[] {
  const n = values.length;
  if (n <= pixels * 4) return Array.from({ length: n }, (_, i) => i);
  const first = time[0]!;
  const span = Math.max(time[n - 1]! - first, 1);
  const kept: number[] = [];
  let column = -1;
  let start = 0;
  let lowest = 0;
  let highest = 0;
  const flush = (end: number) => {
    for (const i of [...new Set([start, lowest, highest, end])].sort((a, b) => a - b)) kept.push(i);
  };
  for (let i = 0; i < n; i++) {
    const at = Math.min(pixels - 1, Math.floor(((time[i]! - first) / span) * pixels));
    if (at !== column) {
      if (column >= 0) flush(i - 1);
      column = at;
      start = lowest = highest = i;
    }
    const value = values[i]!;
    if (value < values[lowest]! || !Number.isFinite(values[lowest]!)) lowest = i;
    if (value > values[highest]! || !Number.isFinite(values[highest]!)) highest = i;
  }
  flush(n - 1);
  return kept;
}

function valueRange(values: Float64Array): [number, number] {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    if (value < low) low = value;
    if (value > high) high = value;
  }
  return low <= high ? [low, high] : [0, 1];
}

function maxFinite(values: Float64Array): number {
  let high = 0;
  for (const value of values) if (Number.isFinite(value) && value > high) high = value;
  return high;
}

function finiteOr(value: number, fallback: number): number {
  return Number.isFinite(value) ? value : fallback;
}

/** A tick's label with as many decimals as the step between ticks needs, thousands grouped. */
function formatValue(value: number, ticks: readonly number[]): string {
  const step = ticks.length > 1 ? Math.abs(ticks[1]! - ticks[0]!) : Math.abs(value);
  const decimals = step > 0 ? Math.min(8, Math.max(0, -Math.floor(Math.log10(step) + 1e-9) + (isHalfStep(step) ? 1 : 0))) : 0;
  const [whole, fraction] = Math.abs(value).toFixed(decimals).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${value < 0 ? '-' : ''}${grouped}${fraction ? `.${fraction}` : ''}`;
}

/** 2.5 × 10^k needs one more decimal than its power of ten. */
function isHalfStep(step: number): boolean {
  const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
  return Math.abs(mantissa - 2.5) < 1e-9;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
