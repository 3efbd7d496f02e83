// The reference fill model on eight hand-made bars: fills, cash and equity worked out by hand (the arithmetic is in
// the comments) and checked once against backtesting.py itself. A scripted strategy places the orders; with no
// indicators the warm-up is 0 and the strategy first runs on bar 1.
import { describe, expect, it } from 'vitest';
import { allocateBars, type BarColumns } from '../../../src/domain/backtest/bars.js';
import { runSimulation } from '../../../src/domain/backtest/engine.js';
import { InvalidBacktestOrder, InvalidBacktestSettings } from '../../../src/domain/backtest/errors.js';
import { floorDivide } from '../../../src/domain/backtest/reference-broker.js';
import { DEFAULT_SETTINGS, type SimulationResult, type SimulationSettings } from '../../../src/domain/backtest/simulation.js';
import { defineStrategy, type ParamValues, type StrategyContext } from '../../../src/domain/backtest/strategy.js';

//            bar:    0    1    2    3    4    5    6    7
const OPEN = /*   */ [100, 100, 102, 104, 105, 100, 98, 99];
const HIGH = /*   */ [101, 102, 104, 106, 107, 101, 100, 103];
const LOW = /*    */ [99, 99, 101, 103, 100, 96, 95, 98];
const CLOSE = /*  */ [100, 101, 103, 105, 101, 97, 99, 102];
const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1);

function handBars(): BarColumns {
  const bars = allocateBars(OPEN.length);
  for (let i = 0; i < OPEN.length; i++) {
    bars.time[i] = START + i * DAY;
    bars.open[i] = OPEN[i]!;
    bars.high[i] = HIGH[i]!;
    bars.low[i] = LOW[i]!;
    bars.close[i] = CLOSE[i]!;
    bars.volume[i] = 1000;
  }
  return bars;
}

type Script = Record<number, (ctx: StrategyContext) => void>;

/** Runs `script[i]` on bar i (what the strategy does at that bar's close). */
function run(script: Script, settings: Partial<SimulationSettings> = {}): SimulationResult {
  const strategy = defineStrategy<ParamValues, null>({
    name: 'scripted',
    description: 'places the orders of a test script',
    params: [],
    init: () => null,
    onBar(ctx) {
      script[ctx.bars.index]?.(ctx);
    },
  });
  return runSimulation(handBars(), strategy, {}, { ...DEFAULT_SETTINGS, cash: 10_000, ...settings });
}

/** The closed trades' main fields, in a form that reads like the library's trades table. */
function tradesOf(result: SimulationResult) {
  return result.trades.map(({ size, entryBar, exitBar, entryPrice, exitPrice, pl }) => ({
    size,
    entryBar,
    exitBar,
    entryPrice,
    exitPrice,
    pl,
  }));
}

const equityOf = (result: SimulationResult): number[] => Array.from(result.equity);

