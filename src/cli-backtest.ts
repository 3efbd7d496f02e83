// `ordergate backtest` and `ordergate optimize`: a strategy over a CSV or a bundled series (GOOG, EURUSD, BTCUSD),
// printing backtesting.py's statistics table (or JSON) and writing the equity curve and a chart; or a sweep of its
// parameters over worker threads, printing the best rows and writing a heatmap. Built-in strategies run in this
// thread; users' strategy files (the data folder's strategies/) only ever run in a worker.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { ConfigError, loadConfig } from './config.js';
import { InvalidBarCsv } from './domain/backtest/bar-csv.js';
import type { BarColumns } from './domain/backtest/bars.js';
import { runSimulation } from './domain/backtest/engine.js';
import { BacktestError, InsufficientBars, InvalidBacktestParams } from './domain/backtest/errors.js';
import { DEFAULT_SETTINGS, type ClosedTrade, type FillModel, type SimulationSettings } from './domain/backtest/simulation.js';
import { type BacktestStatistics, computeStatistics, drawdownCurve } from './domain/backtest/statistics.js';
import { BUILTIN_STRATEGIES } from './domain/backtest/strategies/builtin-strategies.js';
import type { ParamSpec, ParamValue, ParamValues } from './domain/backtest/strategy.js';
import { resolveParams } from './domain/backtest/strategy-params.js';
import type { AxisSpec, Comparison, ParamConstraint } from './domain/backtest/sweep-grid.js';
import {
  equityCsv,
  formatNumber,
  statisticsJson,
  statisticsTable,
  strategyLabel,
  sweepTable,
} from './core/backtest/backtest-outputs.js';
import { InvalidBacktest } from './core/backtest/backtest-request-errors.js';
import { type BarSource, type BarSourceDeps, loadBars } from './core/backtest/bar-sources.js';
import { equityChartSvg } from './core/backtest/equity-chart.js';
import { heatmapSvg } from './core/backtest/heatmap-chart.js';
import { DEFAULT_SWEEP_STATISTICS, type SweepResult, runSweep } from './core/backtest/sweep.js';
import { type UserStrategy, loadStrategyFolder } from './core/backtest/user-strategies.js';
import { BacktestPool, BacktestWorkerError, shareBars } from './core/backtest/worker-pool.js';
import { type ExchangeFillSpec, exchangeFillModel } from './exchange/backtest/exchange-fill-model.js';
import { BUNDLED_REPLAYS } from './exchange/history/replay-series.js';
import { EXCHANGE_FILL_MODULE, csvExchangeFill } from './backtests.js';
import { seededRandom } from './domain/seeded-random.js';
import { jsonStatistics } from './core/backtest/backtest-record.js';

/** The command was given wrongly (exit 2) or cannot do what was asked with these inputs (exit 1). */
export class BacktestCliError extends Error {
  constructor(
    readonly exitCode: 1 | 2,
    message: string,
  ) {
    super(message);
    this.name = 'BacktestCliError';
  }
}

/** A sweep in the CLI may take as long as the user lets it (Ctrl-C stops it); setTimeout holds at most ~24.8 days. */
const CLI_TIME_LIMIT_MS = 24 * 3_600_000;

/**
 * Runs `ordergate backtest …` or `ordergate optimize …`. Every failure is one line on standard error and exit code 2
 * (the command was given wrongly: an option, a parameter, an unknown strategy) or 1 (the data or the strategy failed).
 */
export async function backtestCli(command: 'backtest' | 'optimize', args: string[]): Promise<void> {
  try {
    if (command === 'backtest') await backtest(args);
    else await optimize(args);
  } catch (error) {
    const failure = cliFailureOf(error);
    process.stderr.write(`ordergate ${command}: ${failure.message}\n`);
    process.exitCode = failure.exitCode;
  }
}

// ---- backtest ----------------------------------------------------------------------------------------------------

