// OpenAlgo v1 request and response schemas for the order, account and ping endpoints: the single source of
// validation (Fastify's Ajv, configured with OPENALGO_AJV_OPTIONS), TypeScript types and OpenAPI docs.
//
// Request types are what the handler receives: fields with a `default` are typed as present because Ajv's
// `useDefaults` fills them in before the handler runs; the JSON schema still lists them as optional.
import { Type, type Static, type TObject, type TProperties, type TSchema, type TSchemaOptions } from 'typebox';
import { CURRENCIES } from '../../domain/currency.js';
import { EXCHANGES } from '../../domain/instrument.js';
import { NUMBER_TEXT_KEYWORD } from '../number-text.js';
import { ERROR_MESSAGE_KEYWORD, type ValidationStyle } from './validation-errors.js';
import { RATE_LIMITED_MESSAGE } from '../../gateway/rate-limits.js';

// ---------------------------------------------------------------------------------------------------------
// Building blocks

export const ACTIONS = ['BUY', 'SELL', 'buy', 'sell'] as const;
export const PRICE_TYPES = ['MARKET', 'LIMIT', 'SL', 'SL-M'] as const;
export const PRODUCTS = ['MIS', 'NRML', 'CNC'] as const;
export const ORDER_STATUSES = ['open', 'complete', 'rejected', 'cancelled', 'trigger pending'] as const;
/** An order status as the v1 dialect writes it. */
export type OrderStatusWord = (typeof ORDER_STATUSES)[number];

/** A string enum (`{type: 'string', enum: [...]}`), so Ajv reports one `enum` error and OpenAPI shows the type. */
export function stringEnum<const Values extends string[]>(values: readonly [...Values], options: TSchemaOptions = {}) {
  return Type.Enum(values, { type: 'string', ...options });
}

/** An object whose defaulted properties are optional on the wire but typed as present (see module header). */
function withDefaults<Properties extends TProperties>(schema: TObject<Properties>): TObject<Properties> {
  const properties: Record<string, TSchema> = schema.properties;
  const declared: readonly string[] = (schema.required as readonly string[] | undefined) ?? [];
  const required = declared.filter((key) => !('default' in (properties[key] ?? {})));
  if (required.length > 0) Object.assign(schema, { required });
  else Reflect.deleteProperty(schema, 'required');
  return schema;
}

/**
 * A request object of the dialect: numbers in it, JSON numbers or text, are read as marshmallow's Float and
 * Integer read them (Python's float() and int(): `" 5"`, `"+5"`, `"1e3"` and `"1_000"` are numbers, `"0x10"`,
 * `true`, `null` and `"inf"` are not), and its defaulted properties are typed as present (see module header).
 */
export function requestObject<Properties extends TProperties>(properties: Properties, options: TSchemaOptions) {
  return withDefaults(Type.Object(properties, { ...options, [NUMBER_TEXT_KEYWORD]: 'python' }));
}

/** Order endpoints reject unknown fields (marshmallow's default `RAISE`): `{'position_size': ['Unknown field.']}`. */
function orderBody<Properties extends TProperties>(properties: Properties, description: string) {
  return requestObject(properties, { additionalProperties: false, description });
}

/**
 * Data endpoints take `{apikey}` and ignore anything else. Deliberate superset: OpenAlgo's account schemas
 * use marshmallow's default RAISE too, so there an extra field is a 400 `{"field": ["Unknown field."]}`.
 */
export function dataBody<Properties extends TProperties>(properties: Properties, description: string) {
  return requestObject(properties, { description });
}

export const apikey = () =>
  Type.String({ minLength: 1, maxLength: 256, description: 'OpenAlgo API key of the account (1–256 characters).' });
export const strategy = (description = 'Free-text strategy tag recorded with the order.') => Type.String({ description });
export const exchange = () => stringEnum(EXCHANGES, { description: 'Exchange code (`VALID_EXCHANGES`).' });
export const symbol = () => Type.String({ description: 'OpenAlgo symbol, e.g. `SBIN`, `NIFTY30DEC25FUT`, `NIFTY30DEC2526000CE`.' });
const orderid = () => Type.String({ description: 'Order id as returned by placeorder.' });
export const action = () => stringEnum(ACTIONS, { description: 'Side; lower case is accepted and upper-cased.' });
export const pricetype = (options: TSchemaOptions = {}) =>
  stringEnum(PRICE_TYPES, {
    description: 'MARKET, LIMIT (needs `price`), SL stop-limit (`price` + `trigger_price`), SL-M stop-market (`trigger_price`).',
    ...options,
  });