describe('market orders', () => {
  it('fill at the next bar open, and equity follows the close', () => {
    // Buy 10 on bar 1 → filled at bar 2's open 102; close on bar 5 → filled at bar 6's open 98: P&L 10 × (98 − 102) = −40.
    const result = run({ 1: (ctx) => ctx.buy({ size: 10 }), 5: (ctx) => ctx.close() });
    expect(tradesOf(result)).toEqual([{ size: 10, entryBar: 2, exitBar: 6, entryPrice: 102, exitPrice: 98, pl: -40 }]);
    // Bar 2: 10000 + 10 × (103 − 102); bar 3: + 10 × 3; bar 4: 10 × (101 − 102); bar 5: 10 × (97 − 102); then cash 9960.
    expect(equityOf(result)).toEqual([10000, 10000, 10010, 10030, 9990, 9950, 9960, 9960]);
    expect(result.warmup).toBe(0);
    expect(result.openTrades).toBe(0);
  });

  it('fill at the close of the bar they were placed on with trade-on-close', () => {
    // Buy on bar 1 → 101 (bar 1's close), entry bar 1; close on bar 5 → 97, exit bar 5: P&L 10 × (97 − 101) = −40.
    const result = run({ 1: (ctx) => ctx.buy({ size: 10 }), 5: (ctx) => ctx.close() }, { tradeOnClose: true });
    expect(tradesOf(result)).toEqual([{ size: 10, entryBar: 1, exitBar: 5, entryPrice: 101, exitPrice: 97, pl: -40 }]);
    // The fill is booked while bar 2 is processed, so bar 1's equity is still the cash (the library's order of steps).
    // Bar 2: 10000 + 10 × (103 − 101) = 10020; bar 3: 10040; bar 4: 10000; bar 5: 9960.
    expect(equityOf(result)).toEqual([10000, 10000, 10020, 10040, 10000, 9960, 9960, 9960]);
  });

  it('size all the margin with commission charged on entry and exit', () => {
    // Bar 2: cost per unit 102 + 102 × 0.01 = 103.02; units ⌊10000 × (1 − ε) / 103.02⌋ = ⌊97.07⌋ = 97.
    // Entry commission 97 × 102 × 0.01 = 98.94 → cash 9901.06. Close on bar 4 → bar 5's open 100:
    // exit commission 97 × 100 × 0.01 = 97; gross 97 × (100 − 102) = −194; cash 9901.06 − 194 − 97 = 9610.06.
    const result = run({ 1: (ctx) => ctx.buy(), 4: (ctx) => ctx.close() }, { commission: 0.01 });
    const [trade] = result.trades;
    expect(trade).toMatchObject({ size: 97, entryBar: 2, exitBar: 5, entryPrice: 102, exitPrice: 100 });
    expect(trade!.commissions).toBeCloseTo(195.94, 10);
    expect(trade!.pl).toBeCloseTo(-389.94, 10);
    // Return: (100 / 102 − 1) − 195.94 / (97 × 102).
    expect(trade!.returnPct).toBeCloseTo(100 / 102 - 1 - 195.94 / 9894, 14);
    // Bar 2: 9901.06 + 97 × (103 − 102); bar 3: + 97 × 3; bar 4: − 97 × 1.
    const expected = [10000, 10000, 9998.06, 10192.06, 9804.06, 9610.06, 9610.06, 9610.06];
    equityOf(result).forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 9));
  });

  it('sell short and profit when the price falls', () => {
    // Sell 10 on bar 3 → bar 4's open 105; close on bar 5 → bar 6's open 98: P&L −10 × (98 − 105) = 70.
    const result = run({ 3: (ctx) => ctx.sell({ size: 10 }), 5: (ctx) => ctx.close() });
    expect(tradesOf(result)).toEqual([{ size: -10, entryBar: 4, exitBar: 6, entryPrice: 105, exitPrice: 98, pl: 70 }]);
    // Bar 4: 10000 − 10 × (101 − 105) = 10040; bar 5: − 10 × (97 − 105) = 10080; then cash 10070.
    expect(equityOf(result)).toEqual([10000, 10000, 10000, 10000, 10040, 10080, 10070, 10070]);
  });

  it('close then reverse in one step: the close runs first and frees the cash the sell is sized with', () => {
    // Long 10 at 102 (bar 2). On bar 3: close(); sell(). Bar 4: the close fills at 105 first (cash 10030), then the
    // sell is sized on that cash: ⌊10030 × (1 − ε) / 105⌋ = 95 units short at 105.
    const result = run({
      1: (ctx) => ctx.buy({ size: 10 }),
      3: (ctx) => {
        ctx.close();
        ctx.sell();
      },
    });
    expect(tradesOf(result)).toEqual([{ size: 10, entryBar: 2, exitBar: 4, entryPrice: 102, exitPrice: 105, pl: 30 }]);
    expect(result.openTrades).toBe(1);
    // Bar 4: 10030 − 95 × (101 − 105) = 10410; bar 5: 10030 + 95 × 8 = 10790; bar 6: + 95 × 6 = 10600; bar 7: + 95 × 3.
    expect(equityOf(result)).toEqual([10000, 10000, 10010, 10030, 10410, 10790, 10600, 10315]);
  });

  it('net an opposite order against the open trade first, oldest first', () => {
    // Long 10 at 102. Sell 15 on bar 3 → at bar 4's open 105 it closes the 10 (P&L 30) and opens 5 short at 105.
    const result = run({ 1: (ctx) => ctx.buy({ size: 10 }), 3: (ctx) => ctx.sell({ size: 15 }) });
    expect(tradesOf(result)).toEqual([{ size: 10, entryBar: 2, exitBar: 4, entryPrice: 102, exitPrice: 105, pl: 30 }]);
    // Bar 4: 10030 − 5 × (101 − 105) = 10050; bar 5: 10030 + 5 × 8 = 10070; bar 6: + 5 × 6; bar 7: + 5 × 3.
    expect(equityOf(result)).toEqual([10000, 10000, 10010, 10030, 10050, 10070, 10060, 10045]);
  });

  it('reports the position, cash and equity at the current close', () => {
    const seen: Array<[number, number, number, number, boolean]> = [];
    const look = (ctx: StrategyContext) => {
      const { position } = ctx;
      seen.push([position.size, position.pl, ctx.cash, ctx.equity, position.isLong]);
    };
    run({ 1: (ctx) => ctx.buy({ size: 10 }), 2: look, 3: look });
    // Bar 2: 10 units bought at 102, close 103: P&L 10; bar 3: close 105, P&L 30.
    expect(seen).toEqual([
      [10, 10, 10000, 10010, true],
      [10, 30, 10000, 10030, true],
    ]);
  });
});

