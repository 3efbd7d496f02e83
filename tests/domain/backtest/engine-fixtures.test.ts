// The reference fill model against backtesting.py itself: every case of tests/fixtures/backtest (written by
// reference.py from the real library) must come out with the same trades and the same equity at every bar, to 8
// significant digits, and the same statistics.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBarCsv } from '../../../src/domain/backtest/bar-csv.js';
import { allocateBars, type BarColumns } from '../../../src/domain/backtest/bars.js';
import { runSimulation } from '../../../src/domain/backtest/engine.js';
import type { SimulationSettings } from '../../../src/domain/backtest/simulation.js';
import { computeStatistics, STATISTIC_NAMES } from '../../../src/domain/backtest/statistics.js';
import smaCross from '../../../src/domain/backtest/strategies/sma-cross.js';
import { crossover, defineStrategy, type Line, type OrderRequest, type StrategyDefinition } from '../../../src/domain/backtest/strategy.js';

interface Fixture {
  readonly case: string;
  readonly data: string;
  readonly dataFolder: string;
  readonly rows: { readonly start: number; readonly stop: number | null; readonly step: number };
  readonly strategy: { readonly name: string; readonly params: Record<string, number> };
  readonly settings: SimulationSettings;
  readonly warmup: number;
  readonly openTrades: number;
  readonly stats: Record<string, number | string | null>;
  readonly trades: Record<string, Array<number | string | null>>;
  readonly equity: number[];
}

const repository = (path: string): string => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const folder = repository('tests/fixtures/backtest');
const fixtures: Fixture[] = readdirSync(folder)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => JSON.parse(readFileSync(`${folder}/${name}`, 'utf8')) as Fixture);

/** The fixture's bars: its CSV sliced as Python's rows[start:stop:step]. */
function fixtureBars(fixture: Fixture): BarColumns {
  const all = parseBarCsv(readFileSync(repository(`${fixture.dataFolder}/${fixture.data}`), 'utf8'));
  const { start, step } = fixture.rows;
  const stop = fixture.rows.stop ?? all.length;
  const count = Math.ceil((stop - start) / step);
  const bars = allocateBars(count);
  for (let k = 0; k < count; k++) {
    const from = start + k * step;
    bars.time[k] = all.time[from]!;
    bars.open[k] = all.open[from]!;
    bars.high[k] = all.high[from]!;
    bars.low[k] = all.low[from]!;
    bars.close[k] = all.close[from]!;
    bars.volume[k] = all.volume[from]!;
  }
  return bars;
}

type Orders = (close: number) => { long: OrderRequest; short: OrderRequest };

/** reference.py's SmaCross variants: the same signals, entries shaped by `orders` from the signal bar's close. */
function smaCrossWith(name: string, orders: Orders): StrategyDefinition {
  const strategy = defineStrategy<{ fast: number; slow: number }, { fast: Line; slow: Line }>({
    name,
    description: `reference.py's ${name}`,
    params: smaCross.params,
    init: ({ params, indicators }) => ({ fast: indicators.sma(params.fast), slow: indicators.sma(params.slow) }),
    onBar(ctx, { fast, slow }) {
      const { long, short } = orders(ctx.bars.close.value);
      if (crossover(fast, slow)) {
        ctx.close();
        ctx.buy(long);
      } else if (crossover(slow, fast)) {
        ctx.close();
        ctx.sell(short);
      }
    },
  });
  return strategy as unknown as StrategyDefinition;
}

const STRATEGIES: Record<string, StrategyDefinition> = {
  sma_cross: smaCross as unknown as StrategyDefinition,
  sma_cross_bracket: smaCrossWith('sma_cross_bracket', (close) => ({
    long: { sl: close * 0.95, tp: close * 1.1, tag: 'long' },
    short: { sl: close * 1.05, tp: close * 0.9, tag: 'short' },
  })),
  sma_cross_limit: smaCrossWith('sma_cross_limit', (close) => ({
    long: { limit: close * 0.99 },
    short: { limit: close * 1.01 },
  })),
  sma_cross_stop: smaCrossWith('sma_cross_stop', (close) => ({
    long: { size: 0.5, stop: close * 1.01, sl: close * 0.97 },
    short: { size: 0.5, stop: close * 0.99, sl: close * 1.03 },
  })),
};

/** Equal to 8 significant digits (exactly equal when the library's value is 0). */
function expectClose(actual: number | undefined, expected: number | string | null, what: string): void {
  if (expected === null) {
    expect(actual === undefined || Number.isNaN(actual), what).toBe(true);
    return;
  }
  const wanted = Number(expected);
  expect(actual, what).toBeTypeOf('number');
  const difference = Math.abs((actual as number) - wanted);
  expect(difference <= 1e-8 * Math.abs(wanted), `${what}: ${actual} against ${wanted}`).toBe(true);
}

describe('the reference fill model reproduces backtesting.py', () => {
  it('has fixtures to compare with', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });

  for (const fixture of fixtures) {
    describe(fixture.case, () => {
      const bars = fixtureBars(fixture);
      const strategy = STRATEGIES[fixture.strategy.name];
      if (!strategy) throw new Error(`no TypeScript strategy for ${fixture.strategy.name}`);
      const result = runSimulation(bars, strategy, fixture.strategy.params, fixture.settings);

      it('starts after the same warm-up and leaves the same trades open', () => {
        expect(result.warmup).toBe(fixture.warmup);
        expect(result.openTrades).toBe(fixture.openTrades);
      });

      it('closes the same trades', () => {
        const t = fixture.trades;
        expect(result.trades.length).toBe(t.Size!.length);
        result.trades.forEach((trade, k) => {
          const at = `trade ${k}`;
          expect(trade.size, `${at} size`).toBe(t.Size![k]);
          expect(trade.entryBar, `${at} entry bar`).toBe(t.EntryBar![k]);
          expect(trade.exitBar, `${at} exit bar`).toBe(t.ExitBar![k]);
          expectClose(trade.entryPrice, t.EntryPrice![k]!, `${at} entry price`);
          expectClose(trade.exitPrice, t.ExitPrice![k]!, `${at} exit price`);
          expectClose(trade.pl, t.PnL![k]!, `${at} P&L`);
          expectClose(trade.commissions, t.Commission![k]!, `${at} commissions`);
          expectClose(trade.returnPct, t.ReturnPct![k]!, `${at} return`);
          expectClose(trade.sl, t.SL![k]!, `${at} SL`);
          expectClose(trade.tp, t.TP![k]!, `${at} TP`);
          expect(trade.tag ?? null, `${at} tag`).toBe(t.Tag![k]);
          expect(new Date(trade.entryTime).toISOString(), `${at} entry time`).toBe(t.EntryTime![k]);
          expect(new Date(trade.exitTime).toISOString(), `${at} exit time`).toBe(t.ExitTime![k]);
        });
      });

      it('has the same equity at every bar', () => {
        expect(result.equity.length).toBe(fixture.equity.length);
        fixture.equity.forEach((value, i) => expectClose(result.equity[i], value, `equity at bar ${i}`));
      });

      it('gives the same statistics', () => {
        const stats = computeStatistics({ bars, result }) as unknown as Record<string, number | string | null | undefined>;
        for (const name of STATISTIC_NAMES) {
          const expected = fixture.stats[name];
          const actual = stats[name];
          if (expected === undefined || typeof expected === 'string' || actual === undefined || typeof actual === 'string') {
            expect(actual ?? null, name).toEqual(expected ?? null);
          } else {
            expectClose(actual ?? Number.NaN, expected, name);
          }
        }
      });
    });
  }
});
