// Trading costs of a portfolio rebalance, as OpenAlgo's portfolio backtester models them: a flat rate on the traded
// value, or a schedule of contract-note lines (India cash delivery by default) each charged on turnover, one leg or
// per order, with GST on the lines it applies to.

export type ChargeBasis = 'turnover' | 'buy' | 'sell' | 'order';

export interface Charge {
  key: string;
  basis: ChargeBasis;
  /** Fraction of the basis value; for `order`, of each order (capped by `cap`). */
  rate: number;
  /** Flat amount per order (`order` basis); when set it replaces the rate. */
  flat: number;
  /** Per-order ceiling of a rate-based order charge; 0: none. */
  cap: number;
  taxed: boolean;
}

export interface CostSchedule {
  kind: 'schedule';
  name: string;
  charges: readonly Charge[];
  taxRate: number;
  /** Execution gap, a fraction of turnover. */
  slippage: number;
}

/** A flat round-trip rate: `bps` basis points plus `slippage`, on the traded value. */
export interface FlatCosts {
  kind: 'flat';
  bps: number;
  slippage: number;
}

export type CostModel = CostSchedule | FlatCosts;

/** Per-charge edits (`{"stt": {"rate": 0.00125}}`): only rate, flat and cap; null values and unknown charges ignored. */
export type ChargeOverrides = Readonly<Record<string, Readonly<Record<string, number | null>>>>;

/** NSE/BSE cash delivery, the statutory rates OpenAlgo presets (the exchange transaction charge differs by venue). */
export function indiaDelivery(exchange: 'NSE' | 'BSE'): CostSchedule {
  const charge = (key: string, basis: ChargeBasis, rate: number, taxed: boolean, cap = 0): Charge => ({ key, basis, rate, flat: 0, cap, taxed });
  return {
    kind: 'schedule',
    name: `India delivery (${exchange})`,
    taxRate: 0.18,
    slippage: 0,
    charges: [
      charge('brokerage', 'order', 0, true, 20),
      charge('stt', 'turnover', 0.001, false),
      charge('exchange_txn', 'turnover', exchange === 'BSE' ? 0.0000375 : 0.0000307, true),
      charge('sebi', 'turnover', 10 / 10_000_000, true),
      charge('stamp_duty', 'buy', 0.00015, false),
    ],
  };
}

export function withOverrides(schedule: CostSchedule, overrides: ChargeOverrides): CostSchedule {
  const charges = schedule.charges.map((charge) => {
    const patch = overrides[charge.key];
    if (!patch) return charge;
    const edited = { ...charge };
    for (const field of ['rate', 'flat', 'cap'] as const) {
      const value = patch[field];
      if (typeof value === 'number') edited[field] = value;
    }
    return edited;
  });
  return { ...schedule, charges };
}

function chargeAmount(charge: Charge, buy: number, sell: number, orders: number): number {
  switch (charge.basis) {
    case 'turnover':
      return (buy + sell) * charge.rate;
    case 'buy':
      return buy * charge.rate;
    case 'sell':
      return sell * charge.rate;
    case 'order': {
      if (orders <= 0) return 0;
      if (charge.flat > 0) return charge.flat * orders;
      // The split of the value across orders is unknown from aggregates: the average order bears the cap.
      const perOrder = ((buy + sell) / orders) * charge.rate;
      return (charge.cap > 0 ? Math.min(perOrder, charge.cap) : perOrder) * orders;
    }
  }
}

/** Each line, `tax`, `slippage`, `total` and `orders` of one rebalance that bought `buy` and sold `sell`. */
export function costBreakdown(model: CostModel, buy: number, sell: number, orders: number): Record<string, number> {
  if (model.kind === 'flat') return { total: (buy + sell) / 2 * (model.bps / 10_000 + model.slippage), orders };
  const out: Record<string, number> = {};
  let taxable = 0;
  for (const charge of model.charges) {
    const amount = chargeAmount(charge, buy, sell, orders);
    out[charge.key] = amount;
    if (charge.taxed) taxable += amount;
  }
  out.tax = taxable * model.taxRate;
  out.slippage = (buy + sell) * model.slippage;
  out.total = Object.values(out).reduce((total, value) => total + value, 0);
  out.orders = orders;
  return out;
}
