// `npm run bench:backtest`: the backtest engine's speed against issue 21's targets, measured in this process after
// the data is loaded and the code warmed up (the median of several iterations). Never part of `npm test`.
//
// - one sma_cross(10, 20) run with its statistics over EURUSD (5,000 hourly bars) and over 1,000,000 generated
//   minute bars (a seeded random walk), as bars per second;
// - the peak memory of the 1,000,000-bar run, in a fresh child process (this one holds the other cases' garbage):
//   its peak RSS above what the idle process held before the bars were made, and the whole process's peak;
// - the 10 × 10 sweep (fast 5–50 by 5, slow 10–100 by 10, fast < slow, maximising Equity Final) over EURUSD on a
//   warm worker pool;
// - where python3 has pandas and backtesting.py is at BACKTESTING_PY_PATH (default /tmp/backtesting.py), the same
//   run and sweep in backtesting.py (bench/backtesting-py/timings.py) and how many times faster Ordergate is.
//
// Environment: BENCH_ITERATIONS (measured iterations of each case, default 20; the million-bar run does a quarter of
// them), BACKTESTING_PY_PATH, BENCH_PYTHON (the Python to use; else python3 or /usr/bin/python3, whichever has pandas).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBarCsv } from '../src/domain/backtest/bar-csv.js';
import { type BarColumns, allocateBars, barBytes } from '../src/domain/backtest/bars.js';
import { runSimulation } from '../src/domain/backtest/engine.js';
import { DEFAULT_SETTINGS } from '../src/domain/backtest/simulation.js';
import { computeStatistics } from '../src/domain/backtest/statistics.js';
import { BUILTIN_STRATEGIES } from '../src/domain/backtest/strategies/builtin-strategies.js';
import { runSweep } from '../src/core/backtest/sweep.js';
import { BacktestPool } from '../src/core/backtest/worker-pool.js';
import { fixed, grouped, markdownTable } from './stats.js';
import { seededRandom } from '../src/domain/seeded-random.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const EURUSD_CSV = path.join(ROOT, 'src', 'exchange', 'history', 'series', 'EURUSD.csv');
const TIMINGS_PY = path.join(ROOT, 'bench', 'backtesting-py', 'timings.py');
const FAKE_BOKEH = path.join(ROOT, 'bench', 'backtesting-py', 'fakebokeh');
const BACKTESTING_PY = process.env.BACKTESTING_PY_PATH ?? '/tmp/backtesting.py';
const ITERATIONS = Math.max(1, Number(process.env.BENCH_ITERATIONS ?? 20));
/** The first of these that imports pandas runs backtesting.py (a pyenv `python3` may lack the system's packages). */
const PYTHONS = [...new Set([process.env.BENCH_PYTHON ?? 'python3', 'python3', '/usr/bin/python3'])];

const MILLION = 1_000_000;
const SMA_CROSS = BUILTIN_STRATEGIES.get('sma_cross')!;
const PARAMS = { fast: 10, slow: 20 };

const TARGETS = {
  barsPerSecond: 5_000_000,
  eurusdRunMs: 1,
  sweepMs: 50,
  memoryMb: 200,
} as const;

interface MemoryReport {
  /** Peak resident memory of the whole child process, MB. */
  readonly peakRssMb: number;
  /** Its resident memory before the bars were made, MB. */
  readonly baselineRssMb: number;
  /** V8 heap and array buffers still in use right after the run (the bars and the result held), MB. */
  readonly heapUsedMb: number;
  readonly arrayBuffersMb: number;
}

if (process.argv.includes('--memory-child')) {
  memoryChild();
} else {
  await main();
}