describe('limit and stop orders', () => {
  it('fill a buy limit when the low reaches it, at the limit or the better open', () => {
    // Buy 10 limit 100: bars 2–3 never trade that low; bar 4's low 100 reaches it → 100 (open 105 is worse).
    // Buy 5 limit 101 on bar 4: bar 5 opens at 100, below the limit → filled at the open, 100.
    const result = run({
      1: (ctx) => ctx.buy({ size: 10, limit: 100 }),
      4: (ctx) => ctx.buy({ size: 5, limit: 101 }),
    });
    expect(result.trades).toEqual([]);
    expect(result.openTrades).toBe(2);
    // Bar 4: 10000 + 10 × (101 − 100); bar 5: 15 × (97 − 100); bar 6: 15 × (99 − 100); bar 7: 15 × 2.
    expect(equityOf(result)).toEqual([10000, 10000, 10000, 10000, 10010, 9955, 9985, 10030]);
  });

  it('turn a stop into a market order filled at the worse of the open and the stop', () => {
    // Sell 10 stop 100.5: bar 4's low 100 reaches it → min(open 105, 100.5) = 100.5.
    // Buy 10 stop 98 on bar 4: bar 5's high 101 reaches it, but it opened above at 100 → max(100, 98) = 100, which
    // closes the short: P&L −10 × (100 − 100.5) = 5.
    const result = run({
      1: (ctx) => ctx.sell({ size: 10, stop: 100.5 }),
      4: (ctx) => ctx.buy({ size: 10, stop: 98 }),
    });
    expect(tradesOf(result)).toEqual([{ size: -10, entryBar: 4, exitBar: 5, entryPrice: 100.5, exitPrice: 100, pl: 5 }]);
    // Bar 4: 10000 − 10 × (101 − 100.5) = 9995; then cash 10005.
    expect(equityOf(result)).toEqual([10000, 10000, 10000, 10000, 9995, 10005, 10005, 10005]);
  });
});