const product = (options: TSchemaOptions = {}) =>
  stringEnum(PRODUCTS, { description: 'MIS intraday, NRML carry-forward F&O, CNC equity delivery.', ...options });
export const price = (options: TSchemaOptions = {}) =>
  Type.Number({
    minimum: 0,
    [ERROR_MESSAGE_KEYWORD]: 'Price must be a non-negative number.',
    description: 'Limit price (LIMIT, SL); ignored for MARKET and SL-M.',
    ...options,
  });
export const triggerPrice = (options: TSchemaOptions = {}) =>
  Type.Number({
    minimum: 0,
    [ERROR_MESSAGE_KEYWORD]: 'Trigger price must be a non-negative number.',
    description: 'Trigger price (SL, SL-M).',
    ...options,
  });
export const disclosedQuantity = (options: TSchemaOptions = {}) =>
  Type.Integer({
    minimum: 0,
    [ERROR_MESSAGE_KEYWORD]: 'Disclosed quantity must be a non-negative integer.',
    description: 'Quantity disclosed to the market (0 = all).',
    ...options,
  });
const positiveQuantity = () =>
  Type.Number({
    exclusiveMinimum: 0,
    [ERROR_MESSAGE_KEYWORD]: 'Quantity must be a positive number.',
    description: 'Quantity in units (a multiple of the lot size); fractional only on CRYPTO.',
  });

// ---------------------------------------------------------------------------------------------------------
// Requests: order endpoints (validation errors as a Python-repr string)

/** How an order is priced and held, with OpenAlgo's defaults: the same fields on every placing endpoint. */
const orderTerms = () => ({
    pricetype: pricetype({ default: 'MARKET' }),
    product: product({ default: 'MIS' }),
    price: price({ default: 0 }),
    trigger_price: triggerPrice({ default: 0 }),
    disclosed_quantity: disclosedQuantity({ default: 0 }),
});

export const PlaceOrderBody = orderBody(
  {
    apikey: apikey(),
    strategy: strategy(),
    exchange: exchange(),
    symbol: symbol(),
    action: action(),
    quantity: positiveQuantity(),
    ...orderTerms(),
    // OpenAlgo's order schema has it (the options endpoints pass the underlying's price along), so a client
    // sending it must not get "Unknown field."; it is accepted and ignored.
    underlying_ltp: Type.Optional(
      Type.Unsafe<number | null>({
        type: ['number', 'null'],
        description: "Underlying's last price, informational; accepted for compatibility and ignored.",
      }),
    ),
  },
  'Place an order.',
);
export type PlaceOrderBody = Static<typeof PlaceOrderBody>;

export const PlaceSmartOrderBody = orderBody(
  {
    apikey: apikey(),
    strategy: strategy(),
    exchange: exchange(),
    symbol: symbol(),
    action: action(),
    quantity: Type.Number({
      minimum: 0,
      [ERROR_MESSAGE_KEYWORD]: 'Quantity must be a non-negative number.',
      description: 'Quantity for a plain order when both target and current position are 0; may be 0.',
    }),
    position_size: Type.Number({
      description: 'Target net position after the order (signed: negative = short).',
    }),
    ...orderTerms(),
  },
  'Place an order that brings the net position of (symbol, exchange, product) to `position_size`.',
);
export type PlaceSmartOrderBody = Static<typeof PlaceSmartOrderBody>;

export const ModifyOrderBody = orderBody(
  {
    apikey: apikey(),
    // Deliberate superset: OpenAlgo requires `strategy`; it does not change the order, so it may be left out.
    strategy: Type.String({ default: '', description: 'Strategy tag; not changed by a modification. Empty when not sent.' }),
    exchange: exchange(),
    symbol: symbol(),
    orderid: orderid(),
    action: action(),
    product: product(),
    pricetype: pricetype(),
    price: price({ description: 'New limit price (LIMIT, SL); 0 otherwise.' }),
    quantity: positiveQuantity(),
    // Deliberate superset: OpenAlgo requires these two, but the official Node SDK's modifyOrder does not send
    // them, so they default to 0.
    disclosed_quantity: disclosedQuantity({ default: 0 }),
    trigger_price: triggerPrice({ default: 0, description: 'New trigger price (SL, SL-M); 0 otherwise.' }),
  },
  'Modify an open or trigger-pending order.',
);
export type ModifyOrderBody = Static<typeof ModifyOrderBody>;

