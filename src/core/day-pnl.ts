// The session's P&L per position and its totals per currency (OpenAlgo's pnl/symbols): what each open position has
// made today, realized and unrealized, and what each position closed today realized. Exact decimals with their
// currency; no total adds one currency to another.
import { type Currency, compareCurrencies } from '../domain/currency.js';
import { type Decimal, ZERO, add, isZero } from '../domain/decimal.js';
import type { PositionView } from '../domain/position.js';

export interface PositionDayPnl {
  position: PositionView;
  unrealizedPnl: Decimal;
  realizedPnl: Decimal;
  /** Realized + unrealized. */
  totalPnl: Decimal;
}

export interface DayPnlTotal {
  currency: Currency;
  unrealizedPnl: Decimal;
  realizedPnl: Decimal;
  totalPnl: Decimal;
}

export interface DayPnl {
  /** Open positions, and closed ones that realized something today; in the broker's order. */
  positions: PositionDayPnl[];
  /** One per currency of those positions, the home currency first. */
  totals: DayPnlTotal[];
}

export function dayPnl(positions: readonly PositionView[]): DayPnl {
  const shown = positions.filter((position) => !isZero(position.quantity) || !isZero(position.realizedPnl));
  const rows = shown.map((position) => {
    // A flat position has nothing left to mark.
    const unrealizedPnl = isZero(position.quantity) ? ZERO : position.unrealizedPnl;
    return { position, unrealizedPnl, realizedPnl: position.realizedPnl, totalPnl: add(position.realizedPnl, unrealizedPnl) };
  });
  const sums = new Map<Currency, DayPnlTotal>();
  for (const row of rows) {
    const { currency } = row.position;
    const sum = sums.get(currency) ?? dayPnlTotalOf(currency);
    sums.set(currency, {
      currency,
      unrealizedPnl: add(sum.unrealizedPnl, row.unrealizedPnl),
      realizedPnl: add(sum.realizedPnl, row.realizedPnl),
      totalPnl: add(sum.totalPnl, row.totalPnl),
    });
  }
  return { positions: rows, totals: [...sums.values()].sort((a, b) => compareCurrencies(a.currency, b.currency)) };
}

/** The totals of one currency; all zero when no position is in it. */
export function dayPnlTotalOf(currency: Currency, pnl?: DayPnl): DayPnlTotal {
  return pnl?.totals.find((total) => total.currency === currency) ?? { currency, unrealizedPnl: ZERO, realizedPnl: ZERO, totalPnl: ZERO };
}
