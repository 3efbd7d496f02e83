// The built-in strategies on GOOG's daily bars: each trade enters (and exits) on the bar after the signal its rule
// names, computed here straight from the indicator functions. sma_cross is checked against backtesting.py itself in
// engine-fixtures.test.ts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseBarCsv } from '../../../../src/domain/backtest/bar-csv.js';
import { runSimulation } from '../../../../src/domain/backtest/engine.js';
import { bollinger, crossoverAt, crossunderAt, ema, rsi, supertrend } from '../../../../src/domain/backtest/indicators.js';
import { DEFAULT_SETTINGS, type ClosedTrade } from '../../../../src/domain/backtest/simulation.js';
import { BUILTIN_STRATEGIES } from '../../../../src/domain/backtest/strategies/builtin-strategies.js';
import { resolveParams } from '../../../../src/domain/backtest/strategy-params.js';
import type { ParamValues } from '../../../../src/domain/backtest/strategy.js';

const goog = parseBarCsv(readFileSync(fileURLToPath(new URL('../../../../src/exchange/history/series/GOOG.csv', import.meta.url)), 'utf8'));
const SETTINGS = { ...DEFAULT_SETTINGS, cash: 10_000, commission: 0.002 };

function trades(name: string, params: ParamValues = {}): readonly ClosedTrade[] {
  const result = runSimulation(goog, BUILTIN_STRATEGIES.get(name)!, params, SETTINGS);
  expect(result.trades.length).toBeGreaterThan(3);
  return result.trades;
}

/** The bars i (after the warm-up) where `signal(i)` holds. */
function signalBars(from: number, signal: (i: number) => boolean): Set<number> {
  const bars = new Set<number>();
  for (let i = from; i < goog.length; i++) if (signal(i)) bars.add(i);
  return bars;
}

describe('the built-in strategies', () => {
  it('are the five of the issue, each with defaults its own specs and constraint accept', () => {
    expect([...BUILTIN_STRATEGIES.keys()]).toEqual(['sma_cross', 'ema_cross', 'rsi_reversion', 'supertrend', 'bollinger_breakout']);
    for (const strategy of BUILTIN_STRATEGIES.values()) {
      expect(strategy.description).not.toContain('\n');
      expect(() => resolveParams(strategy, {})).not.toThrow();
      for (const spec of strategy.params) expect(spec.description).toBeTruthy();
    }
  });

  it('ema_cross reverses on every crossing of the two EMAs', () => {
    const fast = ema(goog.close, 10);
    const slow = ema(goog.close, 20);
    const ups = signalBars(20, (i) => crossoverAt(fast, slow, i));
    const downs = signalBars(20, (i) => crossoverAt(slow, fast, i));
    const all = trades('ema_cross');
    for (const trade of all) expect((trade.size > 0 ? ups : downs).has(trade.entryBar - 1)).toBe(true);
    // Always in the market: each trade exits on the bar the next one enters.
    for (let k = 1; k < all.length; k++) expect(all[k]!.entryBar).toBe(all[k - 1]!.exitBar);
  });

  it('rsi_reversion buys after the RSI crosses below 30 and sells after it crosses above 70', () => {
    const values = rsi(goog.close, 14);
    const oversold = signalBars(15, (i) => crossunderAt(values, 30, i));
    const overbought = signalBars(15, (i) => crossoverAt(values, 70, i));
    for (const trade of trades('rsi_reversion')) {
      expect(trade.size).toBeGreaterThan(0);
      expect(oversold.has(trade.entryBar - 1)).toBe(true);
      expect(overbought.has(trade.exitBar - 1)).toBe(true);
    }
  });

  it('supertrend goes long when the trend turns up and short when it turns down', () => {
    const { direction } = supertrend(goog.high, goog.low, goog.close, 10, 3);
    const turnsUp = signalBars(11, (i) => direction[i - 1]! < 0 && direction[i]! > 0);
    const turnsDown = signalBars(11, (i) => direction[i - 1]! > 0 && direction[i]! < 0);
    const all = trades('supertrend');
    expect(all.some((trade) => trade.size < 0)).toBe(true);
    for (const trade of all) expect((trade.size > 0 ? turnsUp : turnsDown).has(trade.entryBar - 1)).toBe(true);
  });

  it('supertrend with short off only closes when the trend turns down', () => {
    const all = trades('supertrend', { short: false });
    expect(all.every((trade) => trade.size > 0)).toBe(true);
  });

  it('bollinger_breakout buys a close above the upper band and sells a close below the middle', () => {
    const bands = bollinger(goog.close, 20, 2);
    const breakouts = signalBars(20, (i) => crossoverAt(goog.close, bands.upper, i));
    const returns = signalBars(20, (i) => crossunderAt(goog.close, bands.middle, i));
    for (const trade of trades('bollinger_breakout')) {
      expect(trade.size).toBeGreaterThan(0);
      expect(breakouts.has(trade.entryBar - 1)).toBe(true);
      expect(returns.has(trade.exitBar - 1)).toBe(true);
    }
  });
});
