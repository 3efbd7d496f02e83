// Portfolio valuation, the same for every dialect: the P&L of positions, the market value, P&L and percentage of
// holdings, and their totals per currency, all exact decimals with their currency. Dialects only format these.
import { type Currency, HOME_CURRENCY, compareCurrencies } from '../domain/currency.js';
import { type Decimal, ZERO, add, dec, div, isZero, mul, sub } from '../domain/decimal.js';
import type { Funds } from '../domain/funds.js';
import type { HoldingView, PositionView } from '../domain/position.js';

/** A position with its total P&L for the session. */
export interface ValuedPosition extends PositionView {
  /** Realized + unrealized. */
  totalPnl: Decimal;
}

/** A holding with its value at the last price. */
export interface ValuedHolding extends HoldingView {
  /** Quantity × last price. */
  marketValue: Decimal;
  /** Market value − cost. */
  pnl: Decimal;
  /** P&L as a percentage of the cost (0 when the cost is 0). */
  pnlPercent: Decimal;
}

/** Holdings of one currency, added up. */
export interface HoldingsTotal {
  currency: Currency;
  /** Market value of the holdings. */
  value: Decimal;
  /** Their cost. */
  invested: Decimal;
  pnl: Decimal;
  /** P&L as a percentage of the cost (0 when nothing is invested). */
  pnlPercent: Decimal;
}

export interface HoldingsValuation {
  holdings: ValuedHolding[];
  /** One per currency held, the home currency first; empty when nothing is held. */
  totals: HoldingsTotal[];
}

export function valuePosition(position: PositionView): ValuedPosition {
  return { ...position, totalPnl: add(position.realizedPnl, position.unrealizedPnl) };
}

export function valueHolding(holding: HoldingView): ValuedHolding {
  const marketValue = mul(holding.quantity, holding.lastPrice);
  const pnl = sub(marketValue, holding.cost);
  return { ...holding, marketValue, pnl, pnlPercent: percentOf(pnl, holding.cost) };
}

/** Every holding valued, and the totals of each currency (never a sum across currencies). */
export function valueHoldings(holdings: readonly HoldingView[]): HoldingsValuation {
  const valued = holdings.map(valueHolding);
  const sums = new Map<Currency, { value: Decimal; invested: Decimal }>();
  for (const holding of valued) {
    const sum = sums.get(holding.currency) ?? { value: ZERO, invested: ZERO };
    sums.set(holding.currency, { value: add(sum.value, holding.marketValue), invested: add(sum.invested, holding.cost) });
  }
  const totals = [...sums]
    .sort(([a], [b]) => compareCurrencies(a, b))
    .map(([currency, { value, invested }]) => totalOf(currency, value, invested));
  return { holdings: valued, totals };
}

/** The totals of one currency; all zero when nothing in it is held. */
export function holdingsTotalIn(valuation: HoldingsValuation, currency: Currency): HoldingsTotal {
  return valuation.totals.find((total) => total.currency === currency) ?? totalOf(currency, ZERO, ZERO);
}

/** The funds of one currency from a broker's report; all zero when the account has none in it. */
export function fundsIn(funds: readonly Funds[], currency: Currency = HOME_CURRENCY): Funds {
  return (
    funds.find((each) => each.currency === currency) ?? {
      currency,
      availableCash: ZERO,
      collateral: ZERO,
      realizedPnl: ZERO,
      unrealizedPnl: ZERO,
      usedMargin: ZERO,
    }
  );
}

/** A broker's funds, one per currency, the home currency first. */
export function orderedFunds(funds: readonly Funds[]): Funds[] {
  return [...funds].sort((a, b) => compareCurrencies(a.currency, b.currency));
}

function totalOf(currency: Currency, value: Decimal, invested: Decimal): HoldingsTotal {
  const pnl = sub(value, invested);
  return { currency, value, invested, pnl, pnlPercent: percentOf(pnl, invested) };
}

const HUNDRED = dec(100);

function percentOf(part: Decimal, whole: Decimal): Decimal {
  return isZero(whole) ? ZERO : div(mul(part, HUNDRED), whole);
}
