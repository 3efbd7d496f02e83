// Schemas of the v1 option endpoints (optionsymbol, optionchain, syntheticfuture, optionsorder, optionsmultiorder):
// request validation, types and OpenAPI in one place. As in OpenAlgo, unknown fields are refused, and a failure is
// answered `{"status":"error","message":"Validation error","errors":{field: [messages]}}`.
import { type Static, type TSchema, Type } from 'typebox';
import { EXCHANGES } from '../../domain/instrument.js';
import { ERROR_MESSAGE_KEYWORD } from './validation-errors.js';
import {
  action,
  ErrorResponse,
  apikey,
  disclosedQuantity,
  mode,
  price,
  pricetype,
  requestObject,
  strategy,
  stringEnum,
  success,
  triggerPrice,
} from './schemas.js';

/** Route config `style` of these endpoints: the summary message with the field errors beside it. */
export const OPTION_VALIDATION_STYLE = { summary: 'Validation error' };

const optionBody = <Properties extends Record<string, TSchema>>(properties: Properties, description: string) =>
  requestObject(properties, { additionalProperties: false, description });

const nullable = <T>(type: 'integer' | 'number', options: Record<string, unknown>) =>
  Type.Unsafe<T | null>({ type: [type, 'null'], ...options });

const underlying = () =>
  Type.String({ description: 'Underlying: `NIFTY`, `RELIANCE`, `CRUDEOIL`, or a future carrying the expiry, `NIFTY30DEC25FUT`.' });
const underlyingExchange = () =>
  stringEnum(EXCHANGES, {
    description:
      "The underlying's exchange (`NSE_INDEX`, `NSE`, `BSE_INDEX`, `BSE`, `MCX`, `CDS`, …) or the options exchange (`NFO`, `BFO`).",
  });
const expiryDate = (description: string) => Type.String({ description: `${description} \`DDMMMYY\`, e.g. \`30DEC25\`.` });
const optionalExpiry = () =>
  Type.Optional(expiryDate('Expiry of the options; optional when the underlying carries one (this one wins over it).'));
const strikeInterval = () =>
  Type.Optional(
    nullable<number>('integer', {
      minimum: 1,
      description:
        'Legacy: ATM is the price rounded to this interval and offsets step by it. Leave out to walk the listed strikes (recommended).',
    }),
  );
const offset = () =>
  Type.String({
    pattern: '^(?:[Aa][Tt][Mm]|[IiOo][Tt][Mm](?:[1-9]|[1-4][0-9]|50))$',
    [ERROR_MESSAGE_KEYWORD]: 'Offset must be ATM, ITM1-ITM50, or OTM1-OTM50',
    description: '`ATM`, `ITM1`…`ITM50` or `OTM1`…`OTM50`, any case. CE is in the money below ATM, PE above.',
  });
const optionType = () => stringEnum(['CE', 'PE', 'ce', 'pe'], { description: 'Call (CE) or put (PE).' });
const optionQuantity = () =>
  Type.Integer({
    minimum: 1,
    [ERROR_MESSAGE_KEYWORD]: 'Quantity must be a positive integer.',
    description: 'Quantity in units (a multiple of the lot size), not lots.',
  });
const splitSize = () =>
  nullable<number>('integer', {
    minimum: 0,
    default: 0,
    [ERROR_MESSAGE_KEYWORD]: 'Split size must be a non-negative integer.',
    description: 'When above 0, the quantity goes as orders of this size, the remainder last (at most 100).',
  });
const optionProduct = () =>
  stringEnum(['MIS', 'NRML'], { default: 'MIS', description: 'MIS intraday or NRML carry-forward (options take no CNC).' });

/** How an option order is priced and held, with OpenAlgo's defaults. */
const optionOrderTerms = () => ({
  pricetype: pricetype({ default: 'MARKET' }),
  product: optionProduct(),
  price: price({ default: 0 }),
  trigger_price: triggerPrice({ default: 0 }),
  disclosed_quantity: disclosedQuantity({ default: 0 }),
});

// ---------------------------------------------------------------------------------------------------------
// Requests

export const OptionSymbolBody = optionBody(
  {
    apikey: apikey(),
    strategy: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Deprecated; accepted and ignored.' })),
    underlying: underlying(),
    exchange: underlyingExchange(),
    expiry_date: optionalExpiry(),
    strike_int: strikeInterval(),
    offset: offset(),
    option_type: optionType(),
  },
  'Which option contract an offset from the money is now.',
);
export type OptionSymbolBody = Static<typeof OptionSymbolBody>;

