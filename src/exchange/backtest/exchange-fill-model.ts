// The backtest's `exchange` fill model: fills as the paper exchange makes them (whole lots, prices on the tick grid,
// margin by product, CNC without shorts, MIS square-off, Indian charges), so a backtest shows what a paper or live run
// of the same strategy would do. The spec is plain data: it crosses to sweep workers.
import { currencyOf } from '../../domain/currency.js';
import { type Decimal, ZERO, cmp, exactDec, isMultipleOf, ONE } from '../../domain/decimal.js';
import { InvalidBacktestSettings } from '../../domain/backtest/errors.js';
import type { BrokerFactory } from '../../domain/backtest/fill-model.js';
import { EXCHANGES, type Exchange, type Instrument, type InstrumentType } from '../../domain/instrument.js';
import type { Product } from '../../domain/order.js';
import { type ChargeVenue, chargeSegment } from '../charges.js';
import { DEFAULT_MARGIN_RATES } from '../margin.js';
import { ExchangeBroker, type ExchangeTerms } from './exchange-broker.js';

export type InstrumentKind = 'equity' | 'future' | 'option';

/** The instrument and account terms a backtest fills under. Decimals as text (or plain numbers) so it serialises. */
export interface ExchangeFillSpec {
  readonly exchange: Exchange;
  readonly kind: InstrumentKind;
  /** Options only: the strike, which prices an option writer's margin. */
  readonly strike?: string | number;
  readonly lotSize: string | number;
  readonly tickSize: string | number;
  readonly product: Product;
  /** Deduct the Indian charges (charges.ts) at each fill, in place of the settings' commission. */
  readonly charges: boolean;
}

export { ExchangeBroker, type OrderRefusal, type RefusalReason } from './exchange-broker.js';

/**
 * The fill model for `spec`; `observe` is handed each broker it makes, to read what the run's result does not carry
 * (refusals, square-offs, charges, exact cash). Throws InvalidBacktestSettings for a spec the exchange would not trade.
 */
export function exchangeFillModel(spec: ExchangeFillSpec, observe?: (broker: ExchangeBroker) => void): BrokerFactory {
  const terms = termsOf(spec);
  return (bars, settings, onFill) => {
    const broker = new ExchangeBroker(bars, settings, terms, onFill);
    observe?.(broker);
    return broker;
  };
}

const INSTRUMENT_TYPES: Readonly<Record<InstrumentKind, InstrumentType>> = { equity: 'EQ', future: 'FUT', option: 'CE' };
const CHARGE_VENUES: Readonly<Partial<Record<Exchange, ChargeVenue>>> = { NSE: 'NSE', NFO: 'NSE', BSE: 'BSE', BFO: 'BSE' };
const EQUITY_VENUES: ReadonlySet<Exchange> = new Set(['NSE', 'BSE']);

function termsOf(spec: ExchangeFillSpec): ExchangeTerms {
  if (!EXCHANGES.includes(spec.exchange)) throw new InvalidBacktestSettings('exchange', `Unknown exchange ${String(spec.exchange)}`);
  if (!(spec.kind in INSTRUMENT_TYPES)) throw new InvalidBacktestSettings('kind', `kind must be equity, future or option, got ${String(spec.kind)}`);
  if (spec.product !== 'CNC' && spec.product !== 'MIS' && spec.product !== 'NRML') {
    throw new InvalidBacktestSettings('product', `product must be CNC, MIS or NRML, got ${String(spec.product)}`);
  }
  if (spec.product === 'CNC' && spec.kind !== 'equity') {
    throw new InvalidBacktestSettings('product', 'CNC is for equity delivery; use NRML or MIS for futures and options');
  }
  const lotSize = positive('lotSize', spec.lotSize);
  if (!isMultipleOf(lotSize, ONE) && spec.exchange !== 'CRYPTO') {
    throw new InvalidBacktestSettings('lotSize', `lotSize must be a whole number of units, got ${String(spec.lotSize)}`);
  }
  const tickSize = positive('tickSize', spec.tickSize);
  let strike: Decimal | undefined;
  if (spec.kind === 'option') {
    if (spec.strike === undefined) throw new InvalidBacktestSettings('strike', 'An option needs its strike');
    strike = positive('strike', spec.strike);
  }
  const venue = CHARGE_VENUES[spec.exchange];
  const chargesApply = spec.charges === true;
  if (chargesApply && (venue === undefined || (spec.kind === 'equity') !== EQUITY_VENUES.has(spec.exchange))) {
    throw new InvalidBacktestSettings(
      'charges',
      `The Indian charges model covers equity on NSE and BSE and futures and options on NFO and BFO, not ${spec.kind} on ${spec.exchange}`,
    );
  }
  const instrument: Instrument = {
    symbol: 'BACKTEST',
    exchange: spec.exchange,
    name: 'BACKTEST',
    instrumentType: INSTRUMENT_TYPES[spec.kind],
    underlying: 'BACKTEST',
    strike,
    lotSize,
    tickSize,
    freezeQuantity: ZERO,
    token: '0',
    brokerSymbol: 'BACKTEST',
    referencePrice: ZERO,
    currency: currencyOf({ exchange: spec.exchange }),
  };
  return {
    instrument,
    product: spec.product,
    rates: DEFAULT_MARGIN_RATES,
    charges: chargesApply && venue !== undefined ? { segment: chargeSegment(spec.kind, spec.product), venue } : undefined,
  };
}

function positive(field: string, value: string | number): Decimal {
  let parsed: Decimal;
  try {
    parsed = exactDec(value);
  } catch {
    throw new InvalidBacktestSettings(field, `${field} must be a decimal number, got ${String(value)}`);
  }
  if (cmp(parsed, ZERO) <= 0) throw new InvalidBacktestSettings(field, `${field} must be positive, got ${String(value)}`);
  return parsed;
}
