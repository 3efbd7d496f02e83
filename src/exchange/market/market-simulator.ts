// The simulated market of the paper exchange: a deterministic price process, quote and book for every instrument,
// with controls that let tests pin prices and books exactly. Rules that other modules may rely on:
//
// - Same seed and same clock instants (and the same setPrice/setBook calls) give the same quotes and books, whatever
//   was asked before. Time is cut into IST days from 2020-01-01 and `stepMs` steps; everything is constant in a step.
// - Prices are on the instrument's tick grid and at least one tick; quantities are whole multiples of its lot size.
// - Walks: spot instruments (EQ, INDEX, futures without an underlying, crypto) follow a mean-reverting geometric walk
//   around their referencePrice (annual volatility: indices 14%, equities 20–30% fixed per symbol, MCX 22%, CDS 6%,
//   crypto 60%). Derivatives with an underlying: futures = spot × (1 + 6.5% × days to 15:30 IST on expiry / 365);
//   options = Black-Scholes (r 6.5%, IV = the underlying's volatility), intrinsic after expiry; never below one tick.
// - Half-spread (ticks from last to best bid and to best ask): 2 for options (CE/PE), 1 for everything else; a walking
//   market widens it by one more tick in about one step of five.
// - Frozen market (`frozen: true`): every instrument's last price is its referencePrice (rounded to the tick) or the
//   last price set, forever; derivatives do not follow their underlying. Its book is a fixed ladder, the same for
//   every seed: level n (1-based) at last ∓ (halfSpread + n − 1) ticks with n × L lots in n orders, where L is 100
//   for equities, indices and crypto and 10 for futures and options. E.g. an EQ with tick 0.05, lot 1 at 100:
//   bids 99.95×100, 99.90×200, 99.85×300, 99.80×400, 99.75×500; asks 100.05×100, …, 100.25×500. A future with
//   lot 75, tick 0.10 at 25000: bids 24999.90×750, 24999.80×1500, …; an option with lot 75, tick 0.05 at 120:
//   bids 119.90×750, 119.85×1500, …; asks 120.10×750, 120.15×1500, ….
// - Bids never go below one tick (the best bid is clamped to one tick, deeper bids below it are absent); liquidity()
//   continues either ladder past the displayed levels until 20% from the touch.
// - setBook pins the book exactly: book() shows it (cut to the levels asked), liquidity() yields only its levels, and
//   quote().bid/ask are its best prices, or the last price for an empty side. setPrice clears it.
import { copyWith } from '../../domain/objects.js';
import type { Clock } from '../../domain/clock.js';
import type { MarketQuote } from '../../domain/market.js';
import {
  type Decimal,
  ZERO,
  cmp,
  dec,
  isMultipleOf,
  max,
  min,
  mul,
  roundToStep,
  toNumber,
  toString,
} from '../../domain/decimal.js';
import { type Instrument, isFuture, isOption } from '../../domain/instrument.js';
import { type MarketProfile, marketProfile } from './market-profile.js';
import { stepTime, stepsPerDay } from './market-time.js';
import { blackScholes, CARRY_RATE, daysToExpiry, expiryInstant, futurePrice, yearsToExpiry } from '../option-pricing.js';
import {
  type Book,
  type BookLevel,
  type BookSide,
  DISPLAYED_LEVELS,
  firstLevels,
  frozenShape,
  ladder,
  walkingShape,
} from './order-book.js';
import { type PriceOverride, PriceOverrides, offsetAt } from './price-overrides.js';
import { type PricePoint, SpotProcess } from './price-process.js';
import { streamKey, subKey } from './random.js';
import { TradeFlow } from './trade-flow.js';

export type { Book, BookLevel, BookSide } from './order-book.js';

/** The simulator's quote: the domain's market quote. */
export type Quote = MarketQuote;