export const OptionChainBody = optionBody(
  {
    apikey: apikey(),
    underlying: underlying(),
    exchange: underlyingExchange(),
    expiry_date: expiryDate('Expiry of the chain; an expiry inside the underlying wins over it.'),
    strike_count: Type.Optional(
      nullable<number>('integer', { minimum: 1, maximum: 100, description: 'Strikes on each side of ATM; leave out for all.' }),
    ),
    with_greeks: Type.Boolean({ default: false, description: 'Add implied volatility, delta, gamma, theta and vega to each leg.' }),
    interest_rate: Type.Optional(
      nullable<number>('number', { minimum: 0, maximum: 100, description: 'Annual risk-free rate in percent, for the greeks (default 0).' }),
    ),
  },
  'The option chain of one expiry, with quotes.',
);
export type OptionChainBody = Static<typeof OptionChainBody>;

export const SyntheticFutureBody = optionBody(
  {
    apikey: apikey(),
    underlying: underlying(),
    exchange: underlyingExchange(),
    expiry_date: expiryDate('Expiry whose ATM call and put are used.'),
  },
  'The synthetic future price of an expiry.',
);
export type SyntheticFutureBody = Static<typeof SyntheticFutureBody>;

export const OptionsOrderBody = optionBody(
  {
    apikey: apikey(),
    strategy: strategy(),
    underlying: underlying(),
    exchange: underlyingExchange(),
    expiry_date: optionalExpiry(),
    strike_int: strikeInterval(),
    offset: offset(),
    option_type: optionType(),
    action: action(),
    quantity: optionQuantity(),
    splitsize: splitSize(),
    ...optionOrderTerms(),
  },
  'Place an order on the option contract an offset from the money resolves to.',
);
export type OptionsOrderBody = Static<typeof OptionsOrderBody>;

export const OptionsLeg = requestObject(
  {
    offset: offset(),
    option_type: optionType(),
    action: action(),
    quantity: optionQuantity(),
    splitsize: splitSize(),
    expiry_date: Type.Optional(expiryDate("This leg's expiry (calendars, diagonals); the request's otherwise.")),
    ...optionOrderTerms(),
  },
  { additionalProperties: false, description: 'One leg.' },
);
export type OptionsLeg = Static<typeof OptionsLeg>;

export const OptionsMultiOrderBody = optionBody(
  {
    apikey: apikey(),
    strategy: strategy('Strategy tag applied to every leg.'),
    underlying: underlying(),
    exchange: underlyingExchange(),
    expiry_date: optionalExpiry(),
    strike_int: strikeInterval(),
    legs: Type.Array(OptionsLeg, {
      minItems: 1,
      maxItems: 20,
      [ERROR_MESSAGE_KEYWORD]: 'Legs must contain 1 to 20 items.',
      description: '1 to 20 legs; BUY legs are placed before SELL legs.',
    }),
  },
  'Place several option legs on one underlying.',
);
export type OptionsMultiOrderBody = Static<typeof OptionsMultiOrderBody>;

// ---------------------------------------------------------------------------------------------------------
// Responses

/** The error envelope; a validation failure adds the field errors beside `"message":"Validation error"`. */
export const OptionErrorResponse = Type.Object(
  {
    ...ErrorResponse.properties,
    errors: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description: 'Validation failures only: field → list of messages (nested for legs: index → field → messages).',
      }),
    ),
  },
  { description: 'Error envelope.' },
);

const underlyingLtp = () => Type.Number({ description: "The underlying's last price that placed the money." });
const optionTypeOut = () => stringEnum(['CE', 'PE'], { description: 'Call or put.' });
const offsetOut = () => Type.String({ description: 'The offset as sent.' });

export const OptionSymbolResponse = Type.Object(
  {
    status: success(),
    symbol: Type.String({ description: 'The resolved option symbol.' }),
    exchange: Type.String({ description: 'Its exchange (NFO, BFO, MCX, CDS, …).' }),
    lotsize: Type.Number({ description: 'Lot size.' }),
    tick_size: Type.Number({ description: 'Tick size.' }),
    freeze_qty: Type.Number({ description: 'Largest quantity of one order.' }),
    underlying_ltp: underlyingLtp(),
    mode: mode(),
  },
  { description: 'The contract.' },
);

const greekFields = {
  implied_volatility: Type.Optional(Type.Number({ description: 'Implied volatility in percent (0 when there is no time value to invert).' })),
  delta: Type.Optional(Type.Number()),
  gamma: Type.Optional(Type.Number()),
  theta: Type.Optional(Type.Number({ description: 'Per calendar day.' })),
  vega: Type.Optional(Type.Number({ description: 'Per 1 % of volatility.' })),
};

const ChainLeg = Type.Object(
  {
    symbol: Type.String(),
    label: Type.String({ description: '`ATM`, `ITMn` or `OTMn` for this right.' }),
    ltp: Type.Number(),
    bid: Type.Number(),
    ask: Type.Number(),
    bid_qty: Type.Number(),
    ask_qty: Type.Number(),
    open: Type.Number(),
    high: Type.Number(),
    low: Type.Number(),
    prev_close: Type.Number(),
    volume: Type.Number(),
    oi: Type.Number(),
    lotsize: Type.Number(),
    tick_size: Type.Number(),
    ...greekFields,
  },
  { description: 'One option of the row; zeros when the broker has no quote for it.' },
);

