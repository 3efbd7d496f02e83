// The option chain of one expiry around the money, and the synthetic future its ATM pair implies (OpenAlgo's
// optionchain and syntheticfuture). Prices come from the account's broker through `ChainMarket`.
import { type Decimal, add, sub, toNumber } from '../domain/decimal.js';
import { InstrumentNotFound, InvalidOptionRequest, OptionNotFound } from '../domain/errors.js';
import type { Exchange, Instrument, InstrumentCatalog } from '../domain/instrument.js';
import type { DepthView, QuoteView } from '../domain/market.js';
import { analyzeOption, expiryCutoff, expiryInstant, intrinsicValue, timeToExpiry } from '../domain/option-greeks.js';
import {
  type OptionRight,
  type OptionTarget,
  type UnderlyingReference,
  atmIndex,
  parseUnderlying,
  resolveOption,
  strikeLabel,
  strikeLadder,
  underlyingPrice,
  underlyingReference,
} from './option-resolution.js';

/** Where the chain reads prices: the underlying's quote, and each option's quote with the sizes at the touch. */
export interface ChainMarket {
  quote(symbol: string, exchange: Exchange): Promise<QuoteView>;
  depth(symbol: string, exchange: Exchange): Promise<DepthView>;
}

export interface ChainLeg {
  instrument: Instrument;
  /** `ATM`, `ITMn` or `OTMn` for this leg's right. */
  label: string;
  /** Undefined when the broker has no quote for it (the leg is shown with zeros, as OpenAlgo does). */
  market?: DepthView;
}

export interface ChainRow {
  strike: Decimal;
  ce?: ChainLeg;
  pe?: ChainLeg;
}

export interface OptionChain {
  reference: UnderlyingReference;
  underlying: QuoteView;
  /** `DDMMMYY`, as the request gave it (upper-case). */
  expiry: string;
  /** Epoch ms of the expiry's cut-off (15:30 IST; MCX 23:30, CDS 12:30). */
  expiresAt: number;
  atmStrike: Decimal;
  rows: ChainRow[];
}

export interface ChainRequest {
  underlying: string;
  exchange: Exchange;
  /** `DDMMMYY`; an expiry inside the underlying's name wins, as in OpenAlgo's chain. */
  expiry: string;
  /** Strikes on each side of ATM; undefined for the whole ladder. */
  strikeCount?: number;
}

/** The chain: strikes of the CE ladder around ATM, each with its CE and PE (undefined where not listed). */
export async function optionChain(catalog: InstrumentCatalog, market: ChainMarket, request: ChainRequest): Promise<OptionChain> {
  const expiry = parseUnderlying(request.underlying).expiry ?? request.expiry.toUpperCase();
  if (expiry === '') throw new InvalidOptionRequest('Expiry date is required.');
  const reference = underlyingReference(catalog, { underlying: request.underlying, exchange: request.exchange, expiry });
  const underlying = await underlyingPrice(reference, (symbol, exchange) => market.quote(symbol, exchange));
  const calls = strikeLadder(catalog, reference.base, expiry, 'CE', reference.optionsExchange);
  if (calls.length === 0) {
    throw new OptionNotFound(
      `No strikes found for ${reference.base} expiring ${expiry}. Please check expiry date or update master contract.`,
    );
  }
  const strikes = calls.map((call) => call.strike as Decimal);
  const atm = atmIndex(strikes, underlying.lastPrice);
  const count = request.strikeCount;
  const from = count === undefined ? 0 : Math.max(0, atm - count);
  const to = count === undefined ? strikes.length : Math.min(strikes.length, atm + count + 1);
  const puts = new Map(
    strikeLadder(catalog, reference.base, expiry, 'PE', reference.optionsExchange).map((put) => [put.strike as Decimal, put]),
  );
  const rows: ChainRow[] = [];
  for (let index = from; index < to; index += 1) {
    const strike = strikes[index] as Decimal;
    const put = puts.get(strike);
    rows.push({
      strike,
      ce: await chainLeg(market, calls[index] as Instrument, strikeLabel(index, atm, 'CE')),
      pe: put ? await chainLeg(market, put, strikeLabel(index, atm, 'PE')) : undefined,
    });
  }
  const expiryDay = calls[0]?.expiry as string;
  return {
    reference,
    underlying,
    expiry,
    expiresAt: expiryInstant(expiryDay, expiryCutoff(reference.optionsExchange)),
    atmStrike: strikes[atm] as Decimal,
    rows,
  };
}