export interface MarketOptions {
  seed: number;
  clock: Clock;
  /** Length of one step of the walk; default 1000 ms. */
  stepMs?: number;
  /** The spot or index a derivative is priced from; undefined for instruments that walk on their own. */
  underlyingOf?: (instrument: Instrument) => Instrument | undefined;
  /** Prices never move unless set. */
  frozen?: boolean;
}

const DEFAULT_STEP_MS = 1000;
/** Longest chain derivative → underlying followed (an option on a future on a spot). */
const MAX_UNDERLYING_DEPTH = 4;

// Everything the simulator keeps about one instrument.
interface InstrumentState {
  instrument: Instrument;
  profile: MarketProfile;
  tickSize: Decimal;
  tick: number;
  reference: Decimal;
  overrides: PriceOverrides;
  flow: TradeFlow;
  bookKey: number;
  /** Present when the instrument walks on its own. */
  spot?: SpotProcess;
  /** Present when the instrument is priced from an underlying. */
  derived?: DerivedPricing;
  pinnedBook?: { bids: BookLevel[]; asks: BookLevel[] };
  /** The last step computed, reused while the clock stays in that step and nothing was set since. */
  cache?: StepCache;
}

interface StepCache {
  stepStart: number;
  version: number;
  quote: Omit<Quote, 'at'>;
  book?: { bids: BookLevel[]; asks: BookLevel[] };
}

interface DerivedPricing {
  underlying: InstrumentState;
  fair: (spot: number, at: number) => number;
  /** True when the fair value falls as the underlying rises (puts). */
  inverse: boolean;
}

// A quote's prices before the bid/ask and volume are added.
interface Prices {
  lastPrice: Decimal;
  open: Decimal;
  high: Decimal;
  low: Decimal;
  previousClose: Decimal;
}

export class MarketSimulator {
  private readonly seed: number;
  private readonly clock: Clock;
  private readonly stepMs: number;
  private readonly frozen: boolean;
  private readonly underlyingOf: (instrument: Instrument) => Instrument | undefined;
  private readonly states = new Map<string, InstrumentState>();
  /** Bumped by every setPrice and setBook: a cached step is valid only for the version it was computed in. */
  private version = 0;

  constructor(options: MarketOptions) {
    const stepMs = options.stepMs ?? DEFAULT_STEP_MS;
    if (!Number.isInteger(stepMs) || stepMs <= 0) throw new RangeError(`stepMs must be a positive integer, got ${stepMs}`);
    if (!Number.isFinite(options.seed)) throw new RangeError(`seed must be a finite number, got ${options.seed}`);
    this.seed = options.seed;
    this.clock = options.clock;
    this.stepMs = stepMs;
    this.frozen = options.frozen ?? false;
    this.underlyingOf = options.underlyingOf ?? (() => undefined);
  }

  /** The instrument's state at the clock's now. */
  quote(instrument: Instrument): Quote {
    return this.quoteAt(instrument, this.clock.now());
  }

  /** The instrument's state at any instant (a past one may recompute that day from its start). */
  quoteAt(instrument: Instrument, at: number): Quote {
    return copyWith(this.stepCache(this.state(instrument), at).quote, { at });
  }

  /**
   * The earliest instant from which a `setPrice` (on the instrument or on an underlying it is priced from) moves its
   * prices off the seeded path; Infinity when none does. History built from the seeded path is exact before it.
   */
  firstOverrideAt(instrument: Instrument): number {
    let first = Infinity;
    for (let state: InstrumentState | undefined = this.state(instrument); state; state = state.derived?.underlying) {
      first = Math.min(first, state.overrides.firstAt);
    }
    return first;
  }