async function backtest(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...SIMULATION_OPTIONS,
      param: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      equity: { type: 'string' },
      chart: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const chartFormat = values.chart === undefined ? undefined : chartFormatOf(values.chart);
  const run = await prepare('backtest', positionals, values);
  let outcome: RunResult;
  try {
    outcome = await run.execute(parseFixedParams(run.specs, values.param ?? []));
  } finally {
    await run.pool.close();
  }

  const label = strategyLabel(run.name, outcome.params);
  process.stdout.write(values.json ? `${statisticsJson(outcome.statistics)}\n` : `${statisticsTable(outcome.statistics, label)}\n`);
  if (outcome.fillReport !== undefined) process.stderr.write(`${fillReportLine(outcome.fillReport)}\n`);
  if (values.equity !== undefined) {
    writeOutput(values.equity, equityCsv({ time: run.bars.time, equity: outcome.equity, drawdown: outcome.drawdown }));
    process.stderr.write(`Wrote the equity curve (${run.bars.length} bars) to ${values.equity}\n`);
  }
  if (values.chart !== undefined && chartFormat !== undefined) {
    const svg = equityChartSvg({
      time: run.bars.time,
      equity: outcome.equity,
      drawdown: outcome.drawdown,
      trades: outcome.trades,
      title: `${label} on ${run.dataName}`,
    });
    writeOutput(values.chart, chartFormat === 'png' ? await pngOf(svg) : svg);
    process.stderr.write(`Wrote the chart to ${values.chart}\n`);
  }
}

/** The `exchange` model's report in one line: `exchange fills: 3 orders refused (cnc_short 3), 0 square-offs, charges 6634.37`. */
function fillReportLine(report: Readonly<Record<string, number>>): string {
  const reasons = Object.entries(report)
    .filter(([name, count]) => name.startsWith('refused_') && name !== 'refused_orders' && count > 0)
    .map(([name, count]) => `${name.slice('refused_'.length)} ${count}`);
  const refused = `${report.refused_orders ?? 0} orders refused${reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}`;
  return `exchange fills: ${refused}, ${report.square_offs ?? 0} square-offs, charges ${formatNumber(report.charges ?? 0)}`;
}

interface RunResult {
  readonly params: ParamValues;
  readonly statistics: BacktestStatistics;
  readonly equity: Float64Array;
  readonly drawdown: Float64Array;
  readonly trades: readonly ClosedTrade[];
  /** The `exchange` model's refusals, square-offs and charges. */
  readonly fillReport?: Readonly<Record<string, number>>;
}

// ---- optimize ----------------------------------------------------------------------------------------------------

async function optimize(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      ...SIMULATION_OPTIONS,
      param: { type: 'string', multiple: true },
      maximize: { type: 'string', default: 'SQN' },
      constraint: { type: 'string', multiple: true },
      random: { type: 'string' },
      seed: { type: 'string' },
      top: { type: 'string', default: '10' },
      json: { type: 'boolean' },
      heatmap: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const top = wholeNumber('--top', values.top, 1);
  const samples = values.random === undefined ? undefined : wholeNumber('--random', values.random, 1);
  if (values.seed !== undefined && samples === undefined) throw usage('--seed goes with --random N');
  const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : wholeNumber('--seed', values.seed, 0);
  if (values.heatmap !== undefined && !values.heatmap.toLowerCase().endsWith('.svg')) {
    throw usage(`--heatmap writes SVG: name a .svg file, got ${values.heatmap}`);
  }
  const run = await prepare('optimize', positionals, values);
  const progress = sweepProgress(process.stderr, values.json !== true);
  let result: SweepResult;
  let swept: string[];
  try {
    const { fixed, grid } = parseSweepParams(run.specs, values.param ?? []);
    swept = Object.keys(grid);
    if (swept.length === 0) throw usage('optimize needs a parameter to sweep: --param NAME=MIN:MAX[:STEP] or NAME=A,B,C');
    if (values.heatmap !== undefined && swept.length !== 2) {
      throw usage(`--heatmap needs exactly two swept parameters; ${swept.length === 1 ? 'one is' : `${swept.length} are`} swept (${swept.join(', ')})`);
    }
    const constraint = parseConstraints(values.constraint ?? []);
    progress.start();
    await run.pool.warm();
    result = await runSweep(
      run.pool,
      {
        strategy: run.user ?? run.name,
        bars: run.bars,
        settings: run.settings,
        ...run.fill,
        fixed,
        grid,
        constraint,
        samples,
        random: samples === undefined ? undefined : seededRandom(seed),
        maximize: values.maximize,
      },
      { onProgress: (fraction) => progress.update(fraction), timeLimitMs: CLI_TIME_LIMIT_MS },
    );
  } finally {
    progress.stop();
    await run.pool.close();
  }

  const statistics = [...new Set([result.maximize, ...DEFAULT_SWEEP_STATISTICS])];
  const best = result.rows.slice(0, top);
  if (values.json) {
    const encode = (row: (typeof best)[number]) => ({ params: row.params, statistics: jsonStatistics(row.statistics) });
    const answer = {
      maximize: result.maximize,
      combinations: result.combinations,
      ...(samples === undefined ? {} : { seed }),
      best: result.best ? encode(result.best) : null,
      rows: best.map(encode),
    };
    process.stdout.write(`${JSON.stringify(answer, null, 2)}\n`);
  } else {
    const how = samples === undefined ? '' : ` (a random ${result.combinations} of the grid, seed ${seed})`;
    process.stdout.write(`${run.name} on ${run.dataName}: ${result.combinations} parameter sets${how}, best ${best.length} by ${result.maximize}\n\n`);
    process.stdout.write(`${sweepTable(best, swept, statistics)}\n`);
  }
  if (values.heatmap !== undefined && result.heatmap) {
    writeOutput(values.heatmap, heatmapSvg(result.heatmap, `${run.name} on ${run.dataName}: ${result.maximize}`));
    process.stderr.write(`Wrote the heatmap of ${result.maximize} over ${swept.join(' × ')} to ${values.heatmap}\n`);
  }
}