async function main(): Promise<void> {
  const eurusd = parseBarCsv(fs.readFileSync(EURUSD_CSV, 'utf8'));
  console.log(`Backtest benchmark: sma_cross(10, 20), reference fill model, statistics included; median of ${ITERATIONS} iterations.`);
  console.log(`Node ${process.version}, ${os.availableParallelism()} cores.\n`);

  const eurusdMs = median(measure(() => runWithStatistics(eurusd), ITERATIONS, 50));
  const million = randomWalkMinutes(MILLION, 21);
  const millionMs = median(measure(() => runWithStatistics(million), Math.max(3, Math.ceil(ITERATIONS / 4)), 2));
  const memory = memoryOfChild();
  const sweepMs = await sweepTime(eurusd);

  const pass = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  const eurusdRate = (eurusd.length / eurusdMs) * 1000;
  const millionRate = (MILLION / millionMs) * 1000;
  const rows = [
    ['EURUSD run (5,000 bars)', `${fixed(eurusdMs, 3)} ms`, `≤ ${TARGETS.eurusdRunMs} ms`, pass(eurusdMs <= TARGETS.eurusdRunMs)],
    ['EURUSD run, bars/s', grouped(eurusdRate), `≥ ${grouped(TARGETS.barsPerSecond)}`, pass(eurusdRate >= TARGETS.barsPerSecond)],
    ['1,000,000 minute bars', `${fixed(millionMs, 1)} ms`, '', ''],
    ['1,000,000 minute bars, bars/s', grouped(millionRate), `≥ ${grouped(TARGETS.barsPerSecond)}`, pass(millionRate >= TARGETS.barsPerSecond)],
    [
      '1,000,000-bar run, peak RSS above the idle process',
      `${fixed(memory.peakRssMb - memory.baselineRssMb, 0)} MB`,
      `≤ ${TARGETS.memoryMb} MB`,
      pass(memory.peakRssMb - memory.baselineRssMb <= TARGETS.memoryMb),
    ],
    ['  peak RSS of the whole process (idle: Node and the TypeScript loader)', `${fixed(memory.peakRssMb, 0)} MB (idle ${fixed(memory.baselineRssMb, 0)} MB)`, '', ''],
    ['  heap + array buffers after the run', `${fixed(memory.heapUsedMb, 0)} + ${fixed(memory.arrayBuffersMb, 0)} MB`, '', ''],
    ['10 × 10 sweep over EURUSD (75 runs, warm pool)', `${fixed(sweepMs, 1)} ms`, `≤ ${TARGETS.sweepMs} ms`, pass(sweepMs <= TARGETS.sweepMs)],
  ];
  console.log(markdownTable(['case', 'result', 'target', ''], rows));
  console.log('');
  console.log(compareWithBacktestingPy(eurusdMs, sweepMs));
}

/** One sma_cross run and its statistics; returns something of the result so nothing is optimised away. */
function runWithStatistics(bars: BarColumns): number {
  const result = runSimulation(bars, SMA_CROSS, PARAMS, DEFAULT_SETTINGS);
  return computeStatistics({ bars, result })['Equity Final [$]'];
}

