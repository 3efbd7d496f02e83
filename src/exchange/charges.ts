// The Indian charges on one executed order, as a contract note itemises them: brokerage, STT, exchange transaction
// charges, SEBI fees, stamp duty and GST, per segment (equity delivery, equity intraday, futures, options).
import { type Decimal, ZERO, add, dec, min } from '../domain/decimal.js';
import type { Side } from '../domain/order.js';

/** The charge schedules of NSE and BSE (and their F&O segments NFO and BFO). */
export type ChargeSegment = 'equity_delivery' | 'equity_intraday' | 'futures' | 'options';
export type ChargeVenue = 'NSE' | 'BSE';

/** One order's charges, each line rounded to paise; `total` is their sum. */
export interface OrderCharges {
  readonly brokerage: Decimal;
  readonly stt: Decimal;
  readonly exchange: Decimal;
  readonly sebi: Decimal;
  readonly stamp: Decimal;
  readonly gst: Decimal;
  readonly total: Decimal;
}

interface Schedule {
  /** Brokerage as a share of the order's value, capped at BROKERAGE_CAP; undefined: a flat BROKERAGE_CAP. */
  readonly brokerageRate: Decimal | undefined;
  readonly sttBuy: Decimal;
  readonly sttSell: Decimal;
  readonly exchange: Readonly<Record<ChargeVenue, Decimal>>;
  readonly stampBuy: Decimal;
}

/*
 * Zerodha's published schedule (zerodha.com/charges, as it reads in 2026; the exchange rates follow NSE circular
 * FA73061, in force from 1 March 2026, and STT on futures and options the Finance Act 2026, from 1 April 2026):
 *
 *                     delivery           intraday             futures              options
 *   brokerage         zero               0.03 % or ₹20        0.03 % or ₹20        flat ₹20
 *                                        (lower, per order)   (lower, per order)   per order
 *   STT               0.1 % buy & sell   0.025 % sell         0.05 % sell          0.15 % sell (premium)
 *   transaction       NSE 0.00307 %      NSE 0.00307 %        NSE 0.00183 %        NSE 0.03553 % (premium)
 *                     BSE 0.00375 %      BSE 0.00375 %        BSE 0                BSE 0.0325 % (premium)
 *   SEBI              ₹10 / crore (0.0001 %) on every segment
 *   stamp duty        0.015 % buy        0.003 % buy          0.002 % buy          0.003 % buy (premium)
 *   GST               18 % on (brokerage + SEBI + transaction charges)
 *
 * Options are charged on the premium, which is the order's value here (price × quantity). STT on exercised options and
 * the depository (DP) charge on delivery sells are not order charges and are left out.
 */
const BROKERAGE_CAP = dec(20);
const SEBI_RATE = dec('0.000001');
const GST_RATE = dec('0.18');

const SCHEDULES: Readonly<Record<ChargeSegment, Schedule>> = {
  equity_delivery: {
    brokerageRate: ZERO,
    sttBuy: dec('0.001'),
    sttSell: dec('0.001'),
    exchange: { NSE: dec('0.0000307'), BSE: dec('0.0000375') },
    stampBuy: dec('0.00015'),
  },
  equity_intraday: {
    brokerageRate: dec('0.0003'),
    sttBuy: ZERO,
    sttSell: dec('0.00025'),
    exchange: { NSE: dec('0.0000307'), BSE: dec('0.0000375') },
    stampBuy: dec('0.00003'),
  },
  futures: {
    brokerageRate: dec('0.0003'),
    sttBuy: ZERO,
    sttSell: dec('0.0005'),
    exchange: { NSE: dec('0.0000183'), BSE: ZERO },
    stampBuy: dec('0.00002'),
  },
  options: {
    brokerageRate: undefined,
    sttBuy: ZERO,
    sttSell: dec('0.0015'),
    exchange: { NSE: dec('0.0003553'), BSE: dec('0.000325') },
    stampBuy: dec('0.00003'),
  },
};

/**
 * The charges of one executed order of `value` (price × quantity, in rupees). Every line is its rate times the value,
 * rounded once, half up, to the paisa (as a contract note shows it); GST is 18 % of the rounded brokerage, transaction
 * and SEBI lines, rounded the same way. Brokerage is the lower of the rate and ₹20 after rounding.
 */
export function orderCharges(segment: ChargeSegment, venue: ChargeVenue, side: Side, value: Decimal): OrderCharges {
  const schedule = SCHEDULES[segment];
  const brokerage = schedule.brokerageRate === undefined ? BROKERAGE_CAP : min(inPaise(value, schedule.brokerageRate), BROKERAGE_CAP);
  const stt = inPaise(value, side === 'BUY' ? schedule.sttBuy : schedule.sttSell);
  const exchange = inPaise(value, schedule.exchange[venue]);
  const sebi = inPaise(value, SEBI_RATE);
  const stamp = side === 'BUY' ? inPaise(value, schedule.stampBuy) : ZERO;
  const gst = inPaise(add(add(brokerage, exchange), sebi), GST_RATE);
  const total = [brokerage, stt, exchange, sebi, stamp, gst].reduce(add, ZERO);
  return { brokerage, stt, exchange, sebi, stamp, gst, total };
}

/** The segment of an instrument kind traded under a product: equity is delivery unless MIS. */
export function chargeSegment(kind: 'equity' | 'future' | 'option', product: 'CNC' | 'MIS' | 'NRML'): ChargeSegment {
  if (kind === 'future') return 'futures';
  if (kind === 'option') return 'options';
  return product === 'MIS' ? 'equity_intraday' : 'equity_delivery';
}

// Decimal units are 1e-8 rupee, a paisa 1e6 units: value × rate has 16 fractional digits in units², so one integer
// division by 1e14 (half up) gives the paise without an intermediate rounding at the 8th digit.
const UNITS_SQUARED_PER_PAISA = 10n ** 14n;
const UNITS_PER_PAISA = 10n ** 6n;

function inPaise(value: Decimal, rate: Decimal): Decimal {
  const product = value * rate;
  if (product <= 0n) return ZERO;
  const paise = (product + UNITS_SQUARED_PER_PAISA / 2n) / UNITS_SQUARED_PER_PAISA;
  return (paise * UNITS_PER_PAISA) as Decimal;
}