describe('stop-loss and take-profit', () => {
  it('close the trade at the take-profit when the high reaches it', () => {
    // Long 10 at 102 with sl 97, tp 106; bar 3's high 106 reaches the TP → max(open 104, 106) = 106: P&L 40.
    const result = run({ 1: (ctx) => ctx.buy({ size: 10, sl: 97, tp: 106, tag: 'bracket' }) });
    expect(result.trades).toEqual([
      expect.objectContaining({ size: 10, entryBar: 2, exitBar: 3, entryPrice: 102, exitPrice: 106, pl: 40, sl: 97, tp: 106, tag: 'bracket' }),
    ]);
    expect(equityOf(result)).toEqual([10000, 10000, 10010, 10040, 10040, 10040, 10040, 10040]);
  });

  it('close the trade at the stop-loss, or the worse open', () => {
    // Long 10 at bar 4's open 105 with sl 99; bar 5's low 96 reaches it → min(open 100, 99) = 99: P&L −60.
    const result = run({ 3: (ctx) => ctx.buy({ size: 10, sl: 99 }) });
    expect(tradesOf(result)).toEqual([{ size: 10, entryBar: 4, exitBar: 5, entryPrice: 105, exitPrice: 99, pl: -60 }]);
    expect(result.trades[0]!.sl).toBe(99);
    expect(result.trades[0]!.tp).toBeUndefined();
    expect(equityOf(result)).toEqual([10000, 10000, 10000, 10000, 9960, 9940, 9940, 9940]);
  });

  it('hit the stop-loss of a market entry on the bar it fills', () => {
    // Long 10 at bar 5's open 100 with sl 100.5 (below bar 4's close 101, so valid): the same bar's low 96 reaches
    // it, and the SL fills at min(open 100, 100.5) = 100: entry and exit on bar 5, P&L 0.
    const result = run({ 4: (ctx) => ctx.buy({ size: 10, sl: 100.5 }) });
    expect(tradesOf(result)).toEqual([{ size: 10, entryBar: 5, exitBar: 5, entryPrice: 100, exitPrice: 100, pl: 0 }]);
    expect(equityOf(result)).toEqual([10000, 10000, 10000, 10000, 10000, 10000, 10000, 10000]);
  });

  it('refuse a stop-loss on the wrong side of the price', () => {
    expect(() => run({ 1: (ctx) => ctx.buy({ size: 10, sl: 102 }) })).toThrow(InvalidBacktestOrder);
    expect(() => run({ 1: (ctx) => ctx.sell({ size: 10, tp: 102 }) })).toThrow(InvalidBacktestOrder);
    expect(() => run({ 1: (ctx) => ctx.buy({ size: 1.5 }) })).toThrow(InvalidBacktestOrder);
  });
});

describe('the end of the data', () => {
  it('leaves a trade open without finalize-trades', () => {
    // Long 10 at bar 6's open 98; bar 7 closes at 102: equity 10000 + 10 × 4.
    const result = run({ 5: (ctx) => ctx.buy({ size: 10 }) });
    expect(result.trades).toEqual([]);
    expect(result.openTrades).toBe(1);
    expect(equityOf(result)).toEqual([10000, 10000, 10000, 10000, 10000, 10000, 10010, 10040]);
  });

  it('closes it at the last bar open with finalize-trades, and recomputes the last equity', () => {
    // One more pass over bar 7's prices: the close order fills at its open 99: P&L 10 × (99 − 98) = 10.
    const result = run({ 5: (ctx) => ctx.buy({ size: 10 }) }, { finalizeTrades: true });
    expect(tradesOf(result)).toEqual([{ size: 10, entryBar: 6, exitBar: 7, entryPrice: 98, exitPrice: 99, pl: 10 }]);
    expect(result.openTrades).toBe(0);
    expect(equityOf(result)).toEqual([10000, 10000, 10000, 10000, 10000, 10000, 10010, 10010]);
  });
});

