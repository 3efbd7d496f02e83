// Schemas of the v1 market-data and symbol endpoints (quotes, multiquotes, depth, symbol, search, expiry,
// instruments): request validation, types and OpenAPI in one place.
import { type Static, Type } from 'typebox';
import { F_AND_O_EXCHANGES } from '../../domain/instrument.js';
import { ErrorResponse, apikey, dataBody, exchange, stringEnum, success, symbol } from './schemas.js';

export const SymbolBody = dataBody({ apikey: apikey(), symbol: symbol(), exchange: exchange() }, 'One instrument.');
export type SymbolBody = Static<typeof SymbolBody>;

export const MultiQuotesBody = dataBody(
  {
    apikey: apikey(),
    symbols: Type.Array(Type.Object({ symbol: symbol(), exchange: exchange() }), {
      minItems: 1,
      description: 'Instruments to quote.',
    }),
  },
  'Several instruments.',
);
export type MultiQuotesBody = Static<typeof MultiQuotesBody>;

export const SearchBody = dataBody(
  {
    apikey: apikey(),
    query: Type.String({ description: 'Words to find in symbols, names and expiries, e.g. `NIFTY 26000 DEC CE`.' }),
    exchange: Type.Optional(exchange()),
  },
  'Search the instrument master.',
);
export type SearchBody = Static<typeof SearchBody>;

export const ExpiryBody = dataBody(
  {
    apikey: apikey(),
    symbol: Type.String({ description: 'Underlying, e.g. `NIFTY`.' }),
    exchange: stringEnum(F_AND_O_EXCHANGES, { description: 'F&O exchange.' }),
    instrumenttype: stringEnum(['futures', 'options'], { description: 'Which contracts.' }),
  },
  'Expiry dates of an underlying.',
);
export type ExpiryBody = Static<typeof ExpiryBody>;

export const InstrumentsQuery = Type.Object({
  apikey: Type.Optional(apikey()),
  exchange: Type.Optional(exchange()),
  format: Type.Optional(stringEnum(['json', 'csv'], { description: 'json (default) or csv.' })),
});
export type InstrumentsQuery = Static<typeof InstrumentsQuery>;

const price = (description: string) => Type.Number({ description });
const quoteFields = {
  open: price("Day's open."),
  high: price("Day's high."),
  low: price("Day's low."),
  ltp: price('Last traded price.'),
  prev_close: price("Previous session's close."),
  volume: Type.Number({ description: "Day's volume." }),
  oi: Type.Number({ description: 'Open interest (0: not simulated).' }),
};
export const QuoteData = Type.Object({ ...quoteFields, ask: price('Best ask.'), bid: price('Best bid.') });

export const QuotesResponse = Type.Object({ status: success(), data: QuoteData });
export const MultiQuotesResponse = Type.Object({
  status: success(),
  results: Type.Array(
    Type.Union([
      Type.Object({ symbol: Type.String(), exchange: Type.String(), data: QuoteData }),
      Type.Object({ symbol: Type.String(), exchange: Type.String(), error: Type.String() }),
    ]),
  ),
});

/** Multiquotes' 400: the error envelope; when no symbol is known, every unknown symbol with its error too. */
export const MultiQuotesError = Type.Object({
  ...ErrorResponse.properties,
  invalid_symbols: Type.Optional(
    Type.Array(Type.Object({ symbol: Type.String(), exchange: Type.String(), error: Type.String() }), {
      description: 'When no symbol is known: each one with its error.',
    }),
  ),
});

const level = Type.Object({ price: Type.Number(), quantity: Type.Number() });
export const DepthResponse = Type.Object({
  status: success(),
  data: Type.Object({
    ...quoteFields,
    ltq: Type.Number({ description: 'Last traded quantity.' }),
    totalbuyqty: Type.Number({ description: 'Sum of the bid quantities shown.' }),
    totalsellqty: Type.Number({ description: 'Sum of the ask quantities shown.' }),
    asks: Type.Array(level, { description: 'Five levels, best first.' }),
    bids: Type.Array(level, { description: 'Five levels, best first.' }),
  }),
});

export const SymbolData = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  symbol: Type.String(),
  brsymbol: Type.String(),
  exchange: Type.String(),
  brexchange: Type.String(),
  instrumenttype: Type.String(),
  expiry: Type.String({ description: '`DD-MMM-YY`, empty when the instrument does not expire.' }),
  strike: Type.Number({ description: 'Strike of options; -0.01 otherwise (as OpenAlgo).' }),
  lotsize: Type.Number(),
  tick_size: Type.Number(),
  token: Type.String(),
  freeze_qty: Type.Number(),
});
export const SymbolResponse = Type.Object({ status: success(), data: SymbolData });
export const SymbolListResponse = Type.Object({ status: success(), message: Type.String(), data: Type.Array(SymbolData) });
export const ExpiryResponse = Type.Object({
  status: success(),
  message: Type.String(),
  data: Type.Array(Type.String({ description: '`DD-MMM-YY`' })),
});