// Deliberate superset on the next five: OpenAlgo's schemas require `strategy` (its docs call it optional);
// it filters nothing, so it is optional here.
const optionalStrategy = () => Type.Optional(strategy('Strategy tag; informational, filters nothing.'));

export const SplitOrderBody = orderBody(
  {
    apikey: apikey(),
    strategy: strategy(),
    exchange: exchange(),
    symbol: symbol(),
    action: action(),
    quantity: Type.Number({
      exclusiveMinimum: 0,
      [ERROR_MESSAGE_KEYWORD]: 'Total quantity must be a positive number.',
      description: 'Total quantity, split into orders of `splitsize` (the remainder last).',
    }),
    splitsize: Type.Integer({
      minimum: 1,
      [ERROR_MESSAGE_KEYWORD]: 'Split size must be a positive integer.',
      description: 'Quantity of each child order; at most 100 children.',
    }),
    ...orderTerms(),
  },
  'Place one large order as several child orders of `splitsize`, paced by the order rate limit.',
);
export type SplitOrderBody = Static<typeof SplitOrderBody>;

export const BasketOrderItem = requestObject(
  {
    exchange: exchange(),
    symbol: symbol(),
    action: action(),
    quantity: positiveQuantity(),
    ...orderTerms(),
  },
  { additionalProperties: false, description: 'One leg of a basket.' },
);
export type BasketOrderItem = Static<typeof BasketOrderItem>;

export const BasketOrderBody = orderBody(
  {
    apikey: apikey(),
    strategy: strategy('Strategy tag applied to every leg.'),
    orders: Type.Array(BasketOrderItem, { description: 'The legs; BUY legs are sent before SELL legs.' }),
  },
  'Place several orders at once; each leg succeeds or fails on its own.',
);
export type BasketOrderBody = Static<typeof BasketOrderBody>;

export const CancelOrderBody = orderBody(
  { apikey: apikey(), strategy: optionalStrategy(), orderid: orderid() },
  'Cancel an open or trigger-pending order.',
);
export type CancelOrderBody = Static<typeof CancelOrderBody>;

export const CancelAllOrderBody = orderBody(
  { apikey: apikey(), strategy: optionalStrategy() },
  "Cancel every open and trigger-pending order of the account (all strategies).",
);
export type CancelAllOrderBody = Static<typeof CancelAllOrderBody>;

export const ClosePositionBody = orderBody(
  { apikey: apikey(), strategy: optionalStrategy() },
  'Square off every non-zero net position of the account (all strategies) with MARKET orders.',
);
export type ClosePositionBody = Static<typeof ClosePositionBody>;

export const OrderStatusBody = orderBody(
  { apikey: apikey(), strategy: optionalStrategy(), orderid: orderid() },
  'Status of one order.',
);
export type OrderStatusBody = Static<typeof OrderStatusBody>;

export const OpenPositionBody = orderBody(
  {
    apikey: apikey(),
    strategy: optionalStrategy(),
    symbol: symbol(),
    // OpenAlgo does not enum-check this one: an unknown exchange simply has no position.
    exchange: Type.String({ description: 'Exchange code; not checked against the list (unknown → quantity 0).' }),
    product: product(),
  },
  'Net quantity of one (symbol, exchange, product) position.',
);
export type OpenPositionBody = Static<typeof OpenPositionBody>;

// ---------------------------------------------------------------------------------------------------------
// Requests: data/account endpoints (validation errors as a JSON object)

