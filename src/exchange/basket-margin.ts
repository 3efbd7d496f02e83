// What a basket of positions needs on the paper exchange, all legs together: each leg's margin by the exchange's own
// rules (margin.ts: what an order for it blocks), less the hedge benefit a scenario scan finds among the legs on one
// underlying. The model is `basketMargin`'s comment; `priceBasket` prices the legs as orders for them would be.
import { type Currency, HOME_CURRENCY } from '../domain/currency.js';
import {
  type Decimal,
  ONE,
  ZERO,
  add,
  cmp,
  dec,
  div,
  isMultipleOf,
  max,
  min,
  mul,
  neg,
  roundToStep,
  sub,
  toNumber,
  toString,
} from '../domain/decimal.js';
import { InvalidOrder } from '../domain/errors.js';
import { INDEX_EXCHANGES, type Instrument, type InstrumentLookup, isDerivative, isFuture, isOption } from '../domain/instrument.js';
import type { BasketMargin, MarginLeg } from '../domain/margin-basket.js';
import { type Product, type Side, hasLimitPrice, isStopType } from '../domain/order.js';
import { allowsFractionalQuantity, fractionalQuantityMessage } from '../domain/order-rules.js';
import { type MarginRates, exposureMargin } from './margin.js';
import type { MarketData } from './market-data.js';
import { marketProfile } from './market/market-profile.js';
import { CARRY_RATE, blackScholes, expiryInstant, yearsToExpiry } from './option-pricing.js';

/** Annual volatility the scan shifts each option's implied volatility by, down and up (SPAN's volatility scan range). */
export const VOLATILITY_SHIFT = 0.04;
/** The underlying moves the scan tries, in thirds of the futures margin rate (SPAN's seven price points). */
const MOVE_THIRDS = [-3, -2, -1, 0, 1, 2, 3] as const;
/** The lowest volatility an option is revalued at when the scan shifts it down. */
const MIN_VOLATILITY = 0.01;
const PAISA = dec('0.01');

/** One leg as the model sees it: priced, and with what the scan needs to revalue it. */
export interface PricedLeg {
  instrument: Instrument;
  side: Side;
  product: Product;
  quantity: Decimal;
  /** The price an order for the leg would block margin at: its limit, else its trigger, else the opposite best price. */
  price: Decimal;
  /** How the scan revalues the leg; absent for cash equity and for an option whose underlying has no price here. */
  risk?: LegRisk;
}

/** Futures move with their underlying; options are revalued by Black-Scholes at the moved spot. */
export type LegRisk =
  | { kind: 'future'; underlying: string }
  | {
      kind: 'option';
      underlying: string;
      right: 'call' | 'put';
      spot: number;
      strike: number;
      /** Years to expiry; zero or less is intrinsic value. */
      years: number;
      /** The implied volatility the simulator prices the option at. */
      volatility: number;
    };

/**
 * The margin of a basket, in the currency of its legs (legs in two currencies are refused: no sum mixes them).
 *
 * Each leg alone needs what the exchange blocks for an order opening it (`exposureMargin`; a CNC sale nothing, it
 * sells shares held). Legs without a scan (cash equity, options whose underlying has no price) need exactly that:
 * bought options as premium, the rest as exposure. The futures and options on one underlying are scanned together:
 * the underlying moves by 0, ±1/3, ±2/3 and ±3/3 of the futures margin rate, each with the options' volatility
 * shifted down and up by VOLATILITY_SHIFT (14 scenarios); futures move with it, options are revalued by Black-Scholes
 * (their value changes rounded to the paisa, or cent, per unit). For such a group:
 * - bought options need their premium, paid in full; in the scan they only count where they gain, since what they can
 *   lose is that premium;
 * - span is the group's worst scenario loss (never below 0);
 * - exposure is what the exchange's rules block beyond each other leg's own worst loss (a future's is exactly its
 *   margin, so 0; a sold option's is 10 % of its strike notional less its worst loss);
 * - the group needs premium + span + exposure, never more than its legs alone.
 * So a leg alone needs what an order for it blocks, legs on different underlyings need their sum, and legs that hedge
 * each other need less: their worst loss together is below the sum of their worst losses. `benefit` is the legs'
 * margins alone less the total.
 */
