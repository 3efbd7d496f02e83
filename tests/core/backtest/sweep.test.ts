// Sweeps over the pool: a small sma_cross grid over GOOG, ranked by Sharpe ratio as backtesting.py's optimize()
// ranks it (its figures below), with the heatmap over fast × slow, progress to the end, and cancellation.
import { afterAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/domain/seeded-random.js';
import { BacktestCancelled, InvalidBacktestParams } from '../../../src/domain/backtest/errors.js';
import { DEFAULT_SETTINGS } from '../../../src/domain/backtest/simulation.js';
import { runSweep, type SweepTask } from '../../../src/core/backtest/sweep.js';
import { prepareUserStrategy } from '../../../src/core/backtest/user-strategies.js';
import { BacktestPool } from '../../../src/core/backtest/worker-pool.js';
import { googBars } from './series.js';

const pool = new BacktestPool({ size: 2 });
afterAll(() => pool.close());

const TASK: SweepTask = {
  strategy: 'sma_cross',
  bars: googBars(),
  settings: { ...DEFAULT_SETTINGS, cash: 10_000, commission: 0.002 },
  grid: { fast: [5, 10, 15], slow: [10, 20, 30] },
  maximize: 'Sharpe Ratio',
  statistics: ['# Trades'],
};

/**
 * backtesting.py: Backtest(GOOG, SmaCross, cash=10000, commission=.002).optimize(fast=[5, 10, 15], slow=[10, 20, 30],
 * constraint=lambda p: p.fast < p.slow, maximize='Sharpe Ratio', return_heatmap=True), best first.
 */
const LIBRARY = [
  { fast: 10, slow: 20, sharpe: 0.6007399729861899, trades: 93 },
  { fast: 10, slow: 30, sharpe: 0.4974939993425908, trades: 65 },
  { fast: 5, slow: 20, sharpe: 0.4725084957184797, trades: 113 },
  { fast: 5, slow: 30, sharpe: 0.43815097486458016, trades: 81 },
  { fast: 15, slow: 20, sharpe: 0.360885303543687, trades: 108 },
  { fast: 15, slow: 30, sharpe: 0.3450957768581616, trades: 65 },
  { fast: 5, slow: 10, sharpe: 0.03427473362254731, trades: 208 },
];

/** Equal to 10 significant digits (the engine agrees with the library to at least 8). */
function closeTo(actual: number | null, expected: number): boolean {
  return actual !== null && Math.abs(actual - expected) <= Math.abs(expected) * 1e-10;
}

describe('runSweep', () => {
  it("ranks the admissible sets by the statistic as the library does, with a heatmap and progress to the end", async () => {
    const progress: number[] = [];
    const result = await runSweep(pool, TASK, { onProgress: (fraction) => progress.push(fraction) });
    expect(result.combinations).toBe(7);
    expect(result.rows.map((row) => [row.params.fast, row.params.slow, row.statistics['# Trades']])).toEqual(
      LIBRARY.map((run) => [run.fast, run.slow, run.trades]),
    );
    expect(result.rows.every((row, index) => closeTo(row.statistics['Sharpe Ratio']!, LIBRARY[index]!.sharpe))).toBe(true);
    expect(Object.keys(result.rows[0]!.statistics)).toEqual(['Sharpe Ratio', '# Trades']);
    expect(result.best).toBe(result.rows[0]);

    const sharpe = (fast: number, slow: number) => LIBRARY.find((run) => run.fast === fast && run.slow === slow)!.sharpe;
    const { x, y, z } = result.heatmap!;
    expect([x, y]).toEqual([
      { name: 'fast', values: [5, 10, 15] },
      { name: 'slow', values: [10, 20, 30] },
    ]);
    expect(z.map((line) => line.map((cell) => cell !== null))).toEqual([
      [true, false, false],
      [true, true, true],
      [true, true, true],
    ]);
    expect(z.every((line, yi) => line.every((cell, xi) => cell === null || closeTo(cell, sharpe(x.values[xi] as number, y.values[yi] as number))))).toBe(true);
    expect(progress.at(-1)).toBe(1);
    expect(progress.every((fraction, index) => index === 0 || fraction >= progress[index - 1]!)).toBe(true);
  });

  it("draws a random search's sets from the grid under the caller's constraint too", async () => {
    const result = await runSweep(pool, { ...TASK, constraint: { fast: { gte: 10 } }, samples: 3, random: seededRandom(3) });
    expect(result.combinations).toBe(3);
    expect(result.rows.every((row) => (row.params.fast as number) >= 10 && row.params.fast! < row.params.slow!)).toBe(true);
    expect(result.rows.map((row) => row.statistics['# Trades'])).toEqual(
      LIBRARY.filter((run) => result.rows.some((row) => row.params.fast === run.fast && row.params.slow === run.slow)).map((run) => run.trades),
    );
  });

  it("sweeps a user's strategy as the built-in it copies, its own constraint checked in a worker", async () => {
    const userCross = await prepareUserStrategy(pool, 'user_cross', USER_CROSS);
    const result = await runSweep(pool, { ...TASK, strategy: userCross });
    expect(result.rows.map((row) => [row.params.fast, row.params.slow, row.statistics['# Trades']])).toEqual(
      LIBRARY.map((run) => [run.fast, run.slow, run.trades]),
    );
  });

  it('refuses a statistic the report does not have, before any run', async () => {
    const error = await runSweep(pool, { ...TASK, maximize: 'Sharpe' }).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(InvalidBacktestParams);
    expect((error as InvalidBacktestParams).param).toBe('maximize');
  });

  it('fails a sweep cancelled while it runs with BacktestCancelled, and runs the next one', async () => {
    const abort = new AbortController();
    const cancelled = runSweep(pool, TASK, { signal: abort.signal, onProgress: () => abort.abort() });
    await expect(cancelled).rejects.toBeInstanceOf(BacktestCancelled);
    expect((await runSweep(pool, TASK)).combinations).toBe(7);
  });
});

const USER_CROSS = `export default {
  name: 'user_cross',
  params: [
    { name: 'fast', type: 'int', default: 10, min: 1, max: 200 },
    { name: 'slow', type: 'int', default: 20, min: 2, max: 500 },
  ],
  constraint: ({ fast, slow }) => fast < slow,
  init: ({ params, indicators }) => ({ fast: indicators.sma(params.fast), slow: indicators.sma(params.slow) }),
  onBar(ctx, { fast, slow }) {
    if (crossover(fast, slow)) {
      ctx.close();
      ctx.buy();
    } else if (crossunder(fast, slow)) {
      ctx.close();
      ctx.sell();
    }
  },
};
`;