/** `{apikey}`: the body of every data/account endpoint below (each has its own copy for its OpenAPI text). */
export const ApiKeyBody = dataBody({ apikey: apikey() }, 'Identifies the account by its API key.');
export type ApiKeyBody = Static<typeof ApiKeyBody>;
export const OrderBookBody = dataBody({ apikey: apikey() }, "Today's orders of the account.");
export type OrderBookBody = Static<typeof OrderBookBody>;
export const TradeBookBody = dataBody({ apikey: apikey() }, "Today's fills of the account.");
export type TradeBookBody = Static<typeof TradeBookBody>;
export const PositionBookBody = dataBody({ apikey: apikey() }, "Today's net positions of the account.");
export type PositionBookBody = Static<typeof PositionBookBody>;
export const HoldingsBody = dataBody({ apikey: apikey() }, 'Delivery holdings of the account.');
export type HoldingsBody = Static<typeof HoldingsBody>;
export const FundsBody = dataBody({ apikey: apikey() }, 'Funds and margin use of the account.');
export type FundsBody = Static<typeof FundsBody>;
export const PingBody = dataBody({ apikey: apikey() }, 'Check the API key and the broker session.');
export type PingBody = Static<typeof PingBody>;
export const AnalyzerBody = orderBody({ apikey: apikey() }, "Analyzer (sandbox) mode of the caller's account.");
export type AnalyzerBody = Static<typeof AnalyzerBody>;
export const AnalyzerToggleBody = orderBody(
  {
    apikey: apikey(),
    mode: Type.Boolean({ description: '`true` switches the account to analyzer (sandbox) mode, `false` back to live.' }),
  },
  "Switch the caller's account between analyzer (sandbox) and live mode; other accounts are unaffected.",
);
export type AnalyzerToggleBody = Static<typeof AnalyzerToggleBody>;

// ---------------------------------------------------------------------------------------------------------
// Responses

export const success = () => Type.Literal('success', { description: 'Always `success` on a 2xx answer.' });
export const mode = () =>
  Type.Optional(Type.Literal('analyze', { description: 'Present when the account runs in analyzer (sandbox) mode.' }));
const twoDecimals = (description: string) => Type.Number({ description: `${description} Rounded to 2 decimals.` });
/** A price on the instrument's tick grid, shown as it is. */
const exactPrice = (description: string) => Type.Number({ description: `${description} Exact (a multiple of the tick size).` });
/** An average of prices, rounded to what the instrument's prices show. */
const averagePrice = (description: string) =>
  Type.Number({
    description: `${description} Rounded to the instrument's price precision: its tick size's decimals, at least 2 (800.05 for SBIN, 2.2001 for XRPUSDFUT).`,
  });
/** An amount of one instrument, in its currency. */
const instrumentMoney = (description: string) =>
  Type.Number({
    description: `${description} In the instrument's currency: rupees rounded to 2 decimals, dollars (CRYPTO) to the instrument's price precision.`,
  });
const currencyOut = (description: string) => stringEnum(CURRENCIES, { description: `${description} \`INR\` or \`USD\` (CRYPTO).` });
const units = (description: string) => Type.Number({ description: `${description} Integral except on CRYPTO.` });
const timestamp = () => Type.String({ description: 'Exchange time (IST) as `YYYY-MM-DD HH:MM:SS`.' });
const orderStatus = () => stringEnum(ORDER_STATUSES, { description: 'Normalized order status.' });
const actionOut = () => stringEnum(['BUY', 'SELL'], { description: 'Side.' });

/** Every error answer. `message` is a string, except a data endpoint's 400, where it maps field → messages. */
export const ErrorResponse = Type.Object(
  {
    status: Type.Literal('error', { description: 'Always `error`.' }),
    message: Type.Union(
      [
        Type.String(),
        Type.Record(Type.String(), Type.Unknown(), {
          description: 'Data endpoints only: field → list of messages (nested for nested fields).',
        }),
      ],
      {
        description:
          "What went wrong. On an order endpoint's 400 this is Python's `str()` of the field → messages dict, e.g. `{'quantity': ['Missing data for required field.']}`.",
      },
    ),
    mode: mode(),
  },
  { description: 'Error envelope.' },
);
export type ErrorResponse = Static<typeof ErrorResponse>;

/** The 429 of a route group's rate limit (headers: Retry-After and RateLimit-Limit/-Remaining/-Reset). */
export const RateLimitedResponse = Type.Object(
  {
    status: Type.Literal('error', { description: 'Always `error`.' }),
    message: Type.Literal(RATE_LIMITED_MESSAGE),
    retry_after: Type.Integer({ minimum: 1, description: 'Seconds until the API key may send again (also `Retry-After`).' }),
  },
  {
    description:
      "The API key's limit of this route group (ORDER_RATE_LIMIT, SMART_ORDER_RATE_LIMIT or API_RATE_LIMIT) is used up. " +
      'Every limited answer carries `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` headers.',
  },
);

