// A weighted portfolio over daily closes, as OpenAlgo's portfolio engine simulates it: bought at target weights on the
// first session, each holding drifting with its own price, reset to target on the calendar's rebalance sessions (the
// last session of each month, quarter or year) or when a weight drifts beyond the band, costs paid out of the value.
import { type CostModel, costBreakdown } from './portfolio-costs.js';

export const REBALANCE_RULES = ['never', 'monthly', 'quarterly', 'yearly'] as const;
export type RebalanceRule = (typeof REBALANCE_RULES)[number];

/** Closes of every holding on the same sessions: `closes[h][i]` is holding h's close on `dates[i]` (`YYYY-MM-DD`). */
export interface PriceMatrix {
  symbols: readonly string[];
  dates: readonly string[];
  closes: readonly (readonly number[])[];
}

export interface SimulationInput {
  prices: PriceMatrix;
  /** Raw weights per holding (any scale: only their ratio matters), in `prices.symbols` order. */
  weights: readonly number[];
  rule: RebalanceRule;
  /** Absolute weight drift that forces a rebalance; 0: off. */
  driftBand: number;
  costs: CostModel;
  initialCapital: number;
}

export interface HoldingResult {
  weight_target: number;
  weight_final: number;
  invested: number;
  price_pnl: number;
  costs: number;
  net_pnl: number;
  /** Net P&L over the initial capital: the column sums to the portfolio's return. */
  contribution_pct: number;
  symbol_return: number;
}

export interface SimulationResult {
  target: number[];
  equity: number[];
  /** Weights held at each session's close, after any rebalance. */
  weights: number[][];
  /** Sessions rebalanced with their one-way turnover (fraction of the value that changed hands). */
  rebalances: { date: string; turnover: number }[];
  /** Return given up to costs: the cost-free twin's total return less the net total return. */
  costDrag: number;
  costBreakdown: Record<string, number>;
  orders: number;
  items: HoldingResult[];
}

/** Why a simulation cannot run (OpenAlgo's ValueError words): answered 400. */
export class PortfolioInputError extends Error {}

/** Weights scaled to sum to 1; refused when negative, not finite or all zero. */
export function normalizeWeights(weights: readonly number[]): number[] {
  if (!weights.every(Number.isFinite)) throw new PortfolioInputError('weights must be finite');
  if (weights.some((w) => w < 0)) throw new PortfolioInputError('negative weights are not supported; this is a long-only engine');
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (total <= 0) throw new PortfolioInputError('weights sum to zero');
  return weights.map((w) => w / total);
}

/** The last session of each calendar period among `dates`, the first session (the purchase) excepted. */
export function calendarRebalanceDates(dates: readonly string[], rule: RebalanceRule): Set<string> {
  const marks = new Set<string>();
  if (rule === 'never') return marks;
  const periodOf = (date: string): string => {
    const year = date.slice(0, 4);
    const month = Number(date.slice(5, 7));
    if (rule === 'yearly') return year;
    return rule === 'monthly' ? `${year}-${month}` : `${year}-Q${Math.ceil(month / 3)}`;
  };
  dates.forEach((date, i) => {
    const next = dates[i + 1];
    if (i > 0 && (next === undefined || periodOf(next) !== periodOf(date))) marks.add(date);
  });
  return marks;
}

export function simulate(input: SimulationInput): SimulationResult {
  const { prices, rule, driftBand, costs, initialCapital } = input;
  const { dates, closes } = prices;
  const n = closes.length;
  const target = normalizeWeights(input.weights);
  const scheduled = calendarRebalanceDates(dates, rule);

  let sleeve = target.map((w) => w * initialCapital);
  let gross = [...sleeve];
  const pricePnl = new Array<number>(n).fill(0);
  const costPaid = new Array<number>(n).fill(0);
  const equity: number[] = [];
  const weights: number[][] = [];
  const rebalances: { date: string; turnover: number }[] = [];
  const breakdown = costBreakdown(costs, 0, 0, 0);
  for (const key of Object.keys(breakdown)) breakdown[key] = 0;
  let orders = 0;

  dates.forEach((date, i) => {
    let value = sum(sleeve);
    if (i > 0) {
      const grown = sleeve.map((amount, h) => amount * ((closes[h] as number[])[i] as number) / ((closes[h] as number[])[i - 1] as number));
      grown.forEach((amount, h) => (pricePnl[h] = (pricePnl[h] as number) + amount - (sleeve[h] as number)));
      sleeve = grown;
      gross = gross.map((amount, h) => amount * ((closes[h] as number[])[i] as number) / ((closes[h] as number[])[i - 1] as number));
      value = sum(sleeve);
      const drifted = driftBand > 0 && sleeve.some((amount, h) => Math.abs(amount / value - (target[h] as number)) > driftBand);
      if (scheduled.has(date) || drifted) {
        const moved = sleeve.map((amount, h) => Math.abs((target[h] as number) * value - amount));
        const movedTotal = sum(moved);
        const traded = movedTotal / 2 / value;
        if (traded > 0) {
          // A rebalance conserves value: the rupees bought equal the rupees sold.
          const tradedValue = traded * value;
          const count = moved.filter((m) => m > 1e-9).length;
          orders += count;
          const lines = costBreakdown(costs, tradedValue, tradedValue, count);
          for (const [key, amount] of Object.entries(lines)) breakdown[key] = (breakdown[key] ?? 0) + amount;
          const charge = lines.total as number;
          // The holding that forced the trade carries its share of the cost.
          moved.forEach((m, h) => (costPaid[h] = (costPaid[h] as number) + charge * (m / movedTotal)));
          value -= charge;
          rebalances.push({ date, turnover: traded });
        }
        sleeve = target.map((w) => w * value);
        gross = target.map((w) => w * sum(gross));
      }
    }
    equity.push(value);
    weights.push(sleeve.map((amount) => amount / value));
  });

  const last = dates.length - 1;
  const netTotal = (equity[last] as number) / initialCapital - 1;
  const grossTotal = sum(gross) / initialCapital - 1;
  const items = target.map((w, h) => {
    const net = (pricePnl[h] as number) - (costPaid[h] as number);
    const series = closes[h] as number[];
    return {
      weight_target: w,
      weight_final: (weights[last] as number[])[h] as number,
      invested: w * initialCapital,
      price_pnl: pricePnl[h] as number,
      costs: costPaid[h] as number,
      net_pnl: net,
      contribution_pct: net / initialCapital,
      symbol_return: (series[last] as number) / (series[0] as number) - 1,
    };
  });
  return { target, equity, weights, rebalances, costDrag: grossTotal - netTotal, costBreakdown: breakdown, orders, items };
}

/** Period-over-period simple returns of a value series (one fewer than the values). */
export function returnsOf(values: readonly number[]): number[] {
  return values.slice(1).map((value, i) => value / (values[i] as number) - 1);
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
