// Trading costs of a portfolio rebalance, as OpenAlgo's portfolio backtester models them: a flat rate on the traded
// value, or a delivery charge schedule (delivery-charges.ts) whose lines are charged on the rebalance's turnover, one
// leg or per order, with GST on the lines it applies to.
import { type ChargeLine, type ChargeSchedule, indiaDelivery } from './delivery-charges.js';

/** A charge schedule under the name the report shows. */
export interface CostSchedule extends ChargeSchedule {
  readonly kind: 'schedule';
  readonly name: string;
}

/** A flat round-trip rate: `bps` basis points plus `slippage`, on the traded value. */
export interface FlatCosts {
  readonly kind: 'flat';
  readonly bps: number;
  readonly slippage: number;
}

export type CostModel = CostSchedule | FlatCosts;

/** NSE/BSE cash delivery as a cost model, named as OpenAlgo names the preset (`India delivery (NSE)`). */
export function indiaDeliveryCosts(exchange: 'NSE' | 'BSE'): CostSchedule {
  return { kind: 'schedule', name: `India delivery (${exchange})`, ...indiaDelivery(exchange) };
}

/** Each line, `tax`, `slippage`, `total` and `orders` of one rebalance that bought `buy` and sold `sell`. */
export function costBreakdown(model: CostModel, buy: number, sell: number, orders: number): Record<string, number> {
  if (model.kind === 'flat') return { total: (buy + sell) / 2 * (model.bps / 10_000 + model.slippage), orders };
  const out: Record<string, number> = {};
  let taxable = 0;
  for (const line of model.lines) {
    const amount = lineAmount(line, buy, sell, orders);
    out[line.key] = amount;
    if (line.taxed) taxable += amount;
  }
  out.tax = taxable * model.taxRate;
  out.slippage = (buy + sell) * model.slippage;
  out.total = Object.values(out).reduce((total, value) => total + value, 0);
  out.orders = orders;
  return out;
}

// One line of one rebalance's contract note.
function lineAmount(line: ChargeLine, buy: number, sell: number, orders: number): number {
  switch (line.basis) {
    case 'turnover':
      return (buy + sell) * line.rate;
    case 'buy':
      return buy * line.rate;
    case 'sell':
      return sell * line.rate;
    case 'order': {
      if (orders <= 0) return 0;
      if (line.flat > 0) return line.flat * orders;
      // The split of the value across orders is unknown from aggregates: the average order bears the cap.
      const perOrder = ((buy + sell) / orders) * line.rate;
      return (line.cap > 0 ? Math.min(perOrder, line.cap) : perOrder) * orders;
    }
  }
}