const orderIdAnswer = (description: string) =>
  Type.Object(
    { status: success(), orderid: Type.String({ description: 'Broker order id (a string).' }), mode: mode() },
    { description },
  );

/** `{status: 'success', orderid}`: the answer of placeorder, modifyorder and cancelorder. */
export const OrderIdResponse = orderIdAnswer('The order concerned.');
export type OrderIdResponse = Static<typeof OrderIdResponse>;

export const PlaceOrderResponse = orderIdAnswer('Order accepted by the broker (an acknowledgement, not a fill).');
export type PlaceOrderResponse = Static<typeof PlaceOrderResponse>;

export const PlaceSmartOrderResponse = Type.Union(
  [
    orderIdAnswer('An order was needed and was accepted.'),
    Type.Object(
      {
        status: success(),
        message: Type.String({ description: 'e.g. `Positions Already Matched. No Action needed.`' }),
        mode: mode(),
      },
      { description: 'The position already matches; no order was sent.' },
    ),
  ],
  { description: 'Smart order outcome.' },
);
export type PlaceSmartOrderResponse = Static<typeof PlaceSmartOrderResponse>;

export const ModifyOrderResponse = orderIdAnswer('Modification accepted; `orderid` is the modified order.');
export type ModifyOrderResponse = Static<typeof ModifyOrderResponse>;

export const CancelOrderResponse = orderIdAnswer('Cancellation accepted.');
export type CancelOrderResponse = Static<typeof CancelOrderResponse>;

const legError = (extra: TProperties) =>
  Type.Object({ ...extra, status: Type.Literal('error'), message: Type.String({ description: 'Why this leg failed.' }) });

export const SplitOrderResponse = Type.Object(
  {
    status: success(),
    total_quantity: Type.Number({ description: 'The total requested.' }),
    split_size: Type.Integer({ description: 'Quantity of each full child order.' }),
    results: Type.Array(
      Type.Union([
        Type.Object({
          order_num: Type.Integer(),
          quantity: Type.Number(),
          status: success(),
          orderid: Type.String(),
        }),
        legError({ order_num: Type.Integer(), quantity: Type.Number() }),
      ]),
      { description: 'One entry per child order, in placement order (the remainder last).' },
    ),
    mode: mode(),
  },
  { description: 'Per-child outcome; HTTP 200 even when some children failed.' },
);
export type SplitOrderResponse = Static<typeof SplitOrderResponse>;

export const BasketOrderResponse = Type.Object(
  {
    status: success(),
    results: Type.Array(
      Type.Union([
        Type.Object({
          symbol: Type.String(),
          exchange: Type.String(),
          product: Type.String(),
          status: success(),
          orderid: Type.String(),
        }),
        legError({ symbol: Type.String() }),
      ]),
      { description: 'One entry per leg, in request order (OpenAlgo returns completion order).' },
    ),
    mode: mode(),
  },
  { description: 'Per-leg outcome; HTTP 200 even when some legs failed.' },
);
export type BasketOrderResponse = Static<typeof BasketOrderResponse>;

export const CancelAllOrderResponse = Type.Object(
  {
    status: success(),
    canceled_orders: Type.Array(Type.String(), { description: 'Ids of the orders cancelled.' }),
    failed_cancellations: Type.Array(Type.String(), { description: 'Ids of the orders whose cancellation failed.' }),
    message: Type.String({ description: 'e.g. `Canceled 2 orders. Failed to cancel 0 orders.`' }),
    mode: mode(),
  },
  { description: 'Outcome of cancelling all open orders.' },
);
export type CancelAllOrderResponse = Static<typeof CancelAllOrderResponse>;

export const ClosePositionResponse = Type.Object(
  {
    status: success(),
    message: Type.String({
      description:
        'Live: `All Open Positions Squared Off` (also when nothing was open). Analyzer: `Closed 2 positions`, or ' +
        '`No open positions to close`. When some failed, in either mode: `Closed 1 positions (Failed to close 1 positions)`.',
    }),
    closed_positions: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Positions whose closing orders were all accepted (analyzer mode, or when some failed).' }),
    ),
    failed_closures: Type.Optional(
      Type.Integer({ minimum: 0, description: 'Positions some closing order of which was refused or rejected (as `closed_positions`).' }),
    ),
    failures: Type.Optional(
      Type.Array(
        Type.Object({
          symbol: Type.String({ description: 'OpenAlgo symbol.' }),
          exchange: Type.String({ description: 'Exchange code.' }),
          product: stringEnum(PRODUCTS, { description: 'Product.' }),
          message: Type.String({ description: 'Why its closing order failed.' }),
        }),
        { description: 'The positions not closed, and why; present only when some failed.' },
      ),
    ),
    mode: mode(),
  },
  { description: 'Square-off orders were sent for every open position.' },
);
export type ClosePositionResponse = Static<typeof ClosePositionResponse>;

