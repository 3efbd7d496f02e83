// An account's margin and funds, per currency: what an order blocks, whether the cash of its instrument's currency
// covers it, what a delivery sell needs held, and the funds (cash, margin in use, P&L) in each currency it has.
import { type Currency, CURRENCY_SYMBOLS, HOME_CURRENCY, compareCurrencies, currencyOf } from '../domain/currency.js';
import { type Decimal, ZERO, add, cmp, isZero, max, neg, sub, toReadable, toString } from '../domain/decimal.js';
import type { Instrument, InstrumentLookup } from '../domain/instrument.js';
import { type Order, type Side, hasLimitPrice, isStopType } from '../domain/order.js';
import { unrealizedPnl } from '../domain/position.js';
import type { ExchangeState } from './exchange-state.js';
import { type MarginRates, exposureMargin, positionMargin } from './margin.js';
import type { MarketData } from './market-data.js';

/** An account's funds in one currency, as the exchange keeps them. */
export interface FundsState {
  currency: Currency;
  /** Money paid in, plus the realized P&L of past sessions. */
  deposits: Decimal;
  /** Deposits + the session's realized P&L − margin in use − cost of holdings. */
  availableCash: Decimal;
  /** Margin blocked by working orders and held by open positions. */
  usedMargin: Decimal;
  realizedPnl: Decimal;
  unrealizedPnl: Decimal;
}

/** An order's position and side: what margin and holdings checks look at. */
export type OnPosition = Pick<Order, 'accountId' | 'symbol' | 'exchange' | 'product' | 'side'>;

export class AccountMargin {
  constructor(
    private readonly state: ExchangeState,
    private readonly instruments: InstrumentLookup,
    private readonly market: MarketData,
    private readonly rates: MarginRates,
  ) {}

  /**
   * Margin `quantity` of an order blocks at `price`: only the part that opens exposure; the part that reduces a
   * position is free. `ignore` names an order whose own working quantity is not counted (the one being modified).
   */
  orderMargin(order: Order, instrument: Instrument, quantity: Decimal, price: Decimal, ignore?: string): Decimal {
    const opening = this.openingQuantity(order, quantity, ignore);
    if (isZero(opening)) return ZERO;
    if (order.product === 'CNC' && order.side === 'SELL') return ZERO;
    return exposureMargin(this.rates, instrument, order.product, order.side, opening, price);
  }

  /** How much of `quantity` opens or grows a position rather than reducing one not already claimed by working orders. */
  openingQuantity(order: OnPosition, quantity: Decimal, ignore?: string): Decimal {
    const net = this.state.ledger.position(order.accountId, order.symbol, order.exchange, order.product).quantity;
    const opposite = order.side === 'SELL' ? max(net, ZERO) : max(neg(net), ZERO);
    const claimed = this.workingQuantity(order, order.side, ignore);
    const reducible = max(sub(opposite, claimed), ZERO);
    return max(sub(quantity, reducible), ZERO);
  }

  /** Why a delivery sell cannot be taken (not enough shares held and not already on sale), or undefined. */
  cncSellShortfall(order: Order): string | undefined {
    if (order.product !== 'CNC' || order.side !== 'SELL') return undefined;
    const ledger = this.state.ledger;
    const dayLong = max(ledger.position(order.accountId, order.symbol, order.exchange, 'CNC').quantity, ZERO);
    const held = add(dayLong, ledger.holding(order.accountId, order.symbol, order.exchange)?.quantity ?? ZERO);
    const free = max(sub(held, this.workingQuantity(order, 'SELL')), ZERO);
    if (cmp(order.quantity, free) <= 0) return undefined;
    return `Cannot sell ${toString(order.quantity)} ${order.symbol} (CNC): only ${toString(free)} held and not already on sale`;
  }

  /** The account's funds in every currency it has, the home currency first (and always). */
  funds(accountId: string): FundsState[] {
    const currencies = [...(this.state.ledger.account(accountId)?.balances.keys() ?? [HOME_CURRENCY])];
    return currencies.sort(compareCurrencies).map((currency) => this.fundsIn(accountId, currency));
  }

  /** The account's funds in one currency; all zero in a currency it never used. */
  fundsIn(accountId: string, currency: Currency): FundsState {
    const ledger = this.state.ledger;
    const balance = ledger.balance(accountId, currency);
    const book = ledger.account(accountId);
    let usedMargin = balance.blockedMargin;
    let unrealized = ZERO;
    for (const position of book?.positions.values() ?? []) {
      if (isZero(position.quantity) || currencyOf(position) !== currency) continue;
      const instrument = this.instruments.require(position.symbol, position.exchange);
      usedMargin = add(usedMargin, positionMargin(this.rates, instrument, position.product, position.quantity, position.openCost));
      unrealized = add(unrealized, unrealizedPnl(position, this.market.quote(instrument).lastPrice));
    }
    let heldCost = ZERO;
    for (const holding of book?.holdings.values() ?? []) {
      if (currencyOf(holding) === currency) heldCost = add(heldCost, holding.cost);
    }
    return {
      currency,
      deposits: balance.deposits,
      availableCash: sub(sub(add(balance.deposits, balance.realizedPnl), usedMargin), heldCost),
      usedMargin,
      realizedPnl: balance.realizedPnl,
      unrealizedPnl: unrealized,
    };
  }

  // Unfilled quantity of the account's other working orders on the same position and side.
  private workingQuantity(order: OnPosition, side: Side, ignore?: string): Decimal {
    const ledger = this.state.ledger;
    const total = ledger.workingQuantity(order.accountId, order.symbol, order.exchange, order.product, side);
    const own = ignore === undefined ? undefined : ledger.working.get(ignore);
    return own && own.side === side ? sub(total, sub(own.quantity, own.filledQuantity)) : total;
  }
}

/** Why an order that needs `margin` is refused when only `available` is free, in their currency (placement and modification alike). */
export function insufficientFunds(margin: Decimal, available: Decimal, currency: Currency): string {
  const symbol = CURRENCY_SYMBOLS[currency];
  return (
    `Insufficient funds. Required: ${symbol}${toReadable(margin, 2)}, Available: ${symbol}${toReadable(available, 2)}, ` +
    `Shortage: ${symbol}${toReadable(sub(margin, available), 2)}`
  );
}

/** The price margin is blocked at: the limit, else the trigger, else the opposite best price. */
export function referencePrice(order: Order, quote: { bid: Decimal; ask: Decimal }): Decimal {
  if (order.limitPrice !== undefined && hasLimitPrice(order.type)) return order.limitPrice;
  if (order.stopPrice !== undefined && isStopType(order.type)) return order.stopPrice;
  return order.side === 'BUY' ? quote.ask : quote.bid;
}
