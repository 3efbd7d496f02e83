// The `exchange` fill model on small hand-made series: lots and ticks, margin refusals, CNC without shorts, MIS
// square-off, charges, a future's lot; and sma_cross on GOOG against the reference model.
import { describe, expect, it } from 'vitest';
import { allocateBars, type BarColumns } from '../../../src/domain/backtest/bars.js';
import { runSimulation } from '../../../src/domain/backtest/engine.js';
import { InvalidBacktestSettings } from '../../../src/domain/backtest/errors.js';
import { DEFAULT_SETTINGS, type SimulationSettings } from '../../../src/domain/backtest/simulation.js';
import smaCross from '../../../src/domain/backtest/strategies/sma-cross.js';
import { type StrategyContext, defineStrategy } from '../../../src/domain/backtest/strategy.js';
import { toString } from '../../../src/domain/decimal.js';
import { type ExchangeBroker, type ExchangeFillSpec, exchangeFillModel } from '../../../src/exchange/backtest/exchange-fill-model.js';
import { readBundledSeries } from '../../domain/backtest/series-csv.js';

type Row = readonly [time: number, open: number, high: number, low: number, close: number];
type Actions = Readonly<Record<number, (ctx: StrategyContext, broker: ExchangeBroker) => void>>;

const IST_OFFSET_MS = 19_800_000;
/** Epoch ms of an IST wall-clock time. */
const ist = (date: string, hhmm: string): number => Date.parse(`${date}T${hhmm}:00Z`) - IST_OFFSET_MS;
/** Daily bars start at IST midnight. */
const day = (date: string): number => ist(date, '00:00');

function barsOf(rows: readonly Row[]): BarColumns {
  const bars = allocateBars(rows.length);
  rows.forEach(([time, open, high, low, close], i) => {
    bars.time[i] = time;
    bars.open[i] = open;
    bars.high[i] = high;
    bars.low[i] = low;
    bars.close[i] = close;
    bars.volume[i] = 1000;
  });
  return bars;
}

/** A strategy without indicators that acts at given bars (onBar runs from bar 1, at each bar's close). */
function scripted(actions: Actions, broker: () => ExchangeBroker | undefined) {
  return defineStrategy({
    name: 'scripted',
    description: 'Places the orders a test scripts',
    params: [],
    init: () => undefined,
    onBar(ctx) {
      const current = broker();
      if (current) actions[ctx.bars.index]?.(ctx, current);
    },
  });
}

function run(spec: ExchangeFillSpec, rows: readonly Row[], actions: Actions, cash: number) {
  let broker: ExchangeBroker | undefined;
  const settings: SimulationSettings = { ...DEFAULT_SETTINGS, cash };
  const result = runSimulation(barsOf(rows), scripted(actions, () => broker), {}, settings, {
    broker: exchangeFillModel(spec, (made) => (broker = made)),
  });
  if (!broker) throw new Error('no broker was made');
  return { result, broker };
}

const flat = (time: number, price: number): Row => [time, price, price, price, price];
const trades = (result: ReturnType<typeof run>['result']) =>
  result.trades.map(({ size, entryBar, exitBar, entryPrice, exitPrice, pl, commissions }) => ({
    size,
    entryBar,
    exitBar,
    entryPrice,
    exitPrice,
    pl,
    commissions,
  }));

const NSE_EQUITY: ExchangeFillSpec = { exchange: 'NSE', kind: 'equity', lotSize: 1, tickSize: '0.05', product: 'CNC', charges: false };
const NIFTY_FUTURE: ExchangeFillSpec = { exchange: 'NFO', kind: 'future', lotSize: 75, tickSize: '0.10', product: 'NRML', charges: false };