export const OrderStatusResponse = Type.Object(
  {
    status: success(),
    data: Type.Object(
      {
        action: actionOut(),
        exchange: Type.String({ description: 'Exchange code.' }),
        orderid: Type.String({ description: 'Order id.' }),
        symbol: Type.String({ description: 'OpenAlgo symbol.' }),
        product: stringEnum(PRODUCTS, { description: 'Product.' }),
        pricetype: stringEnum(PRICE_TYPES, { description: 'Price type.' }),
        price: exactPrice('Limit price; 0 for MARKET and SL-M.'),
        trigger_price: exactPrice('Trigger price; 0 when none.'),
        quantity: units('Ordered quantity.'),
        order_status: orderStatus(),
        timestamp: timestamp(),
        average_price: averagePrice('Average fill price; 0 before the first fill.'),
        filled_quantity: units('Quantity filled so far.'),
      },
      { description: 'The order.' },
    ),
    mode: mode(),
  },
  { description: 'Status of one order.' },
);
export type OrderStatusResponse = Static<typeof OrderStatusResponse>;

export const OpenPositionResponse = Type.Object(
  {
    status: success(),
    quantity: Type.Number({ description: 'Signed net quantity (negative = short); 0 when there is no position.' }),
    mode: mode(),
  },
  { description: 'Net quantity of one position.' },
);
export type OpenPositionResponse = Static<typeof OpenPositionResponse>;

export const OrderBookResponse = Type.Object(
  {
    status: success(),
    data: Type.Object(
      {
        orders: Type.Array(
          Type.Object(
            {
              action: actionOut(),
              symbol: Type.String({ description: 'OpenAlgo symbol.' }),
              exchange: Type.String({ description: 'Exchange code.' }),
              orderid: Type.String({ description: 'Order id.' }),
              product: stringEnum(PRODUCTS, { description: 'Product.' }),
              quantity: units('Ordered quantity.'),
              price: exactPrice('Limit price; 0 for MARKET orders.'),
              pricetype: stringEnum(PRICE_TYPES, { description: 'Price type.' }),
              order_status: orderStatus(),
              trigger_price: exactPrice('Trigger price; 0 when none.'),
              average_price: averagePrice('Average fill price; 0 when nothing filled.'),
              filled_quantity: units('Quantity filled.'),
              pending_quantity: units('Quantity still working (0 once complete, cancelled or rejected).'),
              rejection_reason: Type.String({ description: 'Why the order was rejected; empty otherwise.' }),
              timestamp: timestamp(),
              strategy: Type.String({ description: 'Strategy tag; empty when none.' }),
            },
            { description: 'One order.' },
          ),
          { description: "Today's orders, newest first." },
        ),
        statistics: Type.Object(
          {
            total_buy_orders: Type.Integer({ description: 'Number of BUY orders.' }),
            total_sell_orders: Type.Integer({ description: 'Number of SELL orders.' }),
            total_completed_orders: Type.Integer({ description: 'Number of complete orders.' }),
            total_open_orders: Type.Integer({ description: 'Number of open orders.' }),
            total_rejected_orders: Type.Integer({ description: 'Number of rejected orders.' }),
            total_trigger_pending_orders: Type.Integer({ description: 'Number of trigger-pending orders.' }),
          },
          { description: 'Counts over `orders`.' },
        ),
      },
      { description: 'Orders and their counts.' },
    ),
    mode: mode(),
  },
  { description: 'Order book.' },
);
export type OrderBookResponse = Static<typeof OrderBookResponse>;