describe('spread and margin', () => {
  it('buys at the price plus the spread and exits at the plain price', () => {
    // Entry 102 × 1.01 = 103.02; exit at bar 4's open 105 without spread: P&L 10 × (105 − 103.02) = 19.8.
    const result = run({ 1: (ctx) => ctx.buy({ size: 10 }), 3: (ctx) => ctx.close() }, { spread: 0.01 });
    const [trade] = result.trades;
    expect(trade).toMatchObject({ size: 10, entryBar: 2, exitBar: 4, entryPrice: 102 * 1.01, exitPrice: 105 });
    expect(trade!.pl).toBe(10 * (105 - 102 * 1.01));
    // Bar 2: 10000 + 10 × (103 − 103.02) = 9999.8; bar 3: + 10 × (105 − 103.02) = 10019.8.
    const expected = [10000, 10000, 9999.8, 10019.8, 10019.8, 10019.8, 10019.8, 10019.8];
    equityOf(result).forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 9));
  });

  it('sizes with leverage and counts the margin open trades use at the current close', () => {
    // Margin 0.5 → leverage 2. Bar 2: ⌊10000 × 2 × (1 − ε) / 102⌋ = 196 units at 102.
    // Buy half the free margin on bar 2 → bar 3: equity at bar 3's close 10000 + 196 × 3 = 10588; margin used
    // 196 × 105 / 2 = 10290; free 298; ⌊298 × 2 × 0.5 / 104⌋ = 2 units at 104.
    const result = run({ 1: (ctx) => ctx.buy(), 2: (ctx) => ctx.buy({ size: 0.5 }) }, { margin: 0.5 });
    expect(result.openTrades).toBe(2);
    // Bar 2: 10000 + 196; bar 3: 10000 + 196 × 3 + 2 × 1 = 10590; bar 4: 196 × −1 + 2 × −3 = −202 → 9798.
    expect(equityOf(result)).toEqual([10000, 10000, 10196, 10590, 9798, 9006, 9402, 9996]);
  });

  it('stops the run when equity is gone: the trade closes at the close and the rest of the curve is 0', () => {
    // Margin 0.05 → leverage 20. Bar 4: ⌊10000 × 20 × (1 − ε) / 105⌋ = 1904 units at 105; equity 10000 + 1904 × (101 − 105)
    // = 2384. Bar 5 closes at 97: 10000 − 1904 × 8 < 0 → closed at 97, P&L −15232, and the run ends.
    const result = run({ 3: (ctx) => ctx.buy() }, { margin: 0.05 });
    expect(tradesOf(result)).toEqual([{ size: 1904, entryBar: 4, exitBar: 5, entryPrice: 105, exitPrice: 97, pl: -15232 }]);
    expect(equityOf(result)).toEqual([10000, 10000, 10000, 10000, 2384, 0, 0, 0]);
  });
});

describe('exclusive orders and hedging', () => {
  it('closes the position before each new order with exclusive orders', () => {
    // Long 10 at 102; buy 5 on bar 3 closes the 10 first: bar 4: close at 105 (P&L 30), then 5 long at 105.
    const result = run({ 1: (ctx) => ctx.buy({ size: 10 }), 3: (ctx) => ctx.buy({ size: 5 }) }, { exclusiveOrders: true });
    expect(tradesOf(result)).toEqual([{ size: 10, entryBar: 2, exitBar: 4, entryPrice: 102, exitPrice: 105, pl: 30 }]);
    // Bar 4: 10030 + 5 × (101 − 105) = 10010; bar 5: 10030 − 40; bar 6: − 30; bar 7: − 15.
    expect(equityOf(result)).toEqual([10000, 10000, 10010, 10030, 10010, 9990, 10000, 10015]);
  });

  it('keeps opposite trades open side by side with hedging', () => {
    // Long 10 at 102 (bar 2) and short 4 at 104 (bar 3), both open; net position 6.
    const sizes: number[] = [];
    const result = run(
      { 1: (ctx) => ctx.buy({ size: 10 }), 2: (ctx) => ctx.sell({ size: 4 }), 3: (ctx) => sizes.push(ctx.position.size) },
      { hedging: true },
    );
    expect(result.trades).toEqual([]);
    expect(result.openTrades).toBe(2);
    expect(sizes).toEqual([6]);
    // Bar 3: 10000 + 10 × 3 − 4 × 1 = 10026; bar 4: 10 × −1 − 4 × −3 = 2 → 10002.
    expect(equityOf(result)).toEqual([10000, 10000, 10010, 10026, 10002, 9978, 9990, 10008]);
  });
});

describe('settings and arithmetic', () => {
  it('refuses settings the library refuses', () => {
    expect(() => run({}, { cash: 0 })).toThrow(InvalidBacktestSettings);
    expect(() => run({}, { margin: 1.5 })).toThrow(InvalidBacktestSettings);
    expect(() => run({}, { commission: 0.2 })).toThrow(InvalidBacktestSettings);
  });

  it("divides as Python's // does, also where a / b rounds up to a whole number", () => {
    expect(floorDivide(7, 2)).toBe(3);
    expect(floorDivide(10_000 * (1 - Number.EPSILON), 100)).toBe(99);
    // 1 / 0.1 is 10 in float64, but 0.1 is a little more than a tenth, so Python's 1 // 0.1 is 9.
    expect(1 / 0.1).toBe(10);
    expect(floorDivide(1, 0.1)).toBe(9);
    expect(floorDivide(0, 3)).toBe(0);
  });
});