/** A bar on standard error while the sweep runs, when that is a terminal and the output is not JSON. */
function sweepProgress(stream: NodeJS.WriteStream, wanted: boolean): { start(): void; update(fraction: number): void; stop(): void } {
  if (!wanted || !stream.isTTY) return { start: () => {}, update: () => {}, stop: () => {} };
  const bar = new SingleBar({ stream, format: 'optimize [{bar}] {percentage}% | ETA {eta_formatted}', hideCursor: true });
  let running = false;
  return {
    start: () => {
      bar.start(100, 0);
      running = true;
    },
    update: (fraction) => bar.update(Math.round(fraction * 1000) / 10),
    stop: () => {
      if (running) bar.stop();
      running = false;
    },
  };
}

// ---- what both commands share: the strategy, the data, the settings ---------------------------------------------

const SIMULATION_OPTIONS = {
  data: { type: 'string' },
  cash: { type: 'string', default: '10000' },
  commission: { type: 'string', default: '0' },
  spread: { type: 'string', default: '0' },
  margin: { type: 'string', default: '1' },
  'trade-on-close': { type: 'boolean' },
  'finalize-trades': { type: 'boolean' },
  hedging: { type: 'boolean' },
  'exclusive-orders': { type: 'boolean' },
  'fill-model': { type: 'string', default: 'reference' },
  product: { type: 'string', default: 'CNC' },
  'lot-size': { type: 'string', default: '1' },
  'tick-size': { type: 'string', default: '0.01' },
  'no-charges': { type: 'boolean' },
  from: { type: 'string' },
  to: { type: 'string' },
  'strategies-dir': { type: 'string' },
} as const;

interface SimulationValues {
  data?: string;
  cash: string;
  commission: string;
  spread: string;
  margin: string;
  'trade-on-close'?: boolean;
  'finalize-trades'?: boolean;
  hedging?: boolean;
  'exclusive-orders'?: boolean;
  'fill-model': string;
  product: string;
  'lot-size': string;
  'tick-size': string;
  'no-charges'?: boolean;
  from?: string;
  to?: string;
  'strategies-dir'?: string;
}

interface PreparedRun {
  readonly name: string;
  readonly specs: readonly ParamSpec[];
  /** Set for a user's strategy file. */
  readonly user?: UserStrategy;
  readonly bars: BarColumns;
  readonly dataName: string;
  readonly settings: SimulationSettings;
  /** The worker threads (started on first use). */
  readonly pool: BacktestPool;
  /** The fill model, and the `exchange` model's terms. */
  readonly fill: { readonly fillModel: FillModel; readonly exchangeFill?: ExchangeFillSpec };
  execute(params: ParamValues): Promise<RunResult>;
}

