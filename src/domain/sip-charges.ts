// What one SIP installment (a single delivery buy) costs, as OpenAlgo charges it: a delivery charge schedule
// (delivery-charges.ts), a flat bps model, or a plain percent-plus-flat brokerage. Rates are ratios; the charges they
// give are money, computed exactly.
import { type Decimal, ZERO, add, dec, min, mul } from './decimal.js';
import type { ChargeLine, ChargeSchedule } from './delivery-charges.js';

/** The cost of buying `value` of shares in one order; `breakdown` itemises it (absent for models without lines). */
export interface SipCosts {
  charge(value: Decimal): Decimal;
  breakdown?(value: Decimal): Record<string, Decimal>;
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