describe('exchange fill model: lots and ticks', () => {
  it('fills whole lots on the tick grid: market buys round up, sells down; limits and stops go to the tick when placed', () => {
    const { result, broker } = run(
      NIFTY_FUTURE,
      [
        flat(day('2026-03-02'), 100),
        flat(day('2026-03-03'), 100),
        [day('2026-03-04'), 100.03, 101.2, 99.5, 101],
        [day('2026-03-05'), 102.37, 103, 102, 102.5],
        [day('2026-03-06'), 101, 101.5, 99.95, 100],
        [day('2026-03-09'), 100.5, 100.6, 99.5, 100],
        [day('2026-03-10'), 99, 99.5, 98.5, 99],
        [day('2026-03-11'), 98.5, 98.6, 97, 97.5],
      ],
      {
        // 160 units is 2 lots of 75 = 150 (rounded down); it fills at bar 2's open 100.03 → 100.10.
        1: (ctx) => ctx.buy({ size: 160 }),
        // Sold at bar 3's open 102.37 → 102.30: 150 × 2.20 = 330.
        2: (ctx) => ctx.sell({ size: 150 }),
        // The limit 99.97 becomes 99.90 (a buy limit goes down): bar 4's low 99.95 misses it, bar 5's low 99.5 takes it
        // at min(open 100.50, 99.90) = 99.90.
        3: (ctx) => ctx.buy({ size: 75, limit: 99.97 }),
        // The sell stop 98.02 becomes 98.00: bar 6's low 98.5 misses it; bar 7's low 97 triggers it, filled at
        // min(open 98.50, 98.00) = 98.00: 75 × (98.00 − 99.90) = −142.50.
        5: (ctx) => ctx.sell({ size: 75, stop: 98.02 }),
        // 50 units is less than a lot: dropped.
        6: (ctx) => ctx.buy({ size: 50 }),
      },
      1_000_000,
    );
    expect(trades(result)).toEqual([
      { size: 150, entryBar: 2, exitBar: 3, entryPrice: 100.1, exitPrice: 102.3, pl: 330, commissions: 0 },
      { size: 75, entryBar: 5, exitBar: 7, entryPrice: 99.9, exitPrice: 98, pl: -142.5, commissions: 0 },
    ]);
    // Bar 2's close: 1,000,000 + 150 × (101 − 100.10) = 1,000,135.
    expect(result.equity[2]).toBe(1_000_135);
    expect(toString(broker.cashDecimal)).toBe('1000187.5');
    expect(broker.refusals).toEqual([{ bar: 6, reason: 'less_than_a_lot', message: '50 units is less than one lot of 75' }]);
  });

  it('holds 10 % of a future’s notional as margin, at the fill price', () => {
    let used = '';
    run(
      NIFTY_FUTURE,
      [flat(day('2026-03-02'), 100), flat(day('2026-03-03'), 100), [day('2026-03-04'), 100.03, 101, 99, 101], flat(day('2026-03-05'), 101)],
      { 1: (ctx) => ctx.buy({ size: 150 }), 2: (_ctx, broker) => (used = toString(broker.usedMargin())) },
      1_000_000,
    );
    // 150 × 100.10 × 10 % = 1,501.50.
    expect(used).toBe('1501.5');
  });
});

describe('exchange fill model: margin', () => {
  it('refuses a whole-unit order beyond the free margin and sizes a fractional one down to what fits (MIS, 20 %)', () => {
    const morning = (hhmm: string) => ist('2026-03-02', hhmm);
    const { result, broker } = run(
      { ...NSE_EQUITY, product: 'MIS' },
      [
        flat(morning('09:15'), 100),
        flat(morning('09:20'), 100),
        [morning('09:25'), 100.02, 101, 100, 101],
        [morning('09:30'), 101, 101, 101, 101],
        flat(morning('09:35'), 101),
      ],
      {
        1: (ctx) => {
          // 600 at 100.05 blocks 600 × 100.05 × 20 % = 12,006 of the 10,000 free: refused.
          ctx.buy({ size: 600 });
          // All the free margin: 10,000 / (100.05 × 20 % = 20.01) = 499.75 → 499 shares (9,984.99 of margin).
          ctx.buy();
        },
        // 15.01 stays free; one more share at 101 needs 20.20: refused.
        2: (ctx) => ctx.buy({ size: 1 }),
      },
      10_000,
    );
    expect(broker.refusals).toEqual([
      { bar: 2, reason: 'insufficient_margin', message: 'Insufficient funds. Required: 12006.00, Available: 10000.00, Shortage: 2006.00' },
      { bar: 3, reason: 'insufficient_margin', message: 'Insufficient funds. Required: 20.20, Available: 15.01, Shortage: 5.19' },
    ]);
    expect(result.openTrades).toBe(1);
    expect(broker.position.size).toBe(499);
    expect(toString(broker.usedMargin())).toBe('9984.99');
    // Bar 2's close: 10,000 + 499 × (101 − 100.05) = 10,474.05.
    expect(result.equity[2]).toBe(10_474.05);
  });
});