export function basketMargin(rates: MarginRates, legs: readonly PricedLeg[]): BasketMargin {
  const currency = currencyOfLegs(legs);
  let span = ZERO;
  let exposure = ZERO;
  let premium = ZERO;
  let alone = ZERO;
  const groups = new Map<string, PricedLeg[]>();
  for (const leg of legs) {
    const margin = legMargin(rates, leg);
    alone = add(alone, margin);
    if (leg.risk) {
      const group = groups.get(leg.risk.underlying);
      if (group) group.push(leg);
      else groups.set(leg.risk.underlying, [leg]);
    } else if (isBoughtOption(leg)) premium = add(premium, margin);
    else exposure = add(exposure, margin);
  }
  for (const group of groups.values()) {
    const scanned = groupMargin(rates, group);
    span = add(span, scanned.span);
    exposure = add(exposure, scanned.exposure);
    premium = add(premium, scanned.premium);
  }
  const total = add(add(span, exposure), premium);
  return { currency, total, span, exposure, benefit: sub(alone, total) };
}

/** What the exchange blocks for an order opening the leg (a CNC sale sells shares held: nothing). */
function legMargin(rates: MarginRates, leg: PricedLeg): Decimal {
  if (leg.product === 'CNC' && leg.side === 'SELL') return ZERO;
  return exposureMargin(rates, leg.instrument, leg.product, leg.side, leg.quantity, leg.price);
}

/** Where the basket's prices come from. */
export interface BasketMarket {
  instruments: InstrumentLookup;
  market: Pick<MarketData, 'quote'>;
  /** The listed spot or index a derivative is priced from, if any. */
  underlyingOf: (instrument: Instrument) => Instrument | undefined;
  now: number;
}

/**
 * The legs priced as orders for them would be, each checked as the exchange checks an order's terms (quote-only
 * indices, whole and lot-sized quantities, CNC only for equity), except the freeze quantity: a position may be larger
 * than one order. Unknown symbols are InstrumentNotFound; a broken rule is InvalidOrder naming the position (1-based).
 */
export function priceBasket(legs: readonly MarginLeg[], { instruments, market, underlyingOf, now }: BasketMarket): PricedLeg[] {
  return legs.map((leg, index) => {
    const instrument = instruments.require(leg.symbol, leg.exchange);
    const refusal = termsRefusal(leg, instrument);
    if (refusal !== undefined) throw new InvalidOrder(`Position ${index + 1}: ${refusal}`);
    const price = blockingPrice(leg, market.quote(instrument));
    const priced: PricedLeg = { instrument, side: leg.side, product: leg.product, quantity: leg.quantity, price };
    const risk = riskOf(instrument, underlyingOf(instrument), market, now);
    if (risk) priced.risk = risk;
    return priced;
  });
}

/** As the exchange blocks an order's margin (`referencePrice`): the limit, else the trigger, else the opposite best
 * price. A price of 0 is OpenAlgo's "not given" and means the market. */
function blockingPrice(leg: MarginLeg, quote: { bid: Decimal; ask: Decimal }): Decimal {
  const given = (price: Decimal | undefined): price is Decimal => price !== undefined && cmp(price, ZERO) > 0;
  if (hasLimitPrice(leg.type) && given(leg.limitPrice)) return leg.limitPrice;
  if (isStopType(leg.type) && given(leg.stopPrice)) return leg.stopPrice;
  return leg.side === 'BUY' ? quote.ask : quote.bid;
}

function termsRefusal(leg: MarginLeg, instrument: Instrument): string | undefined {
  if (INDEX_EXCHANGES.has(instrument.exchange)) return `${instrument.exchange} is quote-only: indices cannot be traded`;
  if (!allowsFractionalQuantity(instrument.exchange) && !isMultipleOf(leg.quantity, ONE)) {
    return fractionalQuantityMessage(toString(leg.quantity));
  }
  if (!isMultipleOf(leg.quantity, instrument.lotSize)) return `Quantity must be in multiples of lot size ${toString(instrument.lotSize)}`;
  if (leg.product === 'CNC' && isDerivative(instrument)) return `CNC is for equity delivery; use NRML or MIS for ${instrument.symbol}`;
  return undefined;
}

