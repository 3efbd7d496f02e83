// One instrument's last price and traded lots at every step of the simulated market, for building bars. It runs the
// simulator's own parts (SpotProcess, TradeFlow, the carry and Black-Scholes pricing of derivatives) on the same
// stream keys, without the book, so each step costs a fraction of `MarketSimulator.quoteAt`. It equals `quoteAt`'s
// last price and volume at every step as long as no price was set: `setPrice` overrides live inside the simulator
// (the tests hold the two side by side, so a change to one that the other misses fails there).
import { type Decimal, dec, max, mul, roundToStep, stepsIn, toNumber } from '../../domain/decimal.js';
import { type Instrument, isFuture, isOption } from '../../domain/instrument.js';
import { marketProfile } from '../market/market-profile.js';
import type { MarketOptions } from '../market/market-simulator.js';
import { stepTime } from '../market/market-time.js';
import { PriceOverrides } from '../market/price-overrides.js';
import { SpotProcess } from '../market/price-process.js';
import { streamKey } from '../market/random.js';
import { TradeFlow } from '../market/trade-flow.js';
import { CARRY_RATE, blackScholes, daysToExpiry, expiryInstant, futurePrice, yearsToExpiry } from '../option-pricing.js';

/** The simulator's construction options, less the clock: what decides its prices. */
export type PathOptions = Omit<MarketOptions, 'clock'>;

/** The simulator's defaults and limits, which decide the path as much as the seed does. */
const DEFAULT_STEP_MS = 1000;
const MAX_UNDERLYING_DEPTH = 4;

export class StepPath {
  readonly stepMs: number;
  readonly tickSize: Decimal;
  readonly lotSize: Decimal;
  private readonly tick: number;
  /** The float price before rounding to the tick; undefined in a frozen market. */
  private readonly price: ((at: number) => number) | undefined;
  private readonly frozenTicks: number;
  private readonly flow: TradeFlow;

  constructor(instrument: Instrument, options: PathOptions) {
    this.stepMs = options.stepMs ?? DEFAULT_STEP_MS;
    this.tickSize = instrument.tickSize;
    this.lotSize = instrument.lotSize;
    this.tick = toNumber(instrument.tickSize);
    this.frozenTicks = Number(stepsIn(referenceOf(instrument), instrument.tickSize));
    this.price = options.frozen ? undefined : floatPrice(instrument, options, this.stepMs, 0);
    this.flow = new TradeFlow(streamKey(options.seed, `trades:${idOf(instrument)}`), marketProfile(instrument).tradeLots, this.stepMs);
  }

  /** The last price, in ticks, of the step containing `at`. */
  ticksAt(at: number): number {
    if (!this.price) return this.frozenTicks;
    const ticks = Math.round(this.price(at) / this.tick);
    return Number.isFinite(ticks) && ticks >= 1 ? ticks : 1;
  }

  /** Lots traded from the IST day's start through the step containing `at`. */
  lotsThrough(at: number): number {
    return this.flow.at(at).volumeLots;
  }

  priceOf(ticks: number): Decimal {
    return mul(this.tickSize, dec(BigInt(ticks)));
  }

  volumeOf(lots: number): Decimal {
    return mul(this.lotSize, dec(BigInt(lots)));
  }
}

function idOf(instrument: Instrument): string {
  return `${instrument.exchange}:${instrument.symbol}`;
}

function referenceOf(instrument: Instrument): Decimal {
  return max(roundToStep(instrument.referencePrice, instrument.tickSize), instrument.tickSize);
}

// The walk of an instrument that moves on its own, or the fair value of a derivative from its underlying's walk.
function floatPrice(instrument: Instrument, options: PathOptions, stepMs: number, depth: number): (at: number) => number {
  const derived = depth < MAX_UNDERLYING_DEPTH ? derivedPrice(instrument, options, stepMs, depth) : undefined;
  if (derived) return derived;
  const reference = toNumber(referenceOf(instrument));
  const spot = new SpotProcess(
    {
      key: streamKey(options.seed, `walk:${idOf(instrument)}`),
      referencePrice: reference,
      annualVolatility: marketProfile(instrument).annualVolatility,
      stepMs,
    },
    new PriceOverrides(),
  );
  return (at) => reference * Math.exp(spot.naturalLogAt(at));
}

function derivedPrice(
  instrument: Instrument,
  options: PathOptions,
  stepMs: number,
  depth: number,
): ((at: number) => number) | undefined {
  const underlying = options.underlyingOf?.(instrument);
  if (!underlying || idOf(underlying) === idOf(instrument)) return undefined;
  const tick = toNumber(instrument.tickSize);
  const expiresAt = instrument.expiry === undefined ? -Infinity : expiryInstant(instrument.expiry);
  if (isOption(instrument) && instrument.strike !== undefined) {
    const spot = floatPrice(underlying, options, stepMs, depth + 1);
    const right = instrument.instrumentType === 'CE' ? 'call' : 'put';
    const strike = toNumber(instrument.strike);
    const volatility = marketProfile(underlying).annualVolatility;
    return (at) => {
      const years = yearsToExpiry(expiresAt, stepTime(at, stepMs).stepStart);
      return Math.max(tick, blackScholes({ right, spot: spot(at), strike, years, rate: CARRY_RATE, volatility }));
    };
  }
  if (isFuture(instrument)) {
    const spot = floatPrice(underlying, options, stepMs, depth + 1);
    return (at) => Math.max(tick, futurePrice(spot(at), daysToExpiry(expiresAt, stepTime(at, stepMs).stepStart)));
  }
  return undefined;
}