  /** The visible book, best level first on each side; `levels` per side, default 5. */
  book(instrument: Instrument, levels = DISPLAYED_LEVELS): Book {
    const at = this.clock.now();
    const state = this.state(instrument);
    const count = Math.max(0, Math.floor(levels));
    if (state.pinnedBook) {
      return {
        bids: state.pinnedBook.bids.slice(0, count).map(copyLevel),
        asks: state.pinnedBook.asks.slice(0, count).map(copyLevel),
        at,
      };
    }
    const cache = this.stepCache(state, at);
    if (count <= DISPLAYED_LEVELS) {
      cache.book ??= this.displayedBook(state, cache.quote.lastPrice, at, DISPLAYED_LEVELS);
      return { bids: cache.book.bids.slice(0, count).map(copyLevel), asks: cache.book.asks.slice(0, count).map(copyLevel), at };
    }
    return copyWith(this.displayedBook(state, cache.quote.lastPrice, at, count), { at });
  }

  /** Liquidity on one side, best first, beyond the displayed levels until 20% from the touch (lazy). */
  liquidity(instrument: Instrument, side: BookSide): Iterable<BookLevel> {
    const at = this.clock.now();
    const state = this.state(instrument);
    if (state.pinnedBook) return (side === 'bid' ? state.pinnedBook.bids : state.pinnedBook.asks).map(copyLevel);
    return this.ladder(state, side, this.stepCache(state, at).quote.lastPrice, at);
  }

  /**
   * From now on the last price is exactly `price` (on the tick grid, positive); a walking market continues from it
   * (the offset from its natural path fades with the walk's mean reversion), a frozen one stays there. Clears setBook.
   */
  setPrice(instrument: Instrument, price: Decimal): void {
    const state = this.state(instrument);
    if (cmp(price, ZERO) <= 0 || !isMultipleOf(price, state.tickSize)) {
      throw new RangeError(
        `price ${toString(price)} of ${instrument.symbol} must be positive and a multiple of the tick ${toString(state.tickSize)}`,
      );
    }
    const at = stepTime(this.clock.now(), this.stepMs).stepStart;
    const override: PriceOverride = { at, price, logOffset: this.frozen ? 0 : Math.log(toNumber(price)) - this.naturalLog(state, at) };
    state.overrides.add(override);
    state.spot?.overridden(override);
    delete state.pinnedBook;
    this.version += 1;
  }

  /** Pins the visible book exactly (each side best first) until the next setPrice; lastPrice is unchanged. */
  setBook(instrument: Instrument, book: { bids: BookLevel[]; asks: BookLevel[] }): void {
    const state = this.state(instrument);
    checkSide(state, 'bid', book.bids);
    checkSide(state, 'ask', book.asks);
    state.pinnedBook = { bids: book.bids.map(copyLevel), asks: book.asks.map(copyLevel) };
    this.version += 1;
  }

  private state(instrument: Instrument, depth = 0): InstrumentState {
    const id = instrumentId(instrument);
    const known = this.states.get(id);
    if (known) return known;
    const state = this.createState(instrument, depth);
    this.states.set(id, state);
    return state;
  }

  private createState(instrument: Instrument, depth: number): InstrumentState {
    const { tickSize, lotSize } = instrument;
    if (cmp(tickSize, ZERO) <= 0 || cmp(lotSize, ZERO) <= 0) {
      throw new RangeError(`${instrument.symbol} needs a positive tick size and lot size`);
    }
    const id = instrumentId(instrument);
    const profile = marketProfile(instrument);
    const reference = max(roundToStep(instrument.referencePrice, tickSize), tickSize);
    const overrides = new PriceOverrides();
    const state: InstrumentState = {
      instrument,
      profile,
      tickSize,
      tick: toNumber(tickSize),
      reference,
      overrides,
      flow: new TradeFlow(streamKey(this.seed, `trades:${id}`), profile.tradeLots, this.stepMs),
      bookKey: streamKey(this.seed, `book:${id}`),
    };
    if (this.frozen) return state;
    const derived = depth < MAX_UNDERLYING_DEPTH ? this.derivedPricing(instrument, depth) : undefined;
    if (derived) state.derived = derived;
    else {
      state.spot = new SpotProcess(
        {
          key: streamKey(this.seed, `walk:${id}`),
          referencePrice: toNumber(reference),
          annualVolatility: profile.annualVolatility,
          stepMs: this.stepMs,
        },
        overrides,
      );
    }
    return state;
  }

