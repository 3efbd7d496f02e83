// The answers of an OpenAlgo v1 upstream that the adapter reads, as schemas: what each endpoint's success body must
// hold before anything maps it (fields it does not read are let through). Numbers may be JSON numbers or numeric text,
// as OpenAlgo's broker adapters vary; an answer that breaks its schema is an UpstreamFailure naming the field.
import { type Static, type TSchema, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { UpstreamFailure } from './wire-values.js';

const num = () => Type.Union([Type.Number(), Type.String()]);
const id = () => Type.Union([Type.String({ minLength: 1 }), Type.Number()]);

export const OrderRow = Type.Object({
  orderid: id(),
  symbol: Type.String(),
  exchange: Type.String(),
  action: Type.String(),
  product: Type.String(),
  pricetype: Type.String(),
  quantity: num(),
  price: Type.Optional(num()),
  trigger_price: Type.Optional(num()),
  order_status: Type.String(),
  timestamp: Type.Optional(Type.String()),
  average_price: Type.Optional(num()),
  /** Ordergate's; OpenAlgo's books leave it out. */
  filled_quantity: Type.Optional(num()),
  rejection_reason: Type.Optional(Type.String()),
  strategy: Type.Optional(Type.String()),
});
export type OrderRow = Static<typeof OrderRow>;

export const TradeRow = Type.Object({
  orderid: id(),
  /** Ordergate's; OpenAlgo's trade books leave it out. */
  tradeid: Type.Optional(id()),
  symbol: Type.String(),
  exchange: Type.String(),
  action: Type.String(),
  product: Type.String(),
  quantity: num(),
  average_price: num(),
  timestamp: Type.Optional(Type.String()),
});
export type TradeRow = Static<typeof TradeRow>;

export const PositionRow = Type.Object({
  symbol: Type.String(),
  exchange: Type.String(),
  product: Type.String(),
  quantity: num(),
  average_price: Type.Optional(num()),
  ltp: Type.Optional(num()),
  pnl: Type.Optional(num()),
});
export type PositionRow = Static<typeof PositionRow>;

export const HoldingRow = Type.Object({
  symbol: Type.String(),
  exchange: Type.String(),
  quantity: num(),
  pnl: Type.Optional(num()),
  pnlpercent: Type.Optional(num()),
  average_price: Type.Optional(num()),
  ltp: Type.Optional(num()),
});
export type HoldingRow = Static<typeof HoldingRow>;

const fundsFields = {
  availablecash: num(),
  collateral: Type.Optional(num()),
  m2mrealized: Type.Optional(num()),
  m2munrealized: Type.Optional(num()),
  utiliseddebits: Type.Optional(num()),
};
export const FundsBalance = Type.Object({ currency: Type.String(), ...fundsFields });
export type FundsBalance = Static<typeof FundsBalance>;
export const FundsData = Type.Object({
  ...fundsFields,
  /** Ordergate's: the currency of the fields above (rupees), and every balance when it holds another currency. */
  currency: Type.Optional(Type.String()),
  balances: Type.Optional(Type.Array(FundsBalance)),
});
export type FundsData = Static<typeof FundsData>;

const quoteFields = {
  open: Type.Optional(num()),
  high: Type.Optional(num()),
  low: Type.Optional(num()),
  ltp: num(),
  prev_close: Type.Optional(num()),
  volume: Type.Optional(num()),
  oi: Type.Optional(num()),
};

export const QuoteData = Type.Object({ ...quoteFields, ask: Type.Optional(num()), bid: Type.Optional(num()) });
export type QuoteData = Static<typeof QuoteData>;

const DepthLevel = Type.Object({ price: num(), quantity: num(), orders: Type.Optional(num()) });
export const DepthData = Type.Object({
  ...quoteFields,
  ltq: Type.Optional(num()),
  asks: Type.Array(DepthLevel),
  bids: Type.Array(DepthLevel),
});
export type DepthData = Static<typeof DepthData>;

const words = () => Type.Optional(Type.Array(Type.String()));
export const IntervalsData = Type.Object({
  seconds: words(),
  minutes: words(),
  hours: words(),
  days: words(),
  weeks: words(),
  months: words(),
});
export type IntervalsData = Static<typeof IntervalsData>;

export const BarRow = Type.Object({
  /** Epoch seconds (OpenAlgo's code; its docs show text). */
  timestamp: Type.Number(),
  open: num(),
  high: num(),
  low: num(),
  close: num(),
  volume: Type.Optional(num()),
});
export type BarRow = Static<typeof BarRow>;

export const MarginData = Type.Object({
  total_margin_required: num(),
  span_margin: Type.Optional(num()),
  exposure_margin: Type.Optional(num()),
  margin_benefit: Type.Optional(num()),
  /** Ordergate's: the currency of the figures; OpenAlgo's are in rupees. */
  currency: Type.Optional(Type.String()),
});
export type MarginData = Static<typeof MarginData>;

/** The success body of each endpoint the adapter calls. */
export const ANSWERS = {
  placeorder: Type.Object({ orderid: id() }),
  modifyorder: Type.Object({}),
  cancelorder: Type.Object({}),
  orderstatus: Type.Object({ data: OrderRow }),
  // Most adapters answer `{orders, statistics}`; some a bare list (OpenAlgo's own orderstatus reads both).
  orderbook: Type.Object({ data: Type.Union([Type.Object({ orders: Type.Array(OrderRow) }), Type.Array(OrderRow)]) }),
  tradebook: Type.Object({ data: Type.Array(TradeRow) }),
  positionbook: Type.Object({ data: Type.Array(PositionRow) }),
  holdings: Type.Object({ data: Type.Object({ holdings: Type.Array(HoldingRow) }) }),
  funds: Type.Object({ data: FundsData }),
  quotes: Type.Object({ data: QuoteData }),
  depth: Type.Object({ data: DepthData }),
  intervals: Type.Object({ data: IntervalsData }),
  history: Type.Object({ data: Type.Array(BarRow) }),
  margin: Type.Object({ data: MarginData }),
} as const;

export type Endpoint = keyof typeof ANSWERS;
export type Answer<E extends Endpoint> = Static<(typeof ANSWERS)[E]>;

const VALIDATORS = Object.fromEntries(Object.entries(ANSWERS).map(([endpoint, schema]) => [endpoint, Compile(schema as TSchema)])) as {
  [E in Endpoint]: ReturnType<typeof Compile<(typeof ANSWERS)[E]>>;
};

/** The body as `endpoint`'s answer, or an UpstreamFailure naming the first field that breaks its schema. */
export function readAnswer<E extends Endpoint>(endpoint: E, body: unknown): Answer<E> {
  const validator = VALIDATORS[endpoint];
  if (validator.Check(body)) return body as Answer<E>;
  const [first] = validator.Errors(body);
  const where = first?.instancePath ? ` at ${first.instancePath}` : '';
  throw new UpstreamFailure(`The upstream's ${endpoint} answer is not OpenAlgo's${where}: ${first?.message ?? 'unexpected shape'}`);
}

/** The order rows of an orderbook answer, whichever of its two shapes it has. */
export function orderRowsOf(answer: Answer<'orderbook'>): OrderRow[] {
  return Array.isArray(answer.data) ? answer.data : answer.data.orders;
}