describe('exchange fill model: CNC', () => {
  it('refuses a delivery sell beyond the long position and takes one within it', () => {
    const { result, broker } = run(
      NSE_EQUITY,
      [
        flat(day('2026-03-02'), 100),
        flat(day('2026-03-03'), 100),
        flat(day('2026-03-04'), 100),
        flat(day('2026-03-05'), 100),
        flat(day('2026-03-06'), 100),
        [day('2026-03-09'), 105.03, 106, 105, 105.5],
      ],
      {
        1: (ctx) => ctx.sell({ size: 10 }),
        2: (ctx) => ctx.buy({ size: 10 }),
        3: (ctx) => ctx.sell({ size: 15 }),
        // Sold at 105.03 → 105.00: 10 × 5 = 50.
        4: (ctx) => ctx.sell({ size: 10 }),
      },
      10_000,
    );
    expect(broker.refusals).toEqual([
      { bar: 2, reason: 'cnc_short', message: 'Cannot sell 10 (CNC): only 0 held' },
      { bar: 4, reason: 'cnc_short', message: 'Cannot sell 15 (CNC): only 10 held' },
    ]);
    expect(trades(result)).toEqual([{ size: 10, entryBar: 3, exitBar: 5, entryPrice: 100, exitPrice: 105, pl: 50, commissions: 0 }]);
  });
});

describe('exchange fill model: MIS square-off', () => {
  const at = (hhmm: string) => ist('2026-03-02', hhmm);
  const next = (hhmm: string) => ist('2026-03-03', hhmm);

  it('on 5-minute bars closes at the open of the first bar from 15:15 IST, cancels working orders and refuses new exposure until the next session', () => {
    const { result, broker } = run(
      { ...NSE_EQUITY, product: 'MIS' },
      [
        flat(at('15:00'), 200),
        flat(at('15:05'), 200),
        [at('15:10'), 200.02, 201, 200, 201],
        [at('15:15'), 201.13, 201.5, 201, 201.2],
        flat(at('15:20'), 201),
        flat(at('15:25'), 201),
        [next('09:15'), 199.98, 200, 149, 200],
        [next('09:20'), 200, 202, 200, 202],
      ],
      {
        // 10 fill at 200.02 → 200.05; the limit at 150 waits.
        1: (ctx) => {
          ctx.buy({ size: 10 });
          ctx.buy({ size: 5, limit: 150 });
        },
        // Placed at the 15:15 bar's close: it would open a position at 15:20, after the square-off.
        3: (ctx) => ctx.buy({ size: 10 }),
        // The next session takes it at 199.98 → 200.00. (The cancelled limit would have filled on this bar's low 149.)
        5: (ctx) => ctx.buy({ size: 10 }),
      },
      100_000,
    );
    // Squared off at the 15:15 bar's open 201.13 → 201.10: 10 × 1.05 = 10.50.
    expect(trades(result)).toEqual([{ size: 10, entryBar: 2, exitBar: 3, entryPrice: 200.05, exitPrice: 201.1, pl: 10.5, commissions: 0 }]);
    expect(broker.squareOffs).toBe(1);
    expect(broker.refusals).toEqual([
      { bar: 4, reason: 'after_square_off', message: 'MIS orders cannot open positions after the square-off time' },
    ]);
    expect(broker.position.size).toBe(10);
    // Last close: 100,010.50 + 10 × (202 − 200) = 100,030.50.
    expect(result.equity[7]).toBe(100_030.5);
  });

  it('squares off at the next session’s first bar when a day has no bar from 15:15', () => {
    const { result } = run(
      { ...NSE_EQUITY, product: 'MIS' },
      [flat(at('15:00'), 200), flat(at('15:05'), 200), flat(at('15:10'), 200), [next('09:15'), 198.04, 199, 197, 198], flat(next('09:20'), 198)],
      { 1: (ctx) => ctx.buy({ size: 10 }) },
      100_000,
    );
    // Bought at 200 on the 15:10 bar; sold at 198.04 → 198.00 on the next morning's first bar: −20.
    expect(trades(result)).toEqual([{ size: 10, entryBar: 2, exitBar: 3, entryPrice: 200, exitPrice: 198, pl: -20, commissions: 0 }]);
  });

  it('on daily bars closes the position at the close of the bar it was opened on', () => {
    const { result, broker } = run(
      { ...NSE_EQUITY, product: 'MIS' },
      [flat(day('2026-03-02'), 100), flat(day('2026-03-03'), 100), [day('2026-03-04'), 100.02, 102, 100, 101.97], flat(day('2026-03-05'), 101)],
      { 1: (ctx) => ctx.buy({ size: 10 }) },
      10_000,
    );
    // 100.02 → 100.05 at the open, 101.97 → 101.95 at the close: 10 × 1.90 = 19.
    expect(trades(result)).toEqual([{ size: 10, entryBar: 2, exitBar: 2, entryPrice: 100.05, exitPrice: 101.95, pl: 19, commissions: 0 }]);
    expect(result.equity[2]).toBe(10_019);
    expect(broker.squareOffs).toBe(1);
  });
});