async function prepare(command: string, positionals: string[], values: SimulationValues): Promise<PreparedRun> {
  if (positionals.length !== 1) throw usage(`${command} takes one STRATEGY name, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}`);
  const name = positionals[0]!;
  const fill = fillOf(values);
  const settings = settingsOf(values);
  if (values.data === undefined) throw usage(`${command} needs --data FILE.csv, or one of the bundled series ${bundledNames().join(', ')}`);
  const window = { from: utcInstant('--from', values.from, false), to: utcInstant('--to', values.to, true) };
  if (window.from !== undefined && window.to !== undefined && window.from >= window.to) throw usage('--from must be before --to');

  const pool = new BacktestPool({ size: command === 'backtest' ? 1 : undefined, timeLimitMs: CLI_TIME_LIMIT_MS, exchangeFillModule: EXCHANGE_FILL_MODULE });
  try {
    const strategy = await strategyNamed(name, pool, values['strategies-dir']);
    const { source, dataName } = dataSourceOf(values.data);
    const bars = await loadBars(source, window, BAR_SOURCE_DEPS).catch((error: unknown) => {
      // InvalidBacktest names the API's field (`data.csv: …`); the CLI user gave --data.
      if (error instanceof InvalidBacktest) throw new BacktestCliError(1, `--data ${values.data}: ${error.message.replace(/^[\w.]+: /, '')}`);
      throw error;
    });
    const execute = async (params: ParamValues): Promise<RunResult> => {
      if (strategy.user) {
        return pool.submit({ kind: 'run', bars: shareBars(bars), strategy: strategy.user.ref, params, settings, ...fill }, `${name} over ${dataName}`);
      }
      const definition = BUILTIN_STRATEGIES.get(name)!;
      const broker = fill.exchangeFill === undefined ? undefined : exchangeFillModel(fill.exchangeFill);
      const result = runSimulation(bars, definition, params, settings, { broker });
      return {
        params: resolveParams(definition, params),
        statistics: computeStatistics({ bars, result }),
        equity: result.equity,
        drawdown: drawdownCurve(result.equity),
        trades: result.trades,
        ...(result.fillReport && { fillReport: result.fillReport }),
      };
    };
    return { name, specs: strategy.specs, user: strategy.user, bars, dataName, settings, pool, fill, execute };
  } catch (error) {
    await pool.close();
    throw error;
  }
}

async function strategyNamed(
  name: string,
  pool: BacktestPool,
  strategiesDir: string | undefined,
): Promise<{ specs: readonly ParamSpec[]; user?: UserStrategy }> {
  const builtin = BUILTIN_STRATEGIES.get(name);
  if (builtin) return { specs: builtin.params };
  const folder = path.resolve(strategiesDir ?? path.join(loadConfig().dataDir, 'strategies'));
  const { strategies, failures } = await loadStrategyFolder(pool, folder);
  const user = strategies.find((each) => each.name === name);
  if (user) return { specs: user.params, user };
  const known = [...BUILTIN_STRATEGIES.keys(), ...strategies.map((each) => each.name)];
  const broken = failures.length === 0 ? '' : ` (files in ${folder} that failed to load: ${failures.map((f) => f.message).join('; ')})`;
  throw usage(`no strategy named '${name}'; known strategies: ${known.join(', ')}${broken}`);
}

/** `--fill-model reference` (backtesting.py's fills), or `exchange` with the CSV's instrument terms and product. */
function fillOf(values: SimulationValues): PreparedRun['fill'] {
  const model = values['fill-model'];
  if (model === 'reference') return { fillModel: 'reference' };
  if (model !== 'exchange') throw usage(`--fill-model takes reference or exchange, got '${model}'`);
  const product = values.product.toUpperCase();
  if (product !== 'CNC' && product !== 'MIS' && product !== 'NRML') throw usage(`--product takes CNC, MIS or NRML, got '${values.product}'`);
  const exchangeFill = csvExchangeFill({
    product,
    charges: values['no-charges'] !== true,
    lotSize: numberOption('--lot-size', values['lot-size']),
    tickSize: numberOption('--tick-size', values['tick-size']),
  });
  // The model refuses terms the exchange would not trade (a fractional lot, a zero tick) before any bar is read.
  try {
    exchangeFillModel(exchangeFill);
  } catch (error) {
    if (error instanceof BacktestError) throw usage(error.message);
    throw error;
  }
  return { fillModel: 'exchange', exchangeFill };
}

function settingsOf(values: SimulationValues): SimulationSettings {
  return {
    ...DEFAULT_SETTINGS,
    cash: numberOption('--cash', values.cash),
    commission: numberOption('--commission', values.commission),
    spread: numberOption('--spread', values.spread),
    margin: numberOption('--margin', values.margin),
    tradeOnClose: values['trade-on-close'] === true,
    finalizeTrades: values['finalize-trades'] === true,
    hedging: values.hedging === true,
    exclusiveOrders: values['exclusive-orders'] === true,
  };
}