export const TradeBookResponse = Type.Object(
  {
    status: success(),
    data: Type.Array(
      Type.Object(
        {
          action: actionOut(),
          symbol: Type.String({ description: 'OpenAlgo symbol.' }),
          exchange: Type.String({ description: 'Exchange code.' }),
          orderid: Type.String({ description: 'Id of the order filled.' }),
          tradeid: Type.String({ description: 'Id of this fill.' }),
          product: stringEnum(PRODUCTS, { description: 'Product.' }),
          quantity: units('Filled quantity.'),
          average_price: exactPrice('Fill price.'),
          timestamp: timestamp(),
          trade_value: instrumentMoney('quantity × average_price.'),
        },
        { description: 'One fill.' },
      ),
      { description: "Today's fills, one row per fill." },
    ),
    mode: mode(),
  },
  { description: 'Trade book.' },
);
export type TradeBookResponse = Static<typeof TradeBookResponse>;

export const PositionBookResponse = Type.Object(
  {
    status: success(),
    data: Type.Array(
      Type.Object(
        {
          symbol: Type.String({ description: 'OpenAlgo symbol.' }),
          exchange: Type.String({ description: 'Exchange code.' }),
          product: stringEnum(PRODUCTS, { description: 'Product.' }),
          currency: currencyOut('What the prices and P&L of the position are in.'),
          quantity: units('Signed net quantity (negative = short; 0 = closed today).'),
          average_price: averagePrice('Average price of the open quantity; 0 when closed.'),
          ltp: exactPrice('Last traded price.'),
          pnl: instrumentMoney("Today's profit and loss, realized plus unrealized."),
        },
        { description: 'One net position per (symbol, exchange, product).' },
      ),
      { description: "Today's positions, including those closed today." },
    ),
    mode: mode(),
  },
  { description: 'Position book.' },
);
export type PositionBookResponse = Static<typeof PositionBookResponse>;

/** The totals of the holdings of one currency, 2 decimals each. */
function holdingsTotals(currency: string) {
  return {
    totalholdingvalue: twoDecimals(`Market value of all ${currency} holdings.`),
    totalinvvalue: twoDecimals(`Cost of all ${currency} holdings.`),
    totalprofitandloss: twoDecimals(`Total unrealized profit and loss of the ${currency} holdings.`),
    totalpnlpercentage: twoDecimals('totalprofitandloss as a percentage of totalinvvalue.'),
  };
}

export const HoldingsResponse = Type.Object(
  {
    status: success(),
    data: Type.Object(
      {
        holdings: Type.Array(
          Type.Object(
            {
              symbol: Type.String({ description: 'OpenAlgo symbol.' }),
              exchange: Type.String({ description: 'Exchange code.' }),
              product: Type.Literal('CNC', { description: 'Always CNC.' }),
              currency: currencyOut('What the prices and P&L of the holding are in.'),
              quantity: units('Quantity held.'),
              average_price: Type.Optional(averagePrice('Average buy price.')),
              ltp: Type.Optional(exactPrice('Last traded price.')),
              pnl: instrumentMoney('Unrealized profit and loss.'),
              pnlpercent: twoDecimals('pnl as a percentage of the cost.'),
            },
            { description: 'One holding.' },
          ),
          { description: 'Delivered holdings.' },
        ),
        statistics: Type.Object(
          {
            ...holdingsTotals('rupee'),
            currency: Type.Literal('INR', { description: 'The totals above are of the rupee holdings (as OpenAlgo, whose holdings are all in rupees).' }),
            by_currency: Type.Optional(
              Type.Object(
                {
                  INR: Type.Optional(Type.Object(holdingsTotals('rupee'), { description: 'Totals of the rupee holdings.' })),
                  USD: Type.Optional(Type.Object(holdingsTotals('dollar'), { description: 'Totals of the dollar holdings.' })),
                },
                { description: 'The totals of each currency held; present only when holdings are in more than one currency. Never summed across currencies.' },
              ),
            ),
          },
          { description: 'Totals over `holdings`.' },
        ),
      },
      { description: 'Holdings and their totals.' },
    ),
    mode: mode(),
  },
  { description: 'Holdings.' },
);
export type HoldingsResponse = Static<typeof HoldingsResponse>;

const money = (description: string) =>
  Type.String({ pattern: '^-?\\d+\\.\\d{2}$', description: `${description} A string with 2 decimals, e.g. "100000.00".` });

/** The funds of one balance, as OpenAlgo names them. */
const fundsFields = () => ({
  availablecash: money('Cash available for new orders.'),
  collateral: money('Collateral (pledged holdings) value.'),
  m2mrealized: money("Today's realized profit and loss."),
  m2munrealized: money('Unrealized profit and loss of open positions.'),
  utiliseddebits: money('Margin in use.'),
});