describe('exchange fill model: charges', () => {
  it('deducts the Indian intraday charges at each fill of a round trip (buy 400 at 1,000, sell at 1,100)', () => {
    const morning = (hhmm: string) => ist('2026-03-02', hhmm);
    let cashAfterBuy = '';
    const { result, broker } = run(
      { ...NSE_EQUITY, product: 'MIS', charges: true },
      [flat(morning('09:15'), 1000), flat(morning('09:20'), 1000), flat(morning('09:25'), 1000), flat(morning('09:30'), 1100)],
      {
        1: (ctx) => ctx.buy({ size: 400 }),
        2: (ctx, broker) => {
          cashAfterBuy = toString(broker.cashDecimal);
          ctx.sell({ size: 400 });
        },
      },
      100_000,
    );
    // Buy charges 50.56 and sell charges 150.06 (charges.test.ts): 200.62 in all, as Zerodha's calculator method gives.
    expect(cashAfterBuy).toBe('99949.44');
    expect(toString(broker.chargesPaid)).toBe('200.62');
    // 99,949.44 + 400 × 100 − 150.06.
    expect(toString(broker.cashDecimal)).toBe('139799.38');
    expect(trades(result)).toEqual([
      { size: 400, entryBar: 2, exitBar: 3, entryPrice: 1000, exitPrice: 1100, pl: 39_799.38, commissions: 200.62 },
    ]);
    // 0.1 − 200.62 / 400,000.
    expect(result.trades[0]?.returnPct).toBeCloseTo(0.09949845, 12);
  });

  it('trades a NIFTY future in whole lots of 75 with its margin and charges', () => {
    let free = '';
    const { result, broker } = run(
      { ...NIFTY_FUTURE, charges: true },
      [flat(day('2026-03-02'), 22_000), flat(day('2026-03-03'), 22_000), flat(day('2026-03-04'), 22_000.07), flat(day('2026-03-05'), 22_100.04)],
      {
        1: (ctx) => {
          // Half the free margin (100,000) is less than one lot's 75 × 22,000.10 × 10 % = 165,000.75: dropped.
          ctx.buy({ size: 0.5 });
          // All of it: one lot, 165,000.75 of margin plus 94.18 of charges (value 16,50,007.50: brokerage 20,
          // exchange 30.195… → 30.20, SEBI 1.65, stamp 33.00, GST 9.33).
          ctx.buy();
        },
        2: (ctx, broker) => {
          free = toString(broker.freeMargin());
          // 100 units is one lot of 75. Sold at 22,100.04 → 22,100.00 (value 16,57,500): brokerage 20, STT 828.75,
          // exchange 30.33225 → 30.33, SEBI 1.6575 → 1.66, GST 18 % × 51.99 = 9.3582 → 9.36: 890.10.
          ctx.sell({ size: 100 });
        },
      },
      200_000,
    );
    // 200,000 − 94.18 − 165,000.75.
    expect(free).toBe('34905.07');
    expect(broker.refusals.map((refusal) => refusal.reason)).toEqual(['less_than_a_lot']);
    // 75 × 99.90 = 7,492.50 gross; less 94.18 and 890.10.
    expect(trades(result)).toEqual([
      { size: 75, entryBar: 2, exitBar: 3, entryPrice: 22_000.1, exitPrice: 22_100, pl: 6508.22, commissions: 984.28 },
    ]);
    expect(toString(broker.cashDecimal)).toBe('206508.22');
  });
});

