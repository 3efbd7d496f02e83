// Good-till-triggered orders (GTT): a resting trigger on one instrument that, when the last price crosses it, places
// its child order. A `single` GTT has one leg; a `two-leg` (OCO) GTT has a stop-loss leg below the market and a target
// leg above it, and whichever is crossed first fires while the other is dropped. The model and its pure rules.
import { type Decimal, ZERO, cmp, isMultipleOf, toReadable, toString } from './decimal.js';
import { InvalidOrder } from './errors.js';
import { istDate } from './clock.js';
import type { Exchange, Instrument } from './instrument.js';
import { checkOrderTerms } from './order-rules.js';
import type { OrderRequest, Product, Side } from './order.js';

export type GttTriggerType = 'single' | 'two-leg';
export type GttStatus = 'active' | 'triggered' | 'cancelled' | 'expired';
/** The child order's type: a limit at the leg's price, or market. */
export type GttOrderType = 'LIMIT' | 'MARKET';
/** Which way the price must move to reach the trigger: a stop-loss trigger sits below the market, a target above. */
export type TriggerDirection = 'below' | 'above';
/**
 * Whose a GTT is: `live` (placed with the account's analyzer switch off; quotes and fires on the account's own broker)
 * or `sandbox` (placed in analyzer mode; quotes and fires in the analyzer's sandbox). Each is listed, modified and
 * cancelled only in its own mode, and fires in it whatever the switch says later.
 */
export type GttMode = 'live' | 'sandbox';

export interface GttLeg {
  direction: TriggerDirection;
  triggerPrice: Decimal;
  /** The child order's limit price (shown, but not used, for a MARKET child). */
  price: Decimal;
}

/** What a client asks for when placing or replacing a GTT. */
export interface GttSpec {
  accountId: string;
  strategy: string;
  triggerType: GttTriggerType;
  symbol: string;
  exchange: Exchange;
  side: Side;
  quantity: Decimal;
  product: Product;
  orderType: GttOrderType;
  /** One leg (single) or two, stop-loss (below) first, target (above) second. */
  legs: readonly GttLeg[];
}

export interface Gtt extends GttSpec {
  id: string;
  mode: GttMode;
  /** The last price when the GTT was placed (or last modified). */
  lastPrice: Decimal;
  status: GttStatus;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  /** Index in `legs` of the leg that fired (status `triggered`). */
  firedLeg?: number;
  firedAt?: number;
  /** The child order, once placed (it may itself be rejected: see the order book). */
  orderId?: string;
  /** Why the child order could not be placed at all. */
  rejectReason?: string;
}

/** A GTT id as OpenAlgo's sandbox makes them: `GTT-`, the IST date as YYMMDD, `-` and 8 random hex digits. */
export function gttId(now: number, randomHex: string): string {
  return `GTT-${istDate(now).slice(2).replaceAll('-', '')}-${randomHex}`;
}

/** A GTT with no expiry of the client's rests this long (OpenAlgo's sandbox and Zerodha: 365 days). */
export const GTT_LIFETIME_MS = 365 * 24 * 3600 * 1000;

/** When a GTT created at `createdAt` expires: at `requested` when that is sooner than a year, else after a year. */
export function gttExpiry(createdAt: number, requested?: number): number {
  const longest = createdAt + GTT_LIFETIME_MS;
  return requested === undefined ? longest : Math.min(requested, longest);
}

/** Whether the last price has reached the leg's trigger (inclusive, as stop orders are). */
export function legReached(leg: GttLeg, lastPrice: Decimal): boolean {
  const order = cmp(lastPrice, leg.triggerPrice);
  return leg.direction === 'below' ? order <= 0 : order >= 0;
}

/**
 * The index of the leg `lastPrice` fires, or undefined when it fires none. Legs of a valid GTT never overlap (the
 * stop-loss trigger lies below the target's), so at most one is reached; the first reached is taken all the same.
 */
export function firingLeg(gtt: Pick<Gtt, 'legs'>, lastPrice: Decimal): number | undefined {
  const index = gtt.legs.findIndex((leg) => legReached(leg, lastPrice));
  return index < 0 ? undefined : index;
}

/** Whether the GTT has outlived its expiry at `now`. */
export const isExpired = (gtt: Pick<Gtt, 'expiresAt'>, now: number): boolean => now >= gtt.expiresAt;

/** The child order a leg places when it fires; `clientOrderId` names it so that a retried firing finds it. */
export function childOrder(gtt: Gtt, legIndex: number): OrderRequest {
  const leg = gtt.legs[legIndex];
  if (!leg) throw new RangeError(`GTT ${gtt.id} has no leg ${legIndex}`);
  return {
    accountId: gtt.accountId,
    symbol: gtt.symbol,
    exchange: gtt.exchange,
    side: gtt.side,
    quantity: gtt.quantity,
    type: gtt.orderType,
    limitPrice: gtt.orderType === 'LIMIT' ? leg.price : undefined,
    product: gtt.product,
    timeInForce: 'DAY',
    strategyTag: gtt.strategy,
    clientOrderId: gttClientOrderId(gtt.id),
  };
}

/** The client order id of a GTT's child order. */
export const gttClientOrderId = (gttId: string): string => `gtt:${gttId}`;

/**
 * Throws InvalidOrder unless the GTT can rest on the instrument at `lastPrice`: the legs' shape (one, or stop-loss
 * below target), each trigger positive, on the tick and on its side of the market (one reached already would fire at
 * once), and each child order within the instrument's rules (lot, freeze quantity, limit price on the tick, product).
 */
export function checkGtt(spec: GttSpec, instrument: Instrument, lastPrice: Decimal): void {
  const { legs } = spec;
  const expected = spec.triggerType === 'single' ? 1 : 2;
  if (legs.length !== expected) throw new InvalidOrder(`A ${spec.triggerType} GTT has ${expected} leg(s), not ${legs.length}`);
  if (spec.triggerType === 'two-leg') {
    const [stopLoss, target] = legs as [GttLeg, GttLeg];
    if (stopLoss.direction !== 'below' || target.direction !== 'above' || cmp(stopLoss.triggerPrice, target.triggerPrice) >= 0) {
      throw new InvalidOrder('Stoploss trigger must be less than target trigger.');
    }
  }
  for (const leg of legs) {
    if (cmp(leg.triggerPrice, ZERO) <= 0) throw new InvalidOrder('Trigger price must be greater than 0');
    if (!isMultipleOf(leg.triggerPrice, instrument.tickSize)) {
      throw new InvalidOrder(
        `Trigger price ${toReadable(leg.triggerPrice)} is not a multiple of the tick size ${toString(instrument.tickSize)}`,
      );
    }
    if (legReached(leg, lastPrice)) {
      throw new InvalidOrder(
        `Trigger price ${toReadable(leg.triggerPrice)} must be ${leg.direction} the last price ${toString(lastPrice)}`,
      );
    }
    checkOrderTerms(
      {
        side: spec.side,
        quantity: spec.quantity,
        type: spec.orderType,
        limitPrice: spec.orderType === 'LIMIT' ? leg.price : undefined,
        product: spec.product,
      },
      instrument,
    );
  }
}
