// What the market does to orders, as journal events: the fills (and cancellations) of a marketable order, and the
// matching pass that triggers stops and fills crossed limits among the working orders.
import { type Decimal, isZero, sub } from '../domain/decimal.js';
import type { ExchangeEvent } from '../domain/events.js';
import type { Instrument, InstrumentLookup } from '../domain/instrument.js';
import { type Order, fillOf, hasLimitPrice } from '../domain/order.js';
import type { ExchangeState } from './exchange-state.js';
import type { MarketData } from './market-data.js';
import { type Execution, limitCrossed, stopTriggered, sweep } from './matching.js';

export class Executions {
  constructor(
    private readonly state: ExchangeState,
    private readonly instruments: InstrumentLookup,
    private readonly market: MarketData,
  ) {}

  /** The executions of a marketable order (MARKET, or a LIMIT that crosses), plus the cancellation of what must not rest. */
  marketable(order: Order, instrument: Instrument, quantity: Decimal, now: number): ExchangeEvent[] {
    const limit = hasLimitPrice(order.type) ? order.limitPrice : undefined;
    const levels = this.market.liquidity(instrument, order.side === 'BUY' ? 'ask' : 'bid');
    const result = sweep(order.side, quantity, levels, limit);
    if (order.timeInForce === 'FOK' && !isZero(result.remaining)) {
      return [cancelEvent(order, 'FOK order could not be filled in full', now)];
    }
    const events: ExchangeEvent[] = result.executions.map((execution) => this.fillEvent(order, execution, now));
    if (!isZero(result.remaining)) {
      if (limit === undefined) {
        events.push(cancelEvent(order, 'No liquidity left within the market protection band', now));
      } else if (order.timeInForce === 'IOC') {
        events.push(cancelEvent(order, 'IOC order remainder cancelled', now));
      }
    }
    return events;
  }

  /** Every working order against the market as it is now: stops whose trigger is reached, limits the market crossed. */
  matchWorking(now: number): ExchangeEvent[] {
    const events: ExchangeEvent[] = [];
    for (const order of this.state.ledger.working.values()) {
      const instrument = this.instruments.require(order.symbol, order.exchange);
      const quote = this.market.quote(instrument);
      const remaining = sub(order.quantity, order.filledQuantity);
      if (order.status === 'trigger_pending') {
        if (order.stopPrice === undefined || !stopTriggered(order.side, order.stopPrice, quote.lastPrice)) continue;
        events.push({ type: 'order.triggered', accountId: order.accountId, orderId: order.id, at: now });
        events.push(...this.marketable(order, instrument, remaining, now));
      } else if (order.limitPrice !== undefined && limitCrossed(order.side, order.limitPrice, quote.bid, quote.ask)) {
        events.push(this.fillEvent(order, { price: order.limitPrice, quantity: remaining }, now));
      }
    }
    return events;
  }

  private fillEvent(order: Order, execution: Execution, now: number): ExchangeEvent {
    return {
      type: 'order.fill',
      accountId: order.accountId,
      fill: fillOf(order, this.state.ids.nextTradeId(now), execution.quantity, execution.price, now),
      at: now,
    };
  }
}

export function cancelEvent(order: Order, reason: string, now: number): ExchangeEvent {
  return { type: 'order.cancelled', accountId: order.accountId, orderId: order.id, reason, at: now };
}
