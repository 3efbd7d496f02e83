// What one SIP installment (a single delivery buy) costs, as OpenAlgo charges it: the Indian delivery schedule of
// statutory lines (portfolio/costs.py's `india_delivery`, with per-line overrides), a flat bps model, or a plain
// percent-plus-flat brokerage. Rates are ratios; the charges they give are money, computed exactly.
import { type Decimal, ZERO, add, dec, min, mul } from './decimal.js';

/** The cost of buying `value` of shares in one order; `breakdown` itemises it (absent for models without lines). */
export interface SipCosts {
  charge(value: Decimal): Decimal;
  breakdown?(value: Decimal): Record<string, Decimal>;
}

export type ChargeBasis = 'turnover' | 'buy' | 'sell' | 'order';

/** One line of a contract note. */
export interface ChargeLine {
  readonly key: string;
  readonly basis: ChargeBasis;
  /** Fraction of the basis value; for `order`, of that order's value. */
  readonly rate: number;
  /** Flat amount per order (basis `order` only); when positive it replaces the rate. */
  readonly flat: number;
  /** Per-order ceiling of a rate-based order charge; 0 for none. */
  readonly cap: number;
  /** Whether the tax (GST) applies to the line. */
  readonly taxed: boolean;
}

export interface ChargeSchedule {
  readonly lines: readonly ChargeLine[];
  readonly taxRate: number;
  /** Execution gap as a fraction of turnover, counted with the charges. */
  readonly slippage: number;
}

/** The charge lines an override may set, per line (`{"stt": {"rate": 0.00125}}`). */
export type ChargeOverrides = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** An override or setting that cannot make a schedule; the message is OpenAlgo's. */
export class ChargeScheduleError extends RangeError {
  override readonly name = 'ChargeScheduleError';
}

const line = (key: string, basis: ChargeBasis, rate: number, taxed: boolean, cap = 0): ChargeLine => ({ key, basis, rate, flat: 0, cap, taxed });

/** NSE/BSE cash delivery: brokerage (free, capped at 20 per order when a rate is set), STT, exchange fee, SEBI, stamp duty; GST 18%. */
export function indiaDelivery(exchange: 'NSE' | 'BSE'): ChargeSchedule {
  return {
    taxRate: 0.18,
    slippage: 0,
    lines: [
      line('brokerage', 'order', 0, true, 20),
      line('stt', 'turnover', 0.001, false),
      line('exchange_txn', 'turnover', exchange === 'BSE' ? 0.0000375 : 0.0000307, true),
      line('sebi', 'turnover', 10 / 1_00_00_000, true),
      line('stamp_duty', 'buy', 0.00015, false),
    ],
  };
}

/** Per-line edits of `rate`, `flat` and `cap`; unknown lines and fields are ignored, as OpenAlgo ignores them. */
export function withOverrides(schedule: ChargeSchedule, overrides: ChargeOverrides): ChargeSchedule {
  const lines = schedule.lines.map((each) => {
    const patch = overrides[each.key];
    if (!patch) return each;
    const edited: { -readonly [K in keyof ChargeLine]: ChargeLine[K] } = { ...each };
    for (const field of ['rate', 'flat', 'cap'] as const) {
      const value = patch[field];
      if (value === undefined || value === null) continue;
      const number = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (Number.isNaN(number)) throw new ChargeScheduleError(`could not convert ${JSON.stringify(value)} to float`);
      if (!Number.isFinite(number) || number < 0) throw new ChargeScheduleError(`charge ${field} must be finite and non-negative`);
      edited[field] = number;
    }
    return edited;
  });
  return { ...schedule, lines };
}

/** The costs of single buy orders under a schedule. */
export function scheduleCosts(schedule: ChargeSchedule): SipCosts {
  const rates = new Map<number, Decimal>();
  const rate = (value: number): Decimal => {
    let known = rates.get(value);
    if (known === undefined) rates.set(value, (known = dec(value)));
    return known;
  };
  const breakdown = (value: Decimal): Record<string, Decimal> => {
    const out: Record<string, Decimal> = {};
    let taxable = ZERO;
    for (const each of schedule.lines) {
      const amount = lineAmount(each, value, rate);
      out[each.key] = amount;
      if (each.taxed) taxable = add(taxable, amount);
    }
    out.tax = mul(taxable, rate(schedule.taxRate));
    out.slippage = mul(value, rate(schedule.slippage));
    out.total = Object.values(out).reduce(add, ZERO);
    return out;
  };
  return { breakdown, charge: (value) => breakdown(value).total as Decimal };
}

// A buy of `value` in one order: turnover and buy lines on the value, the sell leg zero, an order line once.
function lineAmount(each: ChargeLine, value: Decimal, rate: (value: number) => Decimal): Decimal {
  switch (each.basis) {
    case 'turnover':
    case 'buy':
      return mul(value, rate(each.rate));
    case 'sell':
      return ZERO;
    case 'order': {
      if (each.flat > 0) return rate(each.flat);
      const charged = mul(value, rate(each.rate));
      return each.cap > 0 ? min(charged, rate(each.cap)) : charged;
    }
  }
}

/** OpenAlgo's `flat_bps` model: `bps` basis points plus `slippage` (a fraction) of the value, not itemised. */
export function flatBpsCosts(bps: number, slippage: number): SipCosts {
  const fraction = dec(bps / 10_000 + slippage);
  return { charge: (value) => mul(value, fraction) };
}

/** A percent of the value plus a flat amount per installment (OpenAlgo's engine without a schedule). */
export function brokerageCosts(percent: number, flat: number): SipCosts {
  const fraction = dec(percent / 100);
  const fixed = dec(flat);
  return { charge: (value) => add(mul(value, fraction), fixed) };
}
