// What the exchange shows of an account: the session's orders and fills, the fills of one order, and positions and
// holdings marked to the market, each in its instrument's currency.
import { div } from '../domain/decimal.js';
import type { InstrumentLookup } from '../domain/instrument.js';
import { type Fill, type Order, isWorking } from '../domain/order.js';
import { type HoldingView, type PositionView, averagePrice, unrealizedPnl } from '../domain/position.js';
import type { ExchangeState } from './exchange-state.js';
import type { MarketData } from './market-data.js';

export class AccountViews {
  constructor(
    private readonly state: ExchangeState,
    private readonly instruments: InstrumentLookup,
    private readonly market: MarketData,
  ) {}

  /** The session's orders (and older ones still working), in placement order; copies. */
  orders(accountId: string): Order[] {
    const book = this.state.ledger.account(accountId);
    if (!book) return [];
    return [...book.orders.values()]
      .filter((o) => o.createdAt >= book.sessionStart || isWorking(o.status))
      .map((o) => ({ ...o }));
  }

  /** The session's fills. */
  trades(accountId: string): Fill[] {
    const book = this.state.ledger.account(accountId);
    return book ? book.trades.filter((t) => t.at >= book.sessionStart) : [];
  }

  /** The fills of one order, oldest first; none for an order the exchange does not know or has forgotten. */
  fillsOf(accountId: string, orderId: string): Fill[] {
    return [...this.state.ledger.fillsOf(accountId, orderId)];
  }

  /** Delivery holdings carried from earlier sessions, marked to the market. */
  holdings(accountId: string): HoldingView[] {
    return [...(this.state.ledger.account(accountId)?.holdings.values() ?? [])].map((holding) => {
      const instrument = this.instruments.require(holding.symbol, holding.exchange);
      return {
        symbol: holding.symbol,
        exchange: holding.exchange,
        currency: instrument.currency,
        quantity: holding.quantity,
        cost: holding.cost,
        averagePrice: div(holding.cost, holding.quantity),
        lastPrice: this.market.quote(instrument).lastPrice,
      };
    });
  }

  /** Every position the account has held this session, closed ones included, marked to the market's last price. */
  positions(accountId: string): PositionView[] {
    const book = this.state.ledger.account(accountId);
    if (!book) return [];
    return [...book.positions.values()].map((position) => {
      const instrument = this.instruments.require(position.symbol, position.exchange);
      const lastPrice = this.market.quote(instrument).lastPrice;
      return {
        symbol: position.symbol,
        exchange: position.exchange,
        product: position.product,
        currency: instrument.currency,
        quantity: position.quantity,
        averagePrice: averagePrice(position),
        lastPrice,
        realizedPnl: position.realizedPnl,
        unrealizedPnl: unrealizedPnl(position, lastPrice),
      };
    });
  }
}