const BAR_SOURCE_DEPS: BarSourceDeps = {
  bundledSeries: (name) => BUNDLED_REPLAYS.find((replay) => replay.symbol === name)?.read(),
  bundledNames: bundledNames(),
  history: () => Promise.reject(new BacktestCliError(2, 'the CLI reads bars from a CSV file or a bundled series')),
  now: () => Date.now(),
};

function bundledNames(): string[] {
  return BUNDLED_REPLAYS.map((replay) => replay.symbol);
}

/** `--data`: a CSV file when one exists at that path, else a bundled series by name (GOOG, GOOG.csv, eurusd, …). */
function dataSourceOf(data: string): { source: BarSource; dataName: string } {
  let text: string | undefined;
  try {
    text = fs.readFileSync(data, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw new BacktestCliError(1, `cannot read --data ${data}: ${(error as Error).message}`);
  }
  if (text !== undefined) return { source: { kind: 'csv', csv: text, name: data }, dataName: path.basename(data) };
  const name = data.replace(/\.csv$/i, '').toUpperCase();
  if (bundledNames().includes(name) && !data.includes('/')) return { source: { kind: 'bundled', name }, dataName: name };
  throw new BacktestCliError(1, `--data ${data}: no such file, nor a bundled series of that name (${bundledNames().join(', ')})`);
}

/** `--from` / `--to` as a UTC instant; a bare date `--to` includes that whole day. */
function utcInstant(option: string, text: string | undefined, end: boolean): number | undefined {
  if (text === undefined) return undefined;
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const zoned = dateOnly || /(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`;
  const at = Date.parse(zoned);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(at)) {
    throw usage(`${option} takes a UTC date or date-time (2012-01-31, 2017-06-01T09:00), got ${text}`);
  }
  if (!end) return at;
  // The window's end is exclusive: a date includes its day, a date-time includes the bar that starts then.
  return dateOnly ? at + 86_400_000 : at + 1;
}

// ---- parameters --------------------------------------------------------------------------------------------------

/** `--param NAME=VALUE` of a run, each typed by the strategy's spec; an unknown or repeated name is refused. */
export function parseFixedParams(specs: readonly ParamSpec[], given: readonly string[]): ParamValues {
  const params: Record<string, ParamValue> = {};
  for (const [spec, text] of paramAssignments(specs, given)) params[spec.name] = paramValue(spec, text);
  return params;
}

/**
 * `--param` of a sweep: `NAME=MIN:MAX[:STEP]` (a range; the strategy's step when none), `NAME=A,B,C` (a list), or
 * `NAME=VALUE` (fixed, not swept).
 */
export function parseSweepParams(specs: readonly ParamSpec[], given: readonly string[]): { fixed: ParamValues; grid: Record<string, AxisSpec> } {
  const fixed: Record<string, ParamValue> = {};
  const grid: Record<string, AxisSpec> = {};
  for (const [spec, text] of paramAssignments(specs, given)) {
    if (text.includes(':')) {
      const parts = text.split(':');
      if (parts.length > 3 || spec.type === 'bool') throw paramError(spec, `takes a range MIN:MAX or MIN:MAX:STEP, got ${text}`);
      const [min, max, step] = parts.map((part) => Number(paramValue({ ...spec, type: 'float' }, part)));
      grid[spec.name] = step === undefined ? { min, max } : { min, max, step };
    } else if (text.includes(',')) {
      grid[spec.name] = text.split(',').map((part) => paramValue(spec, part));
    } else {
      fixed[spec.name] = paramValue(spec, text);
    }
  }
  return { fixed, grid };
}

function paramAssignments(specs: readonly ParamSpec[], given: readonly string[]): [ParamSpec, string][] {
  const seen = new Set<string>();
  return given.map((assignment): [ParamSpec, string] => {
    const at = assignment.indexOf('=');
    if (at <= 0) throw usage(`--param takes NAME=VALUE, got ${assignment}`);
    const name = assignment.slice(0, at).trim();
    const spec = specs.find((each) => each.name === name);
    if (!spec) {
      throw usage(`the strategy has no parameter '${name}' (its parameters: ${specs.map((each) => `${each.name} (${each.type}, default ${String(each.default)})`).join(', ') || 'none'})`);
    }
    if (seen.has(name)) throw usage(`--param ${name} is given twice`);
    seen.add(name);
    return [spec, assignment.slice(at + 1).trim()];
  });
}

function paramValue(spec: ParamSpec, text: string): ParamValue {
  if (spec.type === 'bool') {
    const value = BOOLEAN_WORDS[text.toLowerCase()];
    if (value === undefined) throw paramError(spec, `is true or false, got '${text}'`);
    return value;
  }
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) throw paramError(spec, `is a number, got '${text}'`);
  if (spec.type === 'int' && !Number.isInteger(value)) throw paramError(spec, `is a whole number, got '${text}'`);
  return value;
}

const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = { true: true, false: false, yes: true, no: false, '1': true, '0': false };

function paramError(spec: ParamSpec, reason: string): BacktestCliError {
  return usage(`parameter '${spec.name}' ${reason}`);
}

const CONSTRAINT = /^\s*([A-Za-z_]\w*)\s*(<=|>=|==|!=|<|>)\s*([A-Za-z_]\w*|[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*$/i;
const OPERATORS: Readonly<Record<string, Comparison>> = { '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte', '==': 'eq', '!=': 'ne' };

/** `--constraint "fast<slow"`, `"stop>=0.5"`: each a comparison of a parameter with a number, true/false or another parameter. */
export function parseConstraints(given: readonly string[]): ParamConstraint | undefined {
  if (given.length === 0) return undefined;
  const constraint: Record<string, Partial<Record<Comparison, ParamValue | string>>> = {};
  for (const text of given) {
    const match = CONSTRAINT.exec(text);
    if (!match) throw usage(`--constraint takes NAME OP VALUE with OP one of < <= > >= == != (e.g. "fast<slow"), got '${text}'`);
    const [, name, operator, operand] = match as unknown as [string, string, string, string];
    const op = OPERATORS[operator]!;
    const comparisons = (constraint[name] ??= {});
    if (comparisons[op] !== undefined) throw usage(`--constraint ${name} ${operator} is given twice`);
    const number = Number(operand);
    comparisons[op] = operand in BOOLEAN_WORDS && !/^\d$/.test(operand) ? BOOLEAN_WORDS[operand]! : Number.isFinite(number) ? number : operand;
  }
  return constraint;
}

// ---- small helpers -----------------------------------------------------------------------------------------------

function usage(message: string): BacktestCliError {
  return new BacktestCliError(2, message);
}

function numberOption(option: string, text: string): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) throw usage(`${option} takes a number, got '${text}'`);
  return value;
}

function wholeNumber(option: string, text: string, min: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min) throw usage(`${option} takes a whole number of at least ${min}, got '${text}'`);
  return value;
}

function chartFormatOf(file: string): 'svg' | 'png' {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.svg') return 'svg';
  if (extension === '.png') return 'png';
  throw usage(`--chart writes SVG or PNG: name a .svg or .png file, got ${file}`);
}

async function pngOf(svg: string): Promise<Buffer> {
  // Loaded only for a PNG: it is a native module the rest of the command does not need.
  const { Resvg } = await import('@resvg/resvg-js');
  return Buffer.from(new Resvg(svg, { font: { loadSystemFonts: true } }).render().asPng());
}

function writeOutput(file: string, content: string | Buffer): void {
  try {
    fs.writeFileSync(file, content);
  } catch (error) {
    throw new BacktestCliError(1, `cannot write ${file}: ${(error as Error).message}`);
  }
}

/** What the user is told, and the exit code, for whatever the command threw. */
export function cliFailureOf(error: unknown): BacktestCliError {
  if (error instanceof BacktestCliError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  // parseArgs explains at length on further lines; the first says what was wrong.
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) return usage(message.split('\n')[0]!);
  if (error instanceof ConfigError || error instanceof InvalidBacktestParams) return usage(message);
  if (error instanceof BacktestError && error.code === 'INVALID_BACKTEST_SETTINGS') return usage(message);
  if (error instanceof InvalidBarCsv || error instanceof InsufficientBars) return new BacktestCliError(1, message);
  if (error instanceof BacktestError || error instanceof BacktestWorkerError) return new BacktestCliError(1, message);
  return new BacktestCliError(1, message.split('\n')[0] ?? message);
}