describe('exchange fill model: options', () => {
  it('blocks the premium for an option buyer and 10 % of the strike notional for a writer', () => {
    const option: ExchangeFillSpec = { ...NIFTY_FUTURE, kind: 'option', strike: '22000', tickSize: '0.05' };
    let used = '';
    const { result, broker } = run(
      option,
      [flat(day('2026-03-02'), 100), flat(day('2026-03-03'), 100), flat(day('2026-03-04'), 100), flat(day('2026-03-05'), 100)],
      {
        // Writing one lot blocks 75 × 22,000 × 10 % = 1,65,000 of the 1,00,000: refused.
        1: (ctx) => ctx.sell({ size: 75 }),
        // Buying one lot blocks its premium, 75 × 100 = 7,500.
        2: (ctx) => ctx.buy({ size: 75 }),
        3: (_ctx, made) => (used = toString(made.usedMargin())),
      },
      100_000,
    );
    expect(broker.refusals.map((refusal) => [refusal.bar, refusal.reason])).toEqual([[2, 'insufficient_margin']]);
    expect(used).toBe('7500');
    expect(result.openTrades).toBe(1);
  });
});

describe('exchange fill model: spec and settings', () => {
  it('refuses CNC on a future, charges outside NSE/BSE and settings the product decides', () => {
    expect(() => exchangeFillModel({ ...NIFTY_FUTURE, product: 'CNC' })).toThrow(InvalidBacktestSettings);
    expect(() => exchangeFillModel({ ...NSE_EQUITY, exchange: 'NFO', charges: true })).toThrow(InvalidBacktestSettings);
    expect(() => exchangeFillModel({ ...NSE_EQUITY, tickSize: 0 })).toThrow(InvalidBacktestSettings);
    const bars = barsOf([flat(day('2026-03-02'), 100), flat(day('2026-03-03'), 100)]);
    expect(() => runSimulation(bars, scripted({}, () => undefined), {}, { ...DEFAULT_SETTINGS, margin: 0.2 }, { broker: exchangeFillModel(NSE_EQUITY) })).toThrow(
      InvalidBacktestSettings,
    );
  });
});

describe('exchange fill model: sma_cross on GOOG against the reference', () => {
  const goog = readBundledSeries('GOOG');
  const settings: SimulationSettings = { ...DEFAULT_SETTINGS, cash: 10_000 };
  const params = { fast: 10, slow: 20 };
  const reference = runSimulation(goog, smaCross, params, settings);
  let nrmlBroker: ExchangeBroker | undefined;
  const nrml = runSimulation(goog, smaCross, params, settings, {
    broker: exchangeFillModel({ ...NSE_EQUITY, product: 'NRML' }, (made) => (nrmlBroker = made)),
  });
  const tick = (price: number, up: boolean) => (up ? Math.ceil(price * 20 - 1e-9) : Math.floor(price * 20 + 1e-9)) / 20;

  it('with NRML (100 % margin, shorts allowed) trades on the same bars at the reference prices taken to the 0.05 tick', () => {
    const result = nrml;
    expect(result.trades.length).toBe(reference.trades.length);
    let cash = 10_000;
    result.trades.forEach((trade, k) => {
      const ref = reference.trades[k]!;
      const long = ref.size > 0;
      expect([trade.entryBar, trade.exitBar, Math.sign(trade.size)]).toEqual([ref.entryBar, ref.exitBar, Math.sign(ref.size)]);
      // Entries buy (up) when long and sell (down) when short; exits the other way.
      expect(trade.entryPrice).toBe(tick(ref.entryPrice, long));
      expect(trade.exitPrice).toBe(tick(ref.exitPrice, !long));
      // Every entry follows a close, so it takes all the cash: floor(cash / entry price) shares.
      expect(Math.abs(trade.size)).toBe(Math.floor(cash / trade.entryPrice));
      cash = Math.round((cash + trade.pl) * 100) / 100;
    });
    expect(nrmlBroker?.refusals).toEqual([]);
  });

  it('with CNC keeps the reference’s long trades and refuses every sell that would go short', () => {
    let broker: ExchangeBroker | undefined;
    const result = runSimulation(goog, smaCross, params, settings, { broker: exchangeFillModel(NSE_EQUITY, (made) => (broker = made)) });
    const longs = reference.trades.filter((trade) => trade.size > 0);
    expect(result.trades.map((trade) => [trade.entryBar, trade.exitBar])).toEqual(longs.map((trade) => [trade.entryBar, trade.exitBar]));
    // Each sell signal is refused: one per short trade of the reference, and one more when the run ends short.
    const shorts = reference.trades.filter((trade) => trade.size < 0).length + (nrmlBroker?.position.isShort ? 1 : 0);
    expect(broker?.refusals.every((refusal) => refusal.reason === 'cnc_short')).toBe(true);
    expect(broker?.refusals.length).toBe(shorts);
  });
});
