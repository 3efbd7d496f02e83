// Schemas of the v1 margin endpoint: request validation, types and OpenAPI in one place. As OpenAlgo's schema has them,
// quantity and prices are text (JSON numbers are taken as their text); the route reads them as its service does.
import { type Static, Type } from 'typebox';
import { CURRENCIES } from '../../domain/currency.js';
import { ERROR_MESSAGE_KEYWORD } from './validation-errors.js';
import { ACTIONS, PRICE_TYPES, PRODUCTS, apikey, exchange, mode, stringEnum, success } from './schemas.js';

/** OpenAlgo's limit on positions per request. */
export const MAX_MARGIN_POSITIONS = 50;

export const MarginPosition = Type.Object(
  {
    symbol: Type.String({
      minLength: 1,
      maxLength: 50,
      [ERROR_MESSAGE_KEYWORD]: 'Symbol must be between 1 and 50 characters.',
      description: 'OpenAlgo symbol, e.g. `NIFTY29DEC2626000CE`.',
    }),
    exchange: exchange(),
    action: stringEnum(ACTIONS, { description: 'BUY or SELL; lower case is accepted.' }),
    quantity: Type.String({
      description: 'Quantity in units, as text: a positive whole number (fractional on CRYPTO); a multiple of the lot size.',
    }),
    product: stringEnum(PRODUCTS, { description: 'MIS, NRML (F&O carry-forward) or CNC (equity delivery).' }),
    pricetype: stringEnum(PRICE_TYPES, { description: 'MARKET, LIMIT, SL or SL-M: which price the margin is blocked at.' }),
    price: Type.Optional(
      Type.String({ default: '0', description: 'Limit price (LIMIT, SL), as text; 0 (the default) means the market price.' }),
    ),
    trigger_price: Type.Optional(
      Type.String({ default: '0', description: 'Trigger price (SL, SL-M), as text; 0 (the default) means the market price.' }),
    ),
  },
  { additionalProperties: false, description: 'One position of the basket, as the order that would open it.' },
);
export type MarginPosition = Static<typeof MarginPosition>;

export const MarginBody = Type.Object(
  {
    apikey: apikey(),
    positions: Type.Array(MarginPosition, {
      minItems: 1,
      maxItems: MAX_MARGIN_POSITIONS,
      [ERROR_MESSAGE_KEYWORD]: 'Positions must contain 1 to 50 items.',
      description: 'The basket: 1 to 50 positions.',
    }),
  },
  { additionalProperties: false, description: 'A basket of positions to compute the margin of.' },
);
export type MarginBody = Static<typeof MarginBody>;

const rupees = (description: string) => Type.Number({ description: `${description} Rounded to 2 decimals.` });

export const MarginResponse = Type.Object(
  {
    status: success(),
    data: Type.Object({
      total_margin_required: rupees('All the basket needs: span + exposure + the premium of the options it buys.'),
      span_margin: rupees('The worst loss of the futures and options on each underlying over the scan of price and volatility moves.'),
      exposure_margin: rupees("What the exchange's margin rules ask beyond that loss, and the margin of cash-equity positions."),
      margin_benefit: Type.Optional(rupees('What the positions would need each on its own, less total_margin_required.')),
      currency: stringEnum(CURRENCIES, { description: "Ordergate's: the currency of the figures (INR; USD for CRYPTO)." }),
    }),
    mode: mode(),
  },
  { description: 'The margin of the basket.' },
);
export type MarginResponse = Static<typeof MarginResponse>;