/** Milliseconds of each of `iterations` calls, after `warmup` calls that are not counted. */
function measure(work: () => number, iterations: number, warmup: number): number[] {
  let sink = 0;
  for (let i = 0; i < warmup; i++) sink += work();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    sink += work();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  if (Number.isNaN(sink)) console.log('(a run gave no equity)');
  return times;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * `count` minute bars from 2020-01-01 UTC: a seeded random walk of the close (about 0.05 % a minute), each bar opening
 * at the previous close with a high and low a little beyond both.
 */
function randomWalkMinutes(count: number, seed: number, buffer?: ArrayBufferLike): BarColumns {
  const bars = allocateBars(count, buffer);
  const random = seededRandom(seed);
  const start = Date.UTC(2020, 0, 1);
  let price = 100;
  for (let i = 0; i < count; i++) {
    const open = price;
    // The sum of three uniforms is close enough to a normal step for a benchmark.
    const step = (random() + random() + random() - 1.5) * 0.001;
    price = Math.max(0.01, price * (1 + step));
    bars.time[i] = start + i * 60_000;
    bars.open[i] = open;
    bars.close[i] = price;
    bars.high[i] = Math.max(open, price) * (1 + random() * 0.0003);
    bars.low[i] = Math.min(open, price) * (1 - random() * 0.0003);
    bars.volume[i] = 100 + Math.floor(random() * 900);
  }
  return bars;
}

/** Runs this file again as `--memory-child` and reads its report. */
function memoryOfChild(): MemoryReport {
  const out = execFileSync(process.execPath, ['--import', path.join(ROOT, 'bin', 'typescript.mjs'), fileURLToPath(import.meta.url), '--memory-child'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as MemoryReport;
}

/** In the child: the 1,000,000-bar run once, then its memory, as one JSON line. */
function memoryChild(): void {
  const mb = (bytes: number) => bytes / (1024 * 1024);
  const baselineRssMb = mb(process.memoryUsage().rss);
  const bars = randomWalkMinutes(MILLION, 21);
  const result = runSimulation(bars, SMA_CROSS, PARAMS, DEFAULT_SETTINGS);
  const statistics = computeStatistics({ bars, result });
  const usage = process.memoryUsage();
  const report: MemoryReport = {
    // maxRSS is in kilobytes: the process's high-water mark, whatever the garbage collector freed since.
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    baselineRssMb,
    heapUsedMb: mb(usage.heapUsed),
    arrayBuffersMb: mb(usage.arrayBuffers),
  };
  if (statistics['# Trades'] < 0 || result.equity.length !== bars.length) throw new Error('the run lost bars');
  console.log(JSON.stringify(report));
}

/** The median time of the 10 × 10 sweep over EURUSD on a pool warmed up by a few sweeps first. */
async function sweepTime(eurusd: BarColumns): Promise<number> {
  // The bars in shared memory once, as the API keeps them: the sweep hands the workers the buffer, not a copy.
  const shared = allocateBars(eurusd.length, new SharedArrayBuffer(barBytes(eurusd.length)));
  for (const field of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) shared[field].set(eurusd[field]);
  const pool = new BacktestPool();
  try {
    await pool.warm();
    const sweep = () =>
      runSweep(pool, {
        strategy: 'sma_cross',
        bars: shared,
        settings: DEFAULT_SETTINGS,
        grid: { fast: { min: 5, max: 50, step: 5 }, slow: { min: 10, max: 100, step: 10 } },
        maximize: 'Equity Final [$]',
      });
    for (let i = 0; i < 5; i++) await sweep();
    const times: number[] = [];
    for (let i = 0; i < ITERATIONS; i++) {
      const start = process.hrtime.bigint();
      const result = await sweep();
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (result.combinations !== 75) throw new Error(`the sweep ran ${result.combinations} sets, not 75`);
    }
    return median(times);
  } finally {
    await pool.close();
  }
}

/** backtesting.py's times for the same run and sweep, and the ratios; or why they are skipped. */
function compareWithBacktestingPy(eurusdMs: number, sweepMs: number): string {
  const skipped = (why: string) => `backtesting.py comparison skipped: ${why}.`;
  if (!fs.existsSync(TIMINGS_PY)) return skipped(`${path.relative(ROOT, TIMINGS_PY)} is missing`);
  const python = PYTHONS.find((candidate) => spawnSync(candidate, ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0);
  if (python === undefined) return skipped(`no Python with pandas (tried ${PYTHONS.join(', ')}; apt-get install python3-pandas)`);
  if (!fs.existsSync(path.join(BACKTESTING_PY, 'backtesting'))) {
    return skipped(`no backtesting.py at ${BACKTESTING_PY} (set BACKTESTING_PY_PATH to the folder holding its backtesting/ package)`);
  }
  const run = spawnSync(python, [TIMINGS_PY], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: [BACKTESTING_PY, FAKE_BOKEH, process.env.PYTHONPATH].filter(Boolean).join(path.delimiter) },
  });
  if (run.status !== 0) return skipped(`timings.py failed: ${(run.stderr || run.stdout).trim().split('\n').at(-1) ?? `exit ${run.status}`}`);
  let timings: { run_ms: number; sweep_ms: number };
  try {
    timings = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '') as { run_ms: number; sweep_ms: number };
  } catch {
    return skipped(`timings.py printed no JSON: ${run.stdout.trim().slice(0, 200)}`);
  }
  const rows = [
    ['EURUSD run', `${fixed(timings.run_ms, 1)} ms`, `${fixed(eurusdMs, 3)} ms`, `${fixed(timings.run_ms / eurusdMs, 0)}×`],
    ['10 × 10 sweep', `${fixed(timings.sweep_ms, 0)} ms`, `${fixed(sweepMs, 1)} ms`, `${fixed(timings.sweep_ms / sweepMs, 0)}×`],
  ];
  return `Against backtesting.py (${BACKTESTING_PY}):\n\n${markdownTable(['case', 'backtesting.py', 'Ordergate', 'faster'], rows)}`;
}
