// `ordergate backtest` and `ordergate optimize` as a user runs them: real child processes of `node bin/ordergate.js`
// in a temporary folder, checked against the same run made in this process. Each spawn costs about a second, so each
// test asks several things of one command; the parsing of parameters and constraints is tested in-process below.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConstraints, parseFixedParams, parseSweepParams } from '../src/cli-backtest.js';
import { seededRandom } from '../src/domain/seeded-random.js';
import { formatNumber } from '../src/core/backtest/backtest-outputs.js';
import { parseBarCsv } from '../src/domain/backtest/bar-csv.js';
import { runSimulation } from '../src/domain/backtest/engine.js';
import { DEFAULT_SETTINGS } from '../src/domain/backtest/simulation.js';
import { computeStatistics, drawdownCurve } from '../src/domain/backtest/statistics.js';
import { BUILTIN_STRATEGIES } from '../src/domain/backtest/strategies/builtin-strategies.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'bin', 'ordergate.js');
const GOOG = path.join(ROOT, 'src', 'exchange', 'history', 'series', 'GOOG.csv');
const SMA_CROSS = BUILTIN_STRATEGIES.get('sma_cross')!;

let dir: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ordergate-backtest-cli-'));
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs `ordergate <args>` in the temporary folder, with a data folder of its own there. */
function ordergate(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('ORDERGATE_')) env[name] = value;
  env.ORDERGATE_DATA_DIR = path.join(dir, 'data');
  const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The run the first commands make, made here: sma_cross(10, 20) on GOOG with 10,000 cash and 0.2 % commission. */
function inProcessRun() {
  const bars = parseBarCsv(fs.readFileSync(GOOG, 'utf8'));
  const result = runSimulation(bars, SMA_CROSS, { fast: 10, slow: 20 }, { ...DEFAULT_SETTINGS, cash: 10_000, commission: 0.002 });
  return { bars, statistics: computeStatistics({ bars, result }), equity: result.equity, drawdown: drawdownCurve(result.equity) };
}

function pngSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const RUN = ['backtest', 'sma_cross', '--data', 'GOOG.csv', '--cash', '10000', '--commission', '0.002', '--param', 'fast=10', '--param', 'slow=20'];

describe('ordergate backtest', { timeout: 60_000 }, () => {
  it('prints the statistics table, and writes the equity curve as CSV and the chart as SVG', async () => {
    const run = inProcessRun();
    const { code, stdout, stderr } = await ordergate([...RUN, '--equity', 'equity.csv', '--chart', 'chart.svg']);
    expect({ code, stderr }).toEqual({
      code: 0,
      stderr: 'Wrote the equity curve (2148 bars) to equity.csv\nWrote the chart to chart.svg\n',
    });
    const lines = stdout.trimEnd().split('\n');
    // Names padded to the longest ("Max. Drawdown Duration"), values right-aligned to the widest (the _strategy line).
    const line = (name: string, value: string) => `${name.padEnd(22)}  ${value.padStart(27)}`;
    expect(lines[0]).toBe(line('Start', '2004-08-19T00:00:00.000Z'));
    expect(lines[2]).toBe(line('Duration', '3116 days'));
    expect(lines).toContain(line('Equity Final [$]', '56263.51934'));
    expect(lines).toContain(line('# Trades', '93'));
    expect(lines).toContain(line('Max. Drawdown Duration', '830 days'));
    expect(lines.at(-1)).toBe(line('_strategy', 'sma_cross(fast=10, slow=20)'));
    // Every statistic of the in-process run, in the report's order, at 5 decimals.
    const names = Object.keys(run.statistics);
    expect(lines.slice(0, -1).map((text) => text.slice(0, 22).trimEnd())).toEqual(names);
    expect(lines).toContain(line('Sharpe Ratio', formatNumber(run.statistics['Sharpe Ratio']!)));

    const csv = fs.readFileSync(path.join(dir, 'equity.csv'), 'utf8').trimEnd().split('\n');
    expect(csv).toHaveLength(1 + run.bars.length);
    expect(csv[0]).toBe('time,equity,drawdown_pct');
    expect(csv[1]).toBe('2004-08-19T00:00:00.000Z,10000,0');
    expect(csv.at(-1)).toBe(`2013-03-01T00:00:00.000Z,${run.equity.at(-1)},${run.drawdown.at(-1)! * 100}`);

    const svg = fs.readFileSync(path.join(dir, 'chart.svg'), 'utf8');
    expect(svg).toContain('>sma_cross(fast=10, slow=20) on GOOG</text>');
    expect(svg.match(/<title>(entry|exit) /g)).toHaveLength(2 * 93);
    expect(pngSize(Buffer.from(new Resvg(svg).render().asPng()))).toEqual({ width: 1000, height: 600 });
  });

  it('--json prints only the statistics, equal to the same run in process; --chart FILE.png writes a PNG', async () => {
    const { code, stdout, stderr } = await ordergate([...RUN, '--json', '--chart', 'chart.png']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: 'Wrote the chart to chart.png\n' });
    expect(JSON.parse(stdout)).toEqual(JSON.parse(JSON.stringify(inProcessRun().statistics)));
    expect(pngSize(fs.readFileSync(path.join(dir, 'chart.png')))).toEqual({ width: 1000, height: 600 });
  });

  it('refuses an unknown strategy with exit 2, naming the built-in and the data folder’s strategies', async () => {
    fs.mkdirSync(path.join(dir, 'data', 'strategies'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'data', 'strategies', 'breakout.ts'),
      "export default defineStrategy({ name: 'my_breakout', params: [], init: () => ({}), onBar() {} });\n",
    );
    const { code, stdout, stderr } = await ordergate(['backtest', 'nope', '--data', 'GOOG']);
    expect({ code, stdout, stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: `ordergate backtest: no strategy named 'nope'; known strategies: ${[...BUILTIN_STRATEGIES.keys(), 'my_breakout'].join(', ')}\n`,
    });
  });

  it('--fill-model exchange fills as the paper exchange would, and says what it refused', async () => {
    // CNC cannot sell short: each of sma_cross's 47 shorts is refused; of its 47 longs, which pay the Indian charges,
    // the last is still open after the last bar.
    const { code, stdout, stderr } = await ordergate(['backtest', 'sma_cross', '--data', 'GOOG', '--fill-model', 'exchange', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)['# Trades']).toBe(46);
    expect(stderr).toBe('exchange fills: 47 orders refused (cnc_short 47), 0 square-offs, charges 3448.88\n');
  });

  it('says which line of a CSV is wrong in one line, exit 1', async () => {
    fs.writeFileSync(path.join(dir, 'bad.csv'), 'date,open,high,low,close\n2020-01-01,1,2,0.5,1.5\n2020-01-02,1,2,x,1.5\n');
    const { code, stdout, stderr } = await ordergate(['backtest', 'sma_cross', '--data', 'bad.csv']);
    expect({ code, stdout, stderr }).toEqual({
      code: 1,
      stdout: '',
      stderr: 'ordergate backtest: --data bad.csv: CSV line 3: low is not a number: x\n',
    });
  });
});

