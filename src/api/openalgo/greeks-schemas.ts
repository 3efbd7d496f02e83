// Schemas of the v1 optiongreeks and multioptiongreeks endpoints: request validation, types and OpenAPI in one place.
// As in OpenAlgo, unknown fields are refused and a failure is answered
// `{"status":"error","message":"Validation failed","errors":{field: [messages]}}`.
import { type Static, Type } from 'typebox';
import { F_AND_O_EXCHANGES } from '../../domain/instrument.js';
import { ErrorResponse, apikey, mode, requestObject, stringEnum, success } from './schemas.js';
import type { SummarizedStyle } from './validation-errors.js';

/** Route config `style` of these endpoints. */
export const GREEKS_VALIDATION_STYLE: SummarizedStyle = { summary: 'Validation failed' };

const optionSymbol = () => Type.String({ description: 'Option symbol, e.g. `NIFTY01DEC2626000CE`.' });
const optionExchange = () => stringEnum(F_AND_O_EXCHANGES, { description: "The option's exchange (the F&O set)." });
const interestRate = () =>
  Type.Optional(
    Type.Number({
      minimum: 0,
      maximum: 100,
      description: 'Risk-free rate, annual percent (7 for 7 %); 0 when absent (OpenAlgo\'s default on every exchange).',
    }),
  );
const expiryTime = () =>
  Type.Optional(
    Type.String({
      description:
        "The expiry day's cut-off as `HH:MM` IST (e.g. `19:00` for an MCX contract), instead of the exchange's: " +
        '15:30, MCX 23:30, CDS 12:30.',
    }),
  );
const underlyingSymbol = () =>
  Type.Optional(
    Type.String({
      description:
        'Quote this as the forward instead of the synthetic future, e.g. `NIFTY30DEC26FUT` (give `underlying_exchange` ' +
        'too: by default the base is quoted on its index or share exchange).',
    }),
  );
const underlyingExchange = () =>
  Type.Optional(
    Type.String({
      description:
        "Where the underlying is quoted; by default NSE_INDEX or BSE_INDEX for an index, NSE for a share, the option's " +
        'own exchange elsewhere. Checked when it is quoted.',
    }),
  );

export const OptionGreeksBody = requestObject(
  {
    apikey: apikey(),
    symbol: optionSymbol(),
    exchange: optionExchange(),
    interest_rate: interestRate(),
    forward_price: Type.Optional(
      Type.Number({
        minimum: 0,
        description: 'Price the option on this forward (e.g. a synthetic future or spot × e^rT); no underlying is quoted. 0 is ignored.',
      }),
    ),
    underlying_symbol: underlyingSymbol(),
    underlying_exchange: underlyingExchange(),
    expiry_time: expiryTime(),
  },
  { additionalProperties: false, description: "One option's implied volatility and greeks from its last price." },
);
export type OptionGreeksBody = Static<typeof OptionGreeksBody>;

const GreeksItem = requestObject(
  { symbol: optionSymbol(), exchange: optionExchange(), underlying_symbol: underlyingSymbol(), underlying_exchange: underlyingExchange() },
  { additionalProperties: false, description: 'One option of the batch.' },
);

export const MultiOptionGreeksBody = requestObject(
  {
    apikey: apikey(),
    symbols: Type.Array(GreeksItem, { minItems: 1, maxItems: 50, description: 'The options, 1 to 50.' }),
    interest_rate: interestRate(),
    expiry_time: expiryTime(),
  },
  { additionalProperties: false, description: 'Implied volatility and greeks of several options; one rate and expiry time for all.' },
);
export type MultiOptionGreeksBody = Static<typeof MultiOptionGreeksBody>;

// ---------------------------------------------------------------------------------------------------------
// Responses

const Greeks = Type.Object(
  {
    delta: Type.Number({ description: 'Per unit of the forward, 4 decimals.' }),
    gamma: Type.Number({ description: 'Change of delta per unit of the forward, 6 decimals.' }),
    theta: Type.Number({ description: 'Per calendar day, 4 decimals.' }),
    vega: Type.Number({ description: 'Per 1 % of implied volatility, 4 decimals.' }),
    rho: Type.Number({ description: 'Per 1 % of the rate (Black-76: −t × price / 100), 6 decimals.' }),
  },
  { description: 'Black-76 greeks at the implied volatility.' },
);

const greeksFields = {
  symbol: Type.String(),
  exchange: Type.String(),
  underlying: Type.String({ description: 'The base, e.g. `NIFTY`.' }),
  strike: Type.Number(),
  option_type: stringEnum(['CE', 'PE']),
  expiry_date: Type.String({ description: '`DD-Mon-YYYY`, e.g. `01-Dec-2026`.' }),
  days_to_expiry: Type.Number({
    description: 'Calendar days to the cut-off, 4 decimals (at least 0.0365: the time is floored at 0.0001 years).',
  }),
  spot_price: Type.Number({
    description:
      'The forward the option was priced on, 2 decimals: `forward_price`, else the synthetic future of the expiry (ATM ' +
      'strike + ATM call − ATM put), else the underlying\'s last price.',
  }),
  option_price: Type.Number({ description: "The option's last price." }),
  interest_rate: Type.Number({ description: 'Percent.' }),
  implied_volatility: Type.Number({ description: 'Percent, 2 decimals; 0 with theoretical greeks.' }),
  greeks: Greeks,
  intrinsic_value: Type.Optional(Type.Number({ description: 'With theoretical greeks only.' })),
  time_value: Type.Optional(Type.Number({ description: 'With theoretical greeks only.' })),
  note: Type.Optional(
    Type.String({
      description:
        'Why the greeks are theoretical (IV 0, delta ±1, the rest 0): the price has no time value to invert ' +
        '(at or under intrinsic, or in the money by less than 0.01), or, in a batch, the option has expired (all 0).',
    }),
  ),
};

export const OptionGreeksResponse = Type.Object(
  { status: success(), ...greeksFields, mode: mode() },
  { description: 'Black-76 implied volatility and greeks.' },
);

const FailedItem = Type.Object(
  { status: Type.Literal('error'), symbol: Type.String(), exchange: Type.String(), message: Type.String() },
  { description: 'An option that could not be valued, and why.' },
);

export const MultiOptionGreeksResponse = Type.Object(
  {
    status: stringEnum(['success', 'partial', 'error'], {
      description: '`success` when every option was valued, `partial` when some were, `error` when none was (still a 200).',
    }),
    data: Type.Array(Type.Union([Type.Object({ status: success(), ...greeksFields }), FailedItem]), {
      description: 'One entry per requested option, in request order.',
    }),
    summary: Type.Object({ total: Type.Integer(), success: Type.Integer(), failed: Type.Integer() }),
    message: Type.Optional(
      Type.String({ description: 'When some failed: `2 option Greeks calculation(s) failed: …` with up to three reasons.' }),
    ),
    mode: mode(),
  },
  { description: 'Greeks of each option.' },
);

/** The error envelope, with the field errors of a validation failure. */
export const GreeksErrorResponse = Type.Object(
  {
    ...ErrorResponse.properties,
    errors: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: 'On a validation failure: field → list of messages.' }),
    ),
  },
  { description: 'Error envelope; a validation failure says `Validation failed` and lists the fields in `errors`.' },
);