export const OptionChainResponse = Type.Object(
  {
    status: success(),
    underlying: Type.String({ description: 'The base, e.g. `NIFTY`.' }),
    underlying_symbol: Type.String({ description: 'The instrument quoted for the underlying (the nearest future on MCX and CDS).' }),
    underlying_exchange: Type.String(),
    underlying_ltp: underlyingLtp(),
    underlying_prev_close: Type.Number(),
    expiry_date: Type.String({ description: '`DDMMMYY`.' }),
    expiry_ts: Type.Integer({ description: 'Expiry cut-off in epoch seconds (15:30 IST; MCX 23:30, CDS 12:30).' }),
    server_ts: Type.Integer({ description: "The gateway's time in epoch seconds, to correct a client's clock before it computes time to expiry." }),
    atm_strike: Type.Number(),
    quotes_included: Type.Boolean(),
    greeks_included: Type.Boolean(),
    forward_price: Type.Union([Type.Number(), Type.Null()], {
      description: 'With greeks: ATM strike + call − put (the underlying price when either is unpriced); null otherwise.',
    }),
    chain: Type.Array(
      Type.Object({
        strike: Type.Number(),
        ce: Type.Union([ChainLeg, Type.Null()]),
        pe: Type.Union([ChainLeg, Type.Null()]),
      }),
      { description: 'Strikes ascending.' },
    ),
    mode: mode(),
  },
  { description: 'The chain.' },
);

export const SyntheticFutureResponse = Type.Object(
  {
    status: success(),
    underlying: Type.String({ description: 'As sent.' }),
    underlying_ltp: underlyingLtp(),
    expiry: Type.String({ description: 'As sent.' }),
    atm_strike: Type.Number(),
    synthetic_future_price: Type.Number({ description: 'ATM strike + call − put, rounded to 2 decimals.' }),
    mode: mode(),
  },
  { description: 'The synthetic future.' },
);

const childResult = Type.Union([
  Type.Object({ order_num: Type.Integer(), quantity: Type.Number(), status: success(), orderid: Type.String() }),
  Type.Object({ order_num: Type.Integer(), quantity: Type.Number(), status: Type.Literal('error'), message: Type.String() }),
]);

const resolvedFields = () => ({
  symbol: Type.String({ description: 'The resolved option symbol.' }),
  exchange: Type.String({ description: 'Its exchange.' }),
  underlying: Type.String({ description: 'As sent.' }),
  underlying_ltp: underlyingLtp(),
  offset: offsetOut(),
  option_type: optionTypeOut(),
});

export const OptionsOrderResponse = Type.Union([
  Type.Object(
    { status: success(), orderid: Type.String({ description: 'The order placed.' }), ...resolvedFields(), mode: mode() },
    { description: 'One order placed.' },
  ),
  Type.Object(
    {
      status: success(),
      ...resolvedFields(),
      total_quantity: Type.Number(),
      split_size: Type.Integer(),
      results: Type.Array(childResult, { description: 'Each child, the remainder last; HTTP 200 even when some failed.' }),
      mode: mode(),
    },
    { description: 'Split into children.' },
  ),
]);

const legFields = () => ({
  leg: Type.Integer({ description: 'Position of the leg in the request, from 1.' }),
  offset: offsetOut(),
  option_type: optionTypeOut(),
  action: stringEnum(['BUY', 'SELL']),
});

const LegResult = Type.Union([
  Type.Object({
    ...legFields(),
    symbol: Type.String(),
    exchange: Type.String(),
    product: Type.String(),
    status: success(),
    orderid: Type.String(),
    mode: stringEnum(['live', 'analyze']),
  }),
  Type.Object({
    ...legFields(),
    symbol: Type.String(),
    exchange: Type.String(),
    product: Type.String(),
    status: stringEnum(['success', 'error'], { description: '`success` when at least one child was placed.' }),
    total_quantity: Type.Number(),
    split_size: Type.Integer(),
    split_results: Type.Array(childResult),
    mode: stringEnum(['live', 'analyze']),
  }),
  Type.Object({
    ...legFields(),
    symbol: Type.Optional(Type.String({ description: 'Absent when the contract could not be resolved.' })),
    exchange: Type.Optional(Type.String()),
    status: Type.Literal('error'),
    message: Type.String(),
  }),
]);

export const OptionsMultiOrderResponse = Type.Object(
  {
    status: success(),
    underlying: Type.String({ description: 'As sent.' }),
    underlying_ltp: Type.Union([Type.Number(), Type.Null()], { description: 'Null when the underlying could not be priced.' }),
    results: Type.Array(LegResult, { description: 'By leg number (BUY legs were placed first).' }),
    mode: mode(),
  },
  { description: "Each leg's outcome; HTTP 200 even when some failed." },
);