describe('ordergate optimize', { timeout: 60_000 }, () => {
  it('sweeps over worker threads, prints the best rows as JSON and writes the heatmap', async () => {
    const args = ['optimize', 'sma_cross', '--data', 'EURUSD', '--param', 'fast=5:50:5', '--param', 'slow=10:100:10'];
    const { code, stdout, stderr } = await ordergate([...args, '--maximize', 'Equity Final [$]', '--top', '3', '--json', '--heatmap', 'heat.svg']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: 'Wrote the heatmap of Equity Final [$] over fast × slow to heat.svg\n' });
    const answer = JSON.parse(stdout) as { combinations: number; rows: { params: object; statistics: Record<string, number> }[] };
    expect(answer.combinations).toBe(75);
    expect(answer.rows.map((row) => row.params)).toEqual([
      { fast: 5, slow: 10 },
      { fast: 5, slow: 20 },
      { fast: 40, slow: 100 },
    ]);
    const eurusd = parseBarCsv(fs.readFileSync(path.join(ROOT, 'src', 'exchange', 'history', 'series', 'EURUSD.csv'), 'utf8'));
    const best = computeStatistics({ bars: eurusd, result: runSimulation(eurusd, SMA_CROSS, { fast: 5, slow: 10 }, DEFAULT_SETTINGS) });
    expect(answer.rows[0]!.statistics['Equity Final [$]']).toBe(best['Equity Final [$]']);
    const svg = fs.readFileSync(path.join(dir, 'heat.svg'), 'utf8');
    expect(svg.match(/<rect [^>]*><title>/g)).toHaveLength(100);
    expect(pngSize(Buffer.from(new Resvg(svg).render().asPng()))).toEqual({ width: 1000, height: 600 });
  });
});

describe('the parameters of the command line', () => {
  const specs = [...SMA_CROSS.params, { name: 'short', type: 'bool' as const, default: true }, { name: 'k', type: 'float' as const, default: 2 }];

  it('--param NAME=VALUE takes each parameter’s type, refusing unknown names, wrong types and repeats', () => {
    expect(parseFixedParams(specs, ['fast=12', 'short=no', 'k=1.5'])).toEqual({ fast: 12, short: false, k: 1.5 });
    expect(() => parseFixedParams(specs, ['fast=1.5'])).toThrow("parameter 'fast' is a whole number, got '1.5'");
    expect(() => parseFixedParams(specs, ['short=maybe'])).toThrow("parameter 'short' is true or false, got 'maybe'");
    expect(() => parseFixedParams(specs, ['slow=20', 'slow=30'])).toThrow('--param slow is given twice');
    expect(() => parseFixedParams(specs, ['n=3'])).toThrow(
      "the strategy has no parameter 'n' (its parameters: fast (int, default 10), slow (int, default 20), short (bool, default true), k (float, default 2))",
    );
  });

  it('a sweep’s --param is a range, a list or a fixed value', () => {
    expect(parseSweepParams(specs, ['fast=5:50:5', 'slow=10:100', 'short=true,false', 'k=2.5'])).toEqual({
      fixed: { k: 2.5 },
      grid: { fast: { min: 5, max: 50, step: 5 }, slow: { min: 10, max: 100 }, short: [true, false] },
    });
    expect(() => parseSweepParams(specs, ['fast=5:50:5:1'])).toThrow("parameter 'fast' takes a range MIN:MAX or MIN:MAX:STEP, got 5:50:5:1");
  });

  it('--constraint compares a parameter with another, a number or true/false', () => {
    expect(parseConstraints(['fast<slow', 'slow >= 20', 'fast!=15', 'short==false'])).toEqual({
      fast: { lt: 'slow', ne: 15 },
      slow: { gte: 20 },
      short: { eq: false },
    });
    expect(parseConstraints([])).toBeUndefined();
    expect(() => parseConstraints(['fast<<slow'])).toThrow("--constraint takes NAME OP VALUE with OP one of < <= > >= == != (e.g. \"fast<slow\"), got 'fast<<slow'");
  });

  it('--seed gives the same random draws each time', () => {
    const draws = (seed: number) => Array.from({ length: 3 }, seededRandom(seed));
    expect(draws(7)).toEqual(draws(7));
    expect(draws(7)).not.toEqual(draws(8));
    expect(draws(7).every((value) => value >= 0 && value < 1)).toBe(true);
  });
});