export const FundsResponse = Type.Object(
  {
    status: success(),
    data: Type.Object(
      {
        ...fundsFields(),
        currency: Type.Literal('INR', { description: 'The fields above are the rupee balance (OpenAlgo has no other).' }),
        balances: Type.Optional(
          Type.Array(
            Type.Object({ currency: currencyOut('The currency of this balance.'), ...fundsFields() }, { description: 'One balance.' }),
            {
              description:
                'Every balance of the account, rupees first, each in its own currency (margin for an instrument comes out of ' +
                "its currency's balance; no amount is converted). Present only when the account holds a currency besides rupees.",
            },
          ),
        ),
      },
      { description: 'Funds.' },
    ),
    mode: mode(),
  },
  { description: 'Funds and margin use.' },
);
export type FundsResponse = Static<typeof FundsResponse>;

export const PingResponse = Type.Object(
  {
    status: success(),
    data: Type.Object(
      {
        message: Type.Literal('pong', { description: 'Always `pong`.' }),
        broker: Type.String({ description: 'Broker of the account, e.g. `paper`.' }),
      },
      { description: 'Pong.' },
    ),
    mode: mode(),
  },
  { description: 'The API key and the broker session are valid.' },
);
export type PingResponse = Static<typeof PingResponse>;

const analyzerState = {
  analyze_mode: Type.Boolean({ description: 'Whether the account runs in analyzer (sandbox) mode.' }),
  mode: stringEnum(['analyze', 'live'], { description: '`analyze` in analyzer mode, else `live`.' }),
  total_logs: Type.Integer({ minimum: 0, description: 'Requests logged while the account was in analyzer mode.' }),
};

export const AnalyzerResponse = Type.Object(
  { status: success(), data: Type.Object(analyzerState, { description: 'Analyzer state.' }), mode: mode() },
  { description: "The account's analyzer mode." },
);
export type AnalyzerResponse = Static<typeof AnalyzerResponse>;

export const AnalyzerToggleResponse = Type.Object(
  {
    status: success(),
    data: Type.Object(
      {
        ...analyzerState,
        message: Type.String({ description: '`Analyzer mode switched to analyze` or `… to live`.' }),
      },
      { description: 'Analyzer state after the switch.' },
    ),
    mode: mode(),
  },
  { description: "The account's analyzer mode, switched." },
);
export type AnalyzerToggleResponse = Static<typeof AnalyzerToggleResponse>;

// ---------------------------------------------------------------------------------------------------------

export interface EndpointSchemas {
  body: TSchema;
  response: TSchema;
  /** How this endpoint renders validation errors (reference §1.4). */
  errorStyle: ValidationStyle;
}

/** Per path segment under `/api/v1/`: its schemas and error style, for the route layer and OpenAPI. */
export const OPENALGO_ENDPOINTS = {
  placeorder: { body: PlaceOrderBody, response: PlaceOrderResponse, errorStyle: 'order' },
  placesmartorder: { body: PlaceSmartOrderBody, response: PlaceSmartOrderResponse, errorStyle: 'order' },
  modifyorder: { body: ModifyOrderBody, response: ModifyOrderResponse, errorStyle: 'order' },
  cancelorder: { body: CancelOrderBody, response: CancelOrderResponse, errorStyle: 'order' },
  cancelallorder: { body: CancelAllOrderBody, response: CancelAllOrderResponse, errorStyle: 'order' },
  closeposition: { body: ClosePositionBody, response: ClosePositionResponse, errorStyle: 'order' },
  orderstatus: { body: OrderStatusBody, response: OrderStatusResponse, errorStyle: 'order' },
  openposition: { body: OpenPositionBody, response: OpenPositionResponse, errorStyle: 'order' },
  orderbook: { body: OrderBookBody, response: OrderBookResponse, errorStyle: 'data' },
  tradebook: { body: TradeBookBody, response: TradeBookResponse, errorStyle: 'data' },
  positionbook: { body: PositionBookBody, response: PositionBookResponse, errorStyle: 'data' },
  holdings: { body: HoldingsBody, response: HoldingsResponse, errorStyle: 'data' },
  funds: { body: FundsBody, response: FundsResponse, errorStyle: 'data' },
  ping: { body: PingBody, response: PingResponse, errorStyle: 'data' },
} as const satisfies Record<string, EndpointSchemas>;
