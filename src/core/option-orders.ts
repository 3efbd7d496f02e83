// Option orders by offset from the money (OpenAlgo's optionsorder and optionsmultiorder): the contract is resolved
// against the underlying's price, then placed as any order is (split into children when asked). A multi-leg order
// reads the underlying once for every leg, places BUY legs before SELL legs (margin benefit), and a failing leg does
// not stop the others.
import { copyWith } from '../domain/objects.js';
import type { Decimal } from '../domain/decimal.js';
import { DomainError } from '../domain/errors.js';
import type { Exchange, Instrument, InstrumentCatalog } from '../domain/instrument.js';
import type { Order, OrderRequest } from '../domain/order.js';
import type { OrderPacer } from './order-pacer.js';
import {
  type OptionPick,
  type OptionTarget,
  type ResolvedOption,
  type UnderlyingReference,
  currentOption,
  resolveOption,
  underlyingPrice,
  underlyingReference,
} from './option-resolution.js';
import { type ChildResult, MAX_SPLIT_ORDERS, placeSplitOrder, splitQuantities } from './split-order.js';
import type { TradingService } from './trading.js';

/** The order to place on whichever contract the offset resolves to: a neutral request without its instrument. */
export type OptionOrderTerms = Omit<OrderRequest, 'symbol' | 'exchange'>;

export interface OptionOrder extends OptionPick {
  terms: OptionOrderTerms;
  /** Children of this size (the remainder last) instead of one order; undefined or zero for one order. */
  splitSize?: Decimal;
}

/** One placed order, or the children of a split. */
export type OptionPlacement = { order: Order } | { children: ChildResult[] };

export interface PlacedOptionOrder {
  reference: UnderlyingReference;
  underlyingPrice: Decimal;
  option: ResolvedOption;
  placement: OptionPlacement;
}

/** Resolves the contract against the underlying's last price and places the order on it. */
export async function placeOptionOrder(
  trading: TradingService,
  catalog: InstrumentCatalog,
  target: OptionTarget,
  order: OptionOrder,
  pace: OrderPacer,
): Promise<PlacedOptionOrder> {
  const { accountId } = order.terms;
  const quote = (symbol: string, exchange: Exchange) => trading.getQuote(accountId, symbol, exchange);
  const current = await currentOption(catalog, quote, target, order);
  const placement = await place(trading, current.option.instrument, order, skippingFirst(pace));
  return { ...current, placement };
}

async function place(trading: TradingService, contract: Instrument, order: OptionOrder, pace: OrderPacer): Promise<OptionPlacement> {
  const request: OrderRequest = copyWith(order.terms, { symbol: contract.symbol, exchange: contract.exchange });
  if (order.splitSize === undefined || order.splitSize <= 0n) {
    await pace();
    return { order: await trading.placeOrder(request) };
  }
  return { children: await placeSplitOrder(trading, request, order.splitSize, pace) };
}

/** The request itself counted one order against the key's budget: its first placement is that one. */
function skippingFirst(pace: OrderPacer): OrderPacer {
  let first = true;
  return async () => {
    if (first) {
      first = false;
      return;
    }
    await pace();
  };
}

// -------------------------------------------------------------------------------------------------------------------
// Multi-leg orders

export interface OptionLeg extends OptionOrder {
  /** `DDMMMYY` for this leg alone (calendars, diagonals); the request's otherwise. */
  expiry?: string;
}

export const MAX_OPTION_LEGS = 20;

/** A leg's outcome: where it failed (unresolved legs have no contract), its order, or its split children. */
export type LegOutcome =
  | { leg: number; contract?: Instrument; error: string }
  | { leg: number; contract: Instrument; order: Order }
  | { leg: number; contract: Instrument; children: ChildResult[] };

export interface PlacedOptionLegs {
  /** Undefined when the underlying could not be priced (then every leg failed with that reason). */
  underlyingPrice?: Decimal;
  /** In leg order (1-based `leg`), whatever order they were placed in. */
  outcomes: LegOutcome[];
}

/**
 * Places the legs against one underlying price: BUY legs first, then SELL legs, each group in request order. A leg that
 * cannot be resolved or placed is reported with its reason; the others still go.
 */
export async function placeOptionLegs(
  trading: TradingService,
  catalog: InstrumentCatalog,
  accountId: string,
  target: OptionTarget,
  legs: readonly OptionLeg[],
  pace: OrderPacer,
): Promise<PlacedOptionLegs> {
  let price: Decimal | undefined;
  let unpriced: string | undefined;
  try {
    const reference = underlyingReference(catalog, target);
    price = (await underlyingPrice(reference, (symbol, exchange) => trading.getQuote(accountId, symbol, exchange))).lastPrice;
  } catch (error) {
    unpriced = errorMessage(error);
  }
  const paced = skippingFirst(pace);
  const outcomes = new Array<LegOutcome>(legs.length);
  const sendOrder = legs.map((leg, index) => ({ leg, index })).sort((a, b) => sideRank(a.leg) - sideRank(b.leg));
  for (const { leg, index } of sendOrder) {
    const number = index + 1;
    if (price === undefined) {
      outcomes[index] = { leg: number, error: unpriced ?? '' };
      continue;
    }
    outcomes[index] = await placeLeg(trading, catalog, target, leg, number, price, paced);
  }
  return { underlyingPrice: price, outcomes };
}

async function placeLeg(
  trading: TradingService,
  catalog: InstrumentCatalog,
  target: OptionTarget,
  leg: OptionLeg,
  number: number,
  price: Decimal,
  pace: OrderPacer,
): Promise<LegOutcome> {
  let contract: Instrument;
  try {
    const reference = underlyingReference(catalog, copyWith(target, { expiry: leg.expiry ?? target.expiry }));
    contract = resolveOption(catalog, reference, leg, price, target.strikeInterval).instrument;
  } catch (error) {
    return { leg: number, error: errorMessage(error) };
  }
  if (leg.splitSize !== undefined && leg.splitSize > 0n && !splitsWithinLimit(leg.terms.quantity, leg.splitSize)) {
    return { leg: number, contract, error: `Split orders would exceed maximum limit of ${MAX_SPLIT_ORDERS} per leg` };
  }
  try {
    const placement = await place(trading, contract, leg, pace);
    if ('order' in placement && placement.order.status === 'rejected') {
      return { leg: number, contract, error: placement.order.rejectReason ?? 'Order rejected' };
    }
    return { leg: number, contract, ...placement };
  } catch (error) {
    return { leg: number, contract, error: errorMessage(error) };
  }
}

function splitsWithinLimit(quantity: Decimal, size: Decimal): boolean {
  try {
    splitQuantities(quantity, size);
    return true;
  } catch (error) {
    if (error instanceof DomainError) return false;
    throw error;
  }
}

function sideRank(leg: OptionLeg): number {
  return leg.terms.side === 'SELL' ? 1 : 0;
}

/** Domain errors end one leg; anything else is a bug and ends the request. */
function errorMessage(error: unknown): string {
  if (error instanceof DomainError) return error.message;
  throw error;
}
