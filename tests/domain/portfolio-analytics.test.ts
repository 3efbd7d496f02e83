// Portfolio metrics and the portfolio engine, against figures worked by hand and with pandas/numpy (the libraries
// openstatz computes them with) on a five-session series.
import { describe, expect, it } from 'vitest';
import {
  cagr,
  greeks,
  kurtosis,
  maxDrawdown,
  sharpe,
  skew,
  sortino,
  summarize,
  tailRatio,
  ulcerIndex,
  valueAtRisk,
  winRate,
} from '../../src/domain/portfolio-analytics.js';
import { withOverrides } from '../../src/domain/delivery-charges.js';
import { indiaDeliveryCosts } from '../../src/domain/portfolio-costs.js';
import { calendarRebalanceDates, simulate } from '../../src/domain/portfolio-simulation.js';

const R = [0.1, -0.05, 0.02, -0.01, 0.03];
const B = [0.05, -0.02, 0.01, -0.02, 0.01];

describe('portfolio metrics', () => {
  it('annualize as openstatz does: 252 periods, sample deviation, downside over all periods', () => {
    expect(sharpe(R)).toBeCloseTo(5.157076666039945, 12);
    expect(sortino(R)).toBeCloseTo(12.530577984090941, 12);
    // 1.1 × 0.95 × 1.02 × 0.99 × 1.03 = 1.0880…, over 5/252 of a year
    expect(cagr(R)).toBeCloseTo(65.66833794163601, 9);
  });

  it('measure drawdown from the starting value: 1.1 falls to 1.045, −5 %', () => {
    expect(maxDrawdown(R)).toBeCloseTo(-0.05, 14);
    expect(maxDrawdown([-0.1, 0.05])).toBeCloseTo(-0.1, 14);
    expect(ulcerIndex(R)).toBeCloseTo(0.03625789870666133, 14);
  });

  it('take distribution figures as pandas does (bias-corrected skew and excess kurtosis, linear quantiles)', () => {
    expect(skew(R)).toBeCloseTo(0.5308602253607846, 12);
    expect(kurtosis(R)).toBeCloseTo(0.9164022960455824, 12);
    expect(tailRatio(R)).toBeCloseTo(2.0476190476190474, 12);
    expect(valueAtRisk(R)).toBeCloseTo(-0.07313736008944369, 12);
    expect(winRate([0.01, 0, -0.02, 0.03])).toBeCloseTo(2 / 3, 15);
  });

  it('relate to a benchmark by sample covariance, alpha annualized by 252', () => {
    const { alpha, beta } = greeks(R, B);
    expect(beta).toBeCloseTo(1.8554216867469882, 12);
    expect(alpha).toBeCloseTo(1.7306024096385533, 12);
    expect(greeks(R, [0, 0, 0, 0, 0])).toEqual({ alpha: 0, beta: 0 });
    const summary = summarize(R, B);
    expect(summary.up_capture).toBeCloseTo(((0.1 + 0.02 + 0.03) / 3) / ((0.05 + 0.01 + 0.01) / 3), 14);
    expect(summary.down_capture).toBeCloseTo(((-0.05 - 0.01) / 2) / -0.02, 14);
  });
});

describe('portfolio engine', () => {
  const dates = Array.from({ length: 22 }, (_, i) => `2024-01-${String(i + 1).padStart(2, '0')}`);
  dates.push('2024-02-01');

  it('rebalances on the last session of each period, never on the first', () => {
    expect([...calendarRebalanceDates(dates, 'monthly')]).toEqual(['2024-01-22', '2024-02-01']);
    expect([...calendarRebalanceDates(['2024-01-01', '2024-01-02'], 'yearly')]).toEqual(['2024-01-02']);
    expect(calendarRebalanceDates(dates, 'never').size).toBe(0);
  });

  it("charges a rebalance line by line: OpenAlgo's 50/50 case where A doubles on the month's last session", () => {
    const prices = { symbols: ['A', 'B'], dates: dates.slice(0, 22), closes: [[...Array<number>(21).fill(100), 200], Array<number>(22).fill(100)] };
    const schedule = withOverrides(indiaDeliveryCosts('NSE'), {
      brokerage: { flat: 10 },
      stt: { rate: 0.01 },
      exchange_txn: { rate: 0 },
      sebi: { rate: 0 },
      stamp_duty: { rate: 0 },
    });
    const result = simulate({ prices, weights: [50, 50], rule: 'monthly', driftBand: 0, costs: { ...schedule, taxRate: 0.1, slippage: 0.02 }, initialCapital: 1000 });
    // Value 1500 → 750/750: 250 bought and 250 sold; 2 orders × 10, STT 1 % of 500, GST 10 % of 20, slippage 2 % of 500.
    expect(result.costBreakdown).toEqual({ brokerage: 20, stt: 5, exchange_txn: 0, sebi: 0, stamp_duty: 0, tax: 2, slippage: 10, total: 37, orders: 2 });
    expect(result.equity[21]).toBeCloseTo(1463, 9);
    expect(result.rebalances).toEqual([{ date: '2024-01-22', turnover: 1 / 6 }]);
    expect(result.costDrag).toBeCloseTo(0.037, 12);
    expect(result.items.map((item) => item.contribution_pct)).toEqual([0.5 - 37 / 2 / 1000, -37 / 2 / 1000]);
  });

  it('lets weights drift under buy and hold, and resets them when the drift band is crossed', () => {
    const prices = { symbols: ['A', 'B'], dates: ['2024-01-01', '2024-01-02', '2024-01-03'], closes: [[100, 130, 130], [100, 100, 100]] };
    const held = simulate({ prices, weights: [1, 1], rule: 'never', driftBand: 0, costs: { kind: 'flat', bps: 0, slippage: 0 }, initialCapital: 100 });
    expect(held.weights[2]).toEqual([65 / 115, 50 / 115]);
    const banded = simulate({ prices, weights: [1, 1], rule: 'never', driftBand: 0.05, costs: { kind: 'flat', bps: 100, slippage: 0 }, initialCapital: 100 });
    // 115 → 57.5 each: 7.5 traded, 1 % of it paid.
    expect(banded.rebalances).toEqual([{ date: '2024-01-02', turnover: 7.5 / 115 }]);
    expect(banded.equity[2]).toBeCloseTo(115 - 0.075, 12);
  });
});
