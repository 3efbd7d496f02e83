// What the CLI prints and writes for a backtest: the statistics table (names left, values right, as backtesting.py
// prints its report), the statistics as one JSON object, the equity curve as CSV, and a sweep's ranked table. Pure text.
import type { BacktestStatistics } from '../../domain/backtest/statistics.js';
import type { ParamValues } from '../../domain/backtest/strategy.js';
import { jsonStatistics } from './backtest-record.js';

/** Statistics to show: a run's report, or the numbers a sweep kept of it. */
export type Statistics = BacktestStatistics | Readonly<Record<string, number | string | null>>;
type StatisticValue = number | string | null | undefined;

/** Statistics whose value is a length of time, in days. */
const DURATION = /Duration$/;

/**
 * The report as backtesting.py prints it: one line per statistic, its name left and its value right-aligned. Dates
 * ISO, durations in days, NaN as NaN, other numbers with up to 5 decimals; `strategy` (e.g. `sma_cross(fast=10,
 * slow=20)`) as a last `_strategy` line when given.
 */
export function statisticsTable(statistics: Statistics, strategy?: string): string {
  const rows = Object.entries(statistics).map(([name, value]): [string, string] => [name, formatStatistic(name, value as StatisticValue)]);
  if (strategy !== undefined) rows.push(['_strategy', strategy]);
  const nameWidth = Math.max(...rows.map(([name]) => name.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  return rows.map(([name, value]) => `${name.padEnd(nameWidth)}  ${value.padStart(valueWidth)}`).join('\n');
}

/** One statistic's value as the table shows it. */
export function formatStatistic(name: string, value: StatisticValue): string {
  if (value === null || value === undefined) return 'NaN';
  if (typeof value === 'string') return value;
  if (DURATION.test(name) && Number.isFinite(value)) return `${formatNumber(value)} days`;
  return formatNumber(value);
}

/** A number as pandas shows it at 5 decimals: trailing zeros trimmed, whole numbers without a point. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (Number.isInteger(value)) return Math.abs(value) < 1e21 ? value.toFixed(0) : String(value);
  const fixed = value.toFixed(5).replace(/0+$/, '').replace(/\.$/, '.0');
  // A tiny value would print as 0.0 or -0.0: show its digits instead.
  return /^-?0\.0$/.test(fixed) ? value.toPrecision(5) : fixed;
}

/**
 * The statistics as JSON: names as the report's, NaN as null and infinities as the strings "Infinity" and
 * "-Infinity" (JSON has no such numbers), everything else as it is.
 */
export function statisticsJson(statistics: Statistics): string {
  return JSON.stringify(jsonStatistics(statistics), null, 2);
}

/** Equity curve columns: one row per bar. */
export interface EquityCurve {
  /** Bar times, epoch ms UTC. */
  readonly time: Float64Array;
  readonly equity: Float64Array;
  /** Drawdown as a fraction of the running peak (0.25 = 25 % below it). */
  readonly drawdown: Float64Array;
}

/** The equity curve as CSV: a header, then `time,equity,drawdown_pct` for every bar (ISO time, drawdown in %). */
export function equityCsv(curve: EquityCurve): string {
  const lines = ['time,equity,drawdown_pct'];
  for (let i = 0; i < curve.equity.length; i++) {
    lines.push(`${new Date(curve.time[i]!).toISOString()},${csvNumber(curve.equity[i]!)},${csvNumber(curve.drawdown[i]! * 100)}`);
  }
  return `${lines.join('\n')}\n`;
}

function csvNumber(value: number): string {
  return Number.isNaN(value) ? '' : String(value);
}

/** `sma_cross(fast=10, slow=20)`: a strategy with its parameters, as the table's `_strategy` line names it. */
export function strategyLabel(name: string, params: ParamValues): string {
  return `${name}(${Object.entries(params)
    .map(([param, value]) => `${param}=${String(value)}`)
    .join(', ')})`;
}

/** A sweep's best rows as a table: a rank, the swept parameters, then the statistics asked for. */
export function sweepTable(
  rows: readonly { readonly params: ParamValues; readonly statistics: Readonly<Record<string, number>> }[],
  params: readonly string[],
  statistics: readonly string[],
): string {
  const header = ['#', ...params, ...statistics];
  const body = rows.map((row, index) => [
    String(index + 1),
    ...params.map((name) => String(row.params[name] ?? '')),
    ...statistics.map((name) => formatStatistic(name, row.statistics[name] ?? null)),
  ]);
  const widths = header.map((cell, column) => Math.max(cell.length, ...body.map((line) => line[column]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padStart(widths[column]!)).join('  ');
  return [line(header), ...body.map(line)].join('\n');
}