async function chainLeg(market: ChainMarket, instrument: Instrument, label: string): Promise<ChainLeg> {
  try {
    return { instrument, label, market: await market.depth(instrument.symbol, instrument.exchange) };
  } catch (error) {
    if (error instanceof InstrumentNotFound) return { instrument, label };
    throw error;
  }
}

/**
 * The forward the chain's own ATM pair implies by put-call parity (strike + call − put), or the underlying's last
 * price when either leg is unpriced.
 */
export function chainForward(chain: OptionChain): Decimal {
  const row = chain.rows.find((each) => each.strike === chain.atmStrike);
  const call = row?.ce?.market?.lastPrice;
  const put = row?.pe?.market?.lastPrice;
  if (call === undefined || put === undefined || call <= 0n || put <= 0n) return chain.underlying.lastPrice;
  return sub(add(chain.atmStrike, call), put);
}

/** A leg's implied volatility (percent) and greeks, rounded as OpenAlgo reports them. */
export interface LegGreeks {
  impliedVolatility: number;
  delta: number;
  gamma: number;
  theta: number;
  vega: number;
}

export interface ChainGreeks {
  /** The forward every leg is priced on (`chainForward`). */
  forward: Decimal;
  /**
   * A priced leg's greeks; undefined for an unpriced leg, or for every leg once the expiry's cut-off has passed. A
   * price with no time value to invert, or none a volatility fits, gets OpenAlgo's theoretical values: IV 0, delta ±1
   * in the money (0 out of it), the rest 0.
   */
  of(leg: ChainLeg): LegGreeks | undefined;
}

/** Black-76 greeks of the chain's legs on its forward, with time to expiry from `now` (epoch ms). */
export function chainGreeks(chain: OptionChain, ratePercent: number, now: number): ChainGreeks {
  const forward = chainForward(chain);
  const time = timeToExpiry(chain.expiresAt, now);
  const underlyingPrice = toNumber(forward);
  return {
    forward,
    of(leg) {
      const optionPrice = leg.market ? toNumber(leg.market.lastPrice) : 0;
      if (time === undefined || optionPrice <= 0) return undefined;
      const right = leg.instrument.instrumentType === 'PE' ? 'PE' : 'CE';
      const strike = toNumber(leg.instrument.strike as Decimal);
      const valuation = analyzeOption({ right, underlyingPrice, strike, years: time.years, ratePercent, optionPrice });
      if (valuation.kind === 'solved') {
        const { impliedVolatility, delta, gamma, theta, vega } = valuation.analytics;
        return { impliedVolatility, delta, gamma, theta, vega };
      }
      const inTheMoney = intrinsicValue(right, underlyingPrice, strike) > 0;
      return { impliedVolatility: 0, delta: inTheMoney ? (right === 'CE' ? 1 : -1) : 0, gamma: 0, theta: 0, vega: 0 };
    },
  };
}

export interface SyntheticFuture {
  reference: UnderlyingReference;
  underlying: QuoteView;
  atmStrike: Decimal;
  /** ATM strike + ATM call premium − ATM put premium. */
  price: Decimal;
}

/** The synthetic future of an expiry: the ATM call and put (one underlying price for both) priced now. */
export async function syntheticFuture(catalog: InstrumentCatalog, market: ChainMarket, target: OptionTarget): Promise<SyntheticFuture> {
  const reference = underlyingReference(catalog, target);
  const underlying = await underlyingPrice(reference, (symbol, exchange) => market.quote(symbol, exchange));
  const atmOf = (right: OptionRight) => resolveOption(catalog, reference, { offset: 'ATM', right }, underlying.lastPrice);
  const call = atmOf('CE');
  const put = atmOf('PE');
  const callQuote = await market.quote(call.instrument.symbol, call.instrument.exchange);
  const putQuote = await market.quote(put.instrument.symbol, put.instrument.exchange);
  const strike = call.instrument.strike as Decimal;
  return { reference, underlying, atmStrike: strike, price: sub(add(strike, callQuote.lastPrice), putQuote.lastPrice) };
}