  private derivedPricing(instrument: Instrument, depth: number): DerivedPricing | undefined {
    const underlyingInstrument = this.underlyingOf(instrument);
    if (!underlyingInstrument || instrumentId(underlyingInstrument) === instrumentId(instrument)) return undefined;
    const expiresAt = instrument.expiry === undefined ? -Infinity : expiryInstant(instrument.expiry);
    if (isOption(instrument) && instrument.strike !== undefined) {
      const underlying = this.state(underlyingInstrument, depth + 1);
      const right = instrument.instrumentType === 'CE' ? 'call' : 'put';
      const strike = toNumber(instrument.strike);
      const volatility = underlying.profile.annualVolatility;
      const fair = (spot: number, at: number): number =>
        blackScholes({ right, spot, strike, years: yearsToExpiry(expiresAt, at), rate: CARRY_RATE, volatility });
      return { underlying, fair, inverse: right === 'put' };
    }
    if (isFuture(instrument)) {
      const underlying = this.state(underlyingInstrument, depth + 1);
      const fair = (spot: number, at: number): number => futurePrice(spot, daysToExpiry(expiresAt, at));
      return { underlying, fair, inverse: false };
    }
    return undefined;
  }

  private stepCache(state: InstrumentState, at: number): StepCache {
    const { stepStart } = stepTime(at, this.stepMs);
    const cached = state.cache;
    if (cached && cached.stepStart === stepStart && cached.version === this.version) return cached;
    const prices = this.prices(state, at);
    const { bid, ask } = this.touch(state, prices.lastPrice, at);
    const tally = state.flow.at(at);
    const quote = copyWith(prices, {
      bid,
      ask,
      volume: lots(state, tally.volumeLots),
      lastQuantity: lots(state, tally.lastLots),
    });
    state.cache = { stepStart, version: this.version, quote };
    return state.cache;
  }

  private displayedBook(state: InstrumentState, last: Decimal, at: number, count: number): { bids: BookLevel[]; asks: BookLevel[] } {
    return {
      bids: firstLevels(this.ladder(state, 'bid', last, at), count),
      asks: firstLevels(this.ladder(state, 'ask', last, at), count),
    };
  }

  private prices(state: InstrumentState, at: number): Prices {
    if (this.frozen) return this.frozenPrices(state, at);
    const point = this.point(state, at);
    const lastPrice = point.pinned?.price ?? toTick(state, point.last);
    return {
      lastPrice,
      open: toTick(state, point.open),
      high: max(toTick(state, point.high), lastPrice),
      low: min(toTick(state, point.low), lastPrice),
      previousClose: toTick(state, point.previousClose),
    };
  }

  // A frozen market: the reference or the price set, with the day's open, high and low over the prices set today.
  private frozenPrices(state: InstrumentState, at: number): Prices {
    const { dayStart, stepStart } = stepTime(at, this.stepMs);
    const priceAt = (time: number): Decimal => state.overrides.latest(time)?.price ?? state.reference;
    const previousClose = priceAt(dayStart - 1);
    const open = priceAt(dayStart);
    let high = open;
    let low = open;
    for (const override of state.overrides.between(dayStart, stepStart)) {
      high = max(high, override.price);
      low = min(low, override.price);
    }
    return { lastPrice: priceAt(stepStart), open, high, low, previousClose };
  }

