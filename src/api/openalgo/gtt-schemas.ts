// Schemas of the v1 GTT endpoints (placegttorder, modifygttorder, cancelgttorder, gttorderbook): validation, types
// and OpenAPI in one place. As OpenAlgo's, the place and modify schemas ignore fields they do not know (marshmallow's
// EXCLUDE), while cancel refuses them; the rules between fields (trigger type, which triggers an OCO needs) are
// checked after the schema, in gtt-mapping.ts, as OpenAlgo checks them after loading.
import { type Static, Type } from 'typebox';
import { ACTIONS, apikey, dataBody, exchange, mode, stringEnum, success, symbol } from './schemas.js';
import { ERROR_MESSAGE_KEYWORD } from './validation-errors.js';

export const GTT_PRODUCTS = ['NRML', 'CNC'] as const;
export const GTT_PRICE_TYPES = ['LIMIT', 'MARKET'] as const;

const nullablePrice = (description: string) =>
  Type.Optional(Type.Unsafe<number | null>({ type: ['number', 'null'], description: `${description} \`""\` and null mean none.` }));
const trigger = (name: string, description: string) =>
  Type.Number({
    minimum: 0,
    default: 0,
    [ERROR_MESSAGE_KEYWORD]: `${name} must be non-negative.`,
    description: `${description} \`""\` means 0.`,
  });

/** What placing and modifying a GTT both send: OpenAlgo's flat shape. */
const gttTerms = () => ({
  apikey: apikey(),
  strategy: Type.String({ description: 'Free-text strategy tag, recorded on the child order.' }),
  trigger_type: Type.String({ description: '`SINGLE` (one trigger) or `OCO` (stop-loss and target); any case.' }),
  exchange: exchange(),
  symbol: symbol(),
  action: stringEnum(ACTIONS, { description: 'Side of the child order; lower case is accepted.' }),
  product: stringEnum(GTT_PRODUCTS, {
    [ERROR_MESSAGE_KEYWORD]: 'GTT supports only CNC (delivery) or NRML (overnight F&O); MIS is intraday-only.',
    description: 'CNC or NRML (MIS is intraday-only).',
  }),
  quantity: Type.Number({
    exclusiveMinimum: 0,
    [ERROR_MESSAGE_KEYWORD]: 'Quantity must be a positive number.',
    description: 'Quantity of the child order (a multiple of the lot size); fractional only on CRYPTO.',
  }),
  pricetype: stringEnum(GTT_PRICE_TYPES, { default: 'LIMIT', description: 'The child order: LIMIT (default) or MARKET.' }),
  price: Type.Number({
    minimum: 0,
    [ERROR_MESSAGE_KEYWORD]: 'Price must be a non-negative number.',
    description: "SINGLE: the child order's limit price (0 for MARKET). OCO: ignored.",
  }),
  triggerprice_sl: trigger('triggerprice_sl', 'Stop-loss trigger: fires when the last price falls to it (below the last price).'),
  triggerprice_tg: trigger('triggerprice_tg', 'Target trigger: fires when the last price rises to it (above the last price).'),
  stoploss: nullablePrice("OCO: the stop-loss leg's limit price."),
  target: nullablePrice("OCO: the target leg's limit price."),
});

// Unknown fields are ignored (dataBody), as OpenAlgo's EXCLUDE does.
export const PlaceGttBody = dataBody(
  {
    ...gttTerms(),
    expires_at: Type.Optional(
      Type.Unsafe<string | null>({
        type: ['string', 'null'],
        description:
          'When the GTT expires, IST unless an offset is given: `YYYY-MM-DD` (the end of that day), `YYYY-MM-DD HH:MM:SS` ' +
          'or ISO 8601. At most a year, the default.',
      }),
    ),
  },
  'Place a GTT: SINGLE needs exactly one of `triggerprice_sl`/`triggerprice_tg`; OCO needs all four of `triggerprice_sl`, `stoploss`, `triggerprice_tg`, `target`.',
);
export type PlaceGttBody = Static<typeof PlaceGttBody>;

export const ModifyGttBody = dataBody(
  {
    ...gttTerms(),
    trigger_id: Type.String({ minLength: 1, description: 'The GTT, as placegttorder returned it.' }),
  },
  'Replace an active GTT: its triggers, prices, quantity, product and price type (symbol, exchange, action and trigger type cannot change; the expiry stays).',
);
export type ModifyGttBody = Static<typeof ModifyGttBody>;

export const CancelGttBody = Type.Object(
  {
    apikey: apikey(),
    strategy: Type.String({ description: 'Strategy tag; informational.' }),
    trigger_id: Type.String({ minLength: 1, description: 'The GTT to cancel (both legs of an OCO).' }),
  },
  { additionalProperties: false, description: 'Cancel an active GTT.' },
);
export type CancelGttBody = Static<typeof CancelGttBody>;

export const GttBookBody = dataBody({ apikey: apikey() }, "The account's active GTTs.");
export type GttBookBody = Static<typeof GttBookBody>;

export const GttIdResponse = Type.Object(
  { status: success(), trigger_id: Type.String({ description: 'The GTT concerned.' }), mode: mode() },
  { description: 'The GTT concerned.' },
);
export type GttIdResponse = Static<typeof GttIdResponse>;

const GttLegOut = Type.Object({
  action: stringEnum(['BUY', 'SELL'], { description: 'Side of the child order.' }),
  quantity: Type.Number({ description: 'Quantity of the child order.' }),
  price: Type.Number({ description: 'Limit price of the child order (shown for MARKET too).' }),
  pricetype: stringEnum(GTT_PRICE_TYPES, { description: 'LIMIT or MARKET.' }),
  product: stringEnum(GTT_PRODUCTS, { description: 'CNC or NRML.' }),
});

export const GttEntry = Type.Object({
  trigger_id: Type.String(),
  trigger_type: stringEnum(['single', 'two-leg'], { description: '`single`, or `two-leg` for OCO.' }),
  status: Type.Literal('active', { description: 'Only active GTTs are listed.' }),
  symbol: Type.String(),
  exchange: Type.String(),
  trigger_prices: Type.Array(Type.Number(), { description: 'Trigger prices, ascending (stop-loss, then target).' }),
  last_price: Type.Number({ description: 'Last price when the GTT was placed or last modified.' }),
  legs: Type.Array(GttLegOut, { description: 'One leg per trigger, in the same order.' }),
  created_at: Type.String({ description: 'IST, `YYYY-MM-DD HH:MM:SS`.' }),
  updated_at: Type.String({ description: 'IST, `YYYY-MM-DD HH:MM:SS`.' }),
  expires_at: Type.String({ description: 'IST, `YYYY-MM-DD HH:MM:SS`.' }),
});
export type GttEntry = Static<typeof GttEntry>;

export const GttBookResponse = Type.Object(
  { status: success(), data: Type.Array(GttEntry, { description: 'Active GTTs, newest first.' }), mode: mode() },
  { description: "The account's active GTTs." },
);
export type GttBookResponse = Static<typeof GttBookResponse>;
