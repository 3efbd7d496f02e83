// BacktestPool: a run on a worker gives exactly what it gives in this thread, over bars shared rather than copied; a
// task that is cancelled, loops past its time limit or exhausts its worker's memory fails alone with a clear error,
// and the pool goes on running tasks on a fresh worker.
import { afterAll, describe, expect, it } from 'vitest';
import { BacktestCancelled } from '../../../src/domain/backtest/errors.js';
import { runSimulation } from '../../../src/domain/backtest/engine.js';
import { DEFAULT_SETTINGS } from '../../../src/domain/backtest/simulation.js';
import { computeStatistics, drawdownCurve } from '../../../src/domain/backtest/statistics.js';
import { BUILTIN_STRATEGIES } from '../../../src/domain/backtest/strategies/builtin-strategies.js';
import { prepareUserStrategy } from '../../../src/core/backtest/user-strategies.js';
import { BacktestMemoryLimit, BacktestPool, BacktestTimeout, shareBars } from '../../../src/core/backtest/worker-pool.js';
import { googBars } from './series.js';

const SETTINGS = { ...DEFAULT_SETTINGS, cash: 10_000, commission: 0.002 };
const SMA_CROSS = { kind: 'builtin', name: 'sma_cross' } as const;

const pool = new BacktestPool({ size: 2, memoryLimitMb: 64 });
afterAll(() => pool.close());

/** A normal run after a failure: the pool still serves. */
async function runsNormally(): Promise<number> {
  const outcome = await pool.run({ strategy: SMA_CROSS, bars: googBars(), params: { fast: 10, slow: 20 }, settings: SETTINGS });
  return outcome.statistics['# Trades'];
}

function failureOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => 'succeeded',
    (error: unknown) => error,
  );
}

describe('BacktestPool', () => {
  it('gives a run exactly the statistics, equity, drawdown and trades it has in this thread', async () => {
    const bars = googBars();
    const inProcess = runSimulation(bars, BUILTIN_STRATEGIES.get('sma_cross')!, { fast: 10, slow: 30 }, SETTINGS);
    const outcome = await pool.run({ strategy: SMA_CROSS, bars, params: { fast: 10, slow: 30 }, settings: SETTINGS });
    expect(outcome.params).toEqual({ fast: 10, slow: 30 });
    expect(outcome.statistics).toEqual(computeStatistics({ bars, result: inProcess }));
    expect(Array.from(outcome.equity)).toEqual(Array.from(inProcess.equity));
    expect(Array.from(outcome.drawdown)).toEqual(Array.from(drawdownCurve(inProcess.equity)));
    expect(outcome.trades).toEqual(inProcess.trades);
    expect(outcome.statistics['# Trades']).toBe(65);
  });

  it('shares bars already in a SharedArrayBuffer, slices included, and copies other bars once', () => {
    const copied = shareBars(googBars());
    expect(copied).toMatchObject({ from: 0, to: 2148 });
    expect(copied.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(copied.buffer.byteLength).toBe(2148 * 48);
  });

  it('fails a cancelled task with BacktestCancelled, ending its worker, and runs the next task', async () => {
    const forever = await prepareUserStrategy(pool, 'spinner', SPINNER);
    const abort = new AbortController();
    const running = failureOf(pool.run({ strategy: forever.ref, bars: googBars(), params: {}, settings: SETTINGS }, { signal: abort.signal }));
    setTimeout(() => abort.abort(), 200);
    const error = await running;
    expect(error).toBeInstanceOf(BacktestCancelled);
    expect((error as BacktestCancelled).code).toBe('BACKTEST_CANCELLED');
    expect(await runsNormally()).toBe(93);
  });

  it('ends a user strategy that loops forever at the time limit, and runs the next task', async () => {
    const forever = await prepareUserStrategy(pool, 'spinner', SPINNER);
    const error = await failureOf(pool.run({ strategy: forever.ref, bars: googBars(), params: {}, settings: SETTINGS }, { timeLimitMs: 500 }));
    expect(error).toBeInstanceOf(BacktestTimeout);
    expect((error as BacktestTimeout).message).toBe('The run of spinner ran longer than 0.5 s');
    expect((error as BacktestTimeout).code).toBe('BACKTEST_TIMEOUT');
    expect(await runsNormally()).toBe(93);
  });

  it('fails a user strategy that allocates without end at the memory limit, and replaces its worker', async () => {
    const hoarder = await prepareUserStrategy(pool, 'hoarder', HOARDER);
    const error = await failureOf(pool.run({ strategy: hoarder.ref, bars: googBars(), params: {}, settings: SETTINGS }));
    expect(error).toBeInstanceOf(BacktestMemoryLimit);
    expect((error as BacktestMemoryLimit).message).toBe('The run of hoarder used more than the 64 MB of memory a backtest worker may use');
    expect(await Promise.all([runsNormally(), runsNormally(), runsNormally()])).toEqual([93, 93, 93]);
  });
});

const SPINNER = `
export default {
  name: 'spinner',
  params: [],
  init: () => ({}),
  onBar() {
    for (;;) {}
  },
};
`;

const HOARDER = `
export default {
  name: 'hoarder',
  params: [],
  init() {
    const hoard: number[][] = [];
    for (;;) hoard.push(new Array(100_000).fill(hoard.length));
  },
  onBar() {},
};
`;