function riskOf(
  instrument: Instrument,
  underlying: Instrument | undefined,
  market: Pick<MarketData, 'quote'>,
  now: number,
): LegRisk | undefined {
  // Legs group by the listed underlying; futures without one (MCX, CDS, crypto) by their exchange and underlying name.
  const group = underlying ? `${underlying.exchange}:${underlying.symbol}` : `${instrument.exchange}:${instrument.underlying}`;
  if (isFuture(instrument)) return { kind: 'future', underlying: group };
  if (!isOption(instrument) || !underlying || instrument.strike === undefined) return undefined;
  return {
    kind: 'option',
    underlying: group,
    right: instrument.instrumentType === 'CE' ? 'call' : 'put',
    spot: toNumber(market.quote(underlying).lastPrice),
    strike: toNumber(instrument.strike),
    years: instrument.expiry === undefined ? 0 : yearsToExpiry(expiryInstant(instrument.expiry), now),
    volatility: marketProfile(underlying).annualVolatility,
  };
}

// ---------------------------------------------------------------------------------------------------------
// The scan of one underlying's legs.

interface Scenario {
  /** The underlying's move as a fraction, exact (futures) and as a double (options). */
  move: Decimal;
  moveNumber: number;
  volatilityShift: number;
}

function scenarios(rates: MarginRates): Scenario[] {
  const list: Scenario[] = [];
  for (const thirds of MOVE_THIRDS) {
    const move = div(mul(rates.futures, dec(thirds)), dec(3));
    for (const volatilityShift of [-VOLATILITY_SHIFT, VOLATILITY_SHIFT]) {
      list.push({ move, moveNumber: (toNumber(rates.futures) * thirds) / 3, volatilityShift });
    }
  }
  return list;
}

function groupMargin(rates: MarginRates, legs: readonly PricedLeg[]): { span: Decimal; exposure: Decimal; premium: Decimal } {
  const scan = scenarios(rates);
  let premium = ZERO;
  let beyondScan = ZERO;
  let alone = ZERO;
  const groupLoss = scan.map(() => ZERO);
  for (const leg of legs) {
    const margin = legMargin(rates, leg);
    alone = add(alone, margin);
    const losses = scan.map((scenario) => scenarioLoss(leg, scenario));
    const bought = isBoughtOption(leg);
    if (bought) premium = add(premium, margin);
    else beyondScan = add(beyondScan, sub(margin, min(margin, worstOf(losses))));
    losses.forEach((loss, at) => {
      groupLoss[at] = add(groupLoss[at] ?? ZERO, bought ? min(loss, ZERO) : loss);
    });
  }
  const worst = worstOf(groupLoss);
  const total = min(alone, add(add(premium, worst), beyondScan));
  const span = min(worst, sub(total, premium));
  return { span, exposure: sub(sub(total, premium), span), premium };
}

/** The leg's loss in a scenario (negative: a gain). */
function scenarioLoss(leg: PricedLeg, scenario: Scenario): Decimal {
  const risk = leg.risk;
  if (!risk) return ZERO;
  let change: Decimal;
  if (risk.kind === 'future') {
    change = mul(mul(leg.price, leg.quantity), scenario.move);
  } else {
    const terms = { right: risk.right, strike: risk.strike, years: risk.years, rate: CARRY_RATE };
    const now = blackScholes({ ...terms, spot: risk.spot, volatility: risk.volatility });
    const moved = blackScholes({
      ...terms,
      spot: risk.spot * (1 + scenario.moveNumber),
      volatility: Math.max(MIN_VOLATILITY, risk.volatility + scenario.volatilityShift),
    });
    change = mul(roundToStep(dec((moved - now).toFixed(8)), PAISA), leg.quantity);
  }
  return leg.side === 'BUY' ? neg(change) : change;
}

function worstOf(losses: readonly Decimal[]): Decimal {
  return losses.reduce((worst, loss) => max(worst, loss), ZERO);
}

function isBoughtOption(leg: PricedLeg): boolean {
  return isOption(leg.instrument) && leg.side === 'BUY';
}

function currencyOfLegs(legs: readonly PricedLeg[]): Currency {
  const currencies = [...new Set(legs.map((leg) => leg.instrument.currency))];
  if (currencies.length > 1) {
    throw new InvalidOrder(`The positions are in ${currencies.join(' and ')}: ask for the margin of each currency's positions apart`);
  }
  return currencies[0] ?? HOME_CURRENCY;
}