  // Float prices of a walking market at the step containing `at`.
  private point(state: InstrumentState, at: number): PricePoint {
    if (state.spot) return state.spot.at(at);
    const derived = state.derived as DerivedPricing;
    const { dayStart, stepStart } = stepTime(at, this.stepMs);
    const underlying = this.point(derived.underlying, at);
    const fair = (spot: number, time: number): number => Math.max(state.tick, derived.fair(spot, time));
    const active = state.overrides.latest(stepStart);
    const nowScale = Math.exp(offsetAt(active, stepStart));
    const openScale = Math.exp(offsetAt(state.overrides.latest(dayStart), dayStart));
    const open = fair(underlying.open, dayStart) * openScale;
    const last = fair(underlying.last, stepStart) * nowScale;
    const atHigh = fair(derived.inverse ? underlying.low : underlying.high, stepStart) * nowScale;
    const atLow = fair(derived.inverse ? underlying.high : underlying.low, stepStart) * nowScale;
    return {
      last,
      open,
      high: Math.max(atHigh, open, last),
      low: Math.min(atLow, open, last),
      previousClose: fair(underlying.previousClose, dayStart) * openScale,
      ...(active && active.at === stepStart ? { pinned: active } : {}),
    };
  }

  // ln of the price the instrument would have at `at` without any override (reference-relative for a walk).
  private naturalLog(state: InstrumentState, at: number): number {
    if (state.spot) return Math.log(toNumber(state.reference)) + state.spot.naturalLogAt(at);
    const derived = state.derived as DerivedPricing;
    const spot = this.point(derived.underlying, at).last;
    return Math.log(Math.max(state.tick, derived.fair(spot, at)));
  }

  private touch(state: InstrumentState, last: Decimal, at: number): { bid: Decimal; ask: Decimal } {
    if (state.pinnedBook) {
      return { bid: state.pinnedBook.bids[0]?.price ?? last, ask: state.pinnedBook.asks[0]?.price ?? last };
    }
    const [bid] = firstLevels(this.ladder(state, 'bid', last, at), 1);
    const [ask] = firstLevels(this.ladder(state, 'ask', last, at), 1);
    return { bid: bid?.price ?? last, ask: ask?.price ?? last };
  }

  private ladder(state: InstrumentState, side: BookSide, last: Decimal, at: number): Generator<BookLevel> {
    const grid = { last, tickSize: state.tickSize, lotSize: state.instrument.lotSize };
    if (this.frozen) return ladder(side, grid, frozenShape(state.profile));
    const { day, step } = stepTime(at, this.stepMs);
    const stepKey = subKey(state.bookKey, day, Math.min(step, stepsPerDay(this.stepMs) - 1));
    return ladder(side, grid, walkingShape(state.profile, stepKey, side));
  }
}

function instrumentId(instrument: Instrument): string {
  return `${instrument.exchange}:${instrument.symbol}`;
}

// The nearest tick to a float price, at least one tick (whole ticks counted in floats, then made exact).
function toTick(state: InstrumentState, price: number): Decimal {
  const ticks = Math.round(price / state.tick);
  if (!Number.isFinite(ticks) || ticks < 1) return state.tickSize;
  return mul(state.tickSize, dec(BigInt(ticks)));
}

function lots(state: InstrumentState, count: number): Decimal {
  return mul(state.instrument.lotSize, dec(BigInt(count)));
}

function copyLevel(level: BookLevel): BookLevel {
  return { price: level.price, quantity: level.quantity, orders: level.orders };
}

function checkSide(state: InstrumentState, side: BookSide, levels: BookLevel[]): void {
  const { symbol } = state.instrument;
  levels.forEach((level, index) => {
    if (cmp(level.price, ZERO) <= 0 || !isMultipleOf(level.price, state.tickSize)) {
      throw new RangeError(`${symbol} ${side} level ${index}: price ${toString(level.price)} is off the tick grid`);
    }
    if (cmp(level.quantity, ZERO) < 0 || !isMultipleOf(level.quantity, state.instrument.lotSize)) {
      throw new RangeError(`${symbol} ${side} level ${index}: quantity ${toString(level.quantity)} is not whole lots`);
    }
    const previous = levels[index - 1];
    if (previous && cmp(level.price, previous.price) !== (side === 'bid' ? -1 : 1)) {
      throw new RangeError(`${symbol} ${side} levels must be best first with distinct prices`);
    }
  });
}
