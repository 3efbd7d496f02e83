// What every order passes in the core before any broker sees it: the instrument's rules (lot, tick, freeze quantity,
// price and trigger relations, fractional venues), then the pre-trade risk hook. The risk engine plugs in here, with
// no dialect or broker changed; until then the hook lets everything through.
import type { InstrumentLookup, Instrument } from '../domain/instrument.js';
import type { OrderRequest } from '../domain/order.js';
import { checkOrderTerms } from '../domain/order-rules.js';

/** Refuses an order by throwing a domain error (InvalidOrder, InsufficientFunds, …); may be asynchronous. */
export interface PreTradeCheck {
  check(request: OrderRequest, instrument: Instrument): void | Promise<void>;
}

/** The default hook: no risk rules yet. */
export const NO_RISK_RULES: PreTradeCheck = { check: () => undefined };

/** The instrument's rules, then the hook; a promise only when the hook returned one (the paper path stays synchronous). */
export function checkBeforeBroker(
  preTrade: PreTradeCheck,
  request: OrderRequest,
  instruments: InstrumentLookup,
): void | Promise<void> {
  const instrument = instruments.require(request.symbol, request.exchange);
  checkOrderTerms(request, instrument);
  return preTrade.check(request, instrument);
}
