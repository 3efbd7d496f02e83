// Schemas of the v1 history endpoints (history, intervals, ticker): request validation, types and OpenAPI in one place.
import { type Static, Type } from 'typebox';
import { apikey, dataBody, exchange, stringEnum, success, symbol } from './schemas.js';
import { ERROR_MESSAGE_KEYWORD } from './validation-errors.js';

/** OpenAlgo's interval whitelist (reference §2.6). The schemas accept all of them; `/intervals` says which are served. */
export const INTERVAL_WORDS = [
  '1s', '5s', '10s', '15s', '30s', '45s',
  '1m', '2m', '3m', '5m', '10m', '15m', '20m', '30m',
  '1h', '2h', '3h', '4h',
  'D', 'W', 'M', 'Q', 'Y',
] as const;
export type IntervalWord = (typeof INTERVAL_WORDS)[number];

const interval = (options: { default?: IntervalWord } = {}) =>
  stringEnum(INTERVAL_WORDS, {
    description: 'Bar interval: `1s`…`45s`, `1m`…`30m`, `1h`…`4h`, `D`, `W`, `M`, `Q` (quarter), `Y` (year). `POST /intervals` lists them.',
    ...options,
  });

const isoDay = (description: string) =>
  Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', [ERROR_MESSAGE_KEYWORD]: 'Not a valid date.', description });

const dayOrEpoch = (description: string) =>
  Type.String({
    pattern: '^(\\d{4}-\\d{2}-\\d{2}|\\d{10,13})$',
    [ERROR_MESSAGE_KEYWORD]: "Field must be a string in 'YYYY-MM-DD' format or a numeric timestamp.",
    description,
  });

export const HistoryBody = dataBody(
  {
    apikey: apikey(),
    symbol: symbol(),
    exchange: exchange(),
    interval: interval(),
    start_date: isoDay('First day, `YYYY-MM-DD` (IST).'),
    end_date: isoDay('Last day, `YYYY-MM-DD` (IST), included.'),
    source: stringEnum(['api', 'db'], {
      default: 'api',
      description: "`api` (default) or `db` (OpenAlgo's local store): the paper exchange answers both from its market.",
    }),
  },
  'Bars of one instrument between two days.',
);
export type HistoryBody = Static<typeof HistoryBody>;

export const IntervalsBody = dataBody({ apikey: apikey() }, 'Identifies the account by its API key.');
export type IntervalsBody = Static<typeof IntervalsBody>;

export const TickerParams = Type.Object({
  symbol: Type.String({ description: '`EXCHANGE:SYMBOL`, e.g. `NSE:SBIN`.' }),
});
export type TickerParams = Static<typeof TickerParams>;

export const TickerQuery = dataBody(
  {
    apikey: apikey(),
    interval: interval({ default: 'D' }),
    from: dayOrEpoch('First day `YYYY-MM-DD` (IST), or an instant in epoch seconds (10 digits) or milliseconds (13).'),
    to: dayOrEpoch('Last day `YYYY-MM-DD` (IST, included), or an instant in epoch seconds or milliseconds (included).'),
    format: Type.Optional(Type.String({ description: '`json` (default) or `txt`: one CSV line per bar, no header.' })),
  },
  'Query of the ticker endpoint.',
);
export type TickerQuery = Static<typeof TickerQuery>;

const price = (description: string) => Type.Number({ description });
export const BarRow = Type.Object({
  timestamp: Type.Integer({
    description: 'Start of the bar, Unix epoch seconds; for D, W, M, Q and Y bars 00:00 UTC of its first day (05:30 IST), as OpenAlgo stamps them.',
  }),
  open: price('First price of the bar.'),
  high: price('Highest price.'),
  low: price('Lowest price.'),
  close: price('Last price; the current bar closes at the last traded price.'),
  volume: Type.Number({ description: 'Quantity traded in the bar.' }),
  oi: Type.Number({ description: 'Open interest (0: not simulated).' }),
});

export const HistoryResponse = Type.Object({ status: success(), data: Type.Array(BarRow, { description: 'Oldest first.' }) });

const words = (description: string) => Type.Array(Type.String(), { description });
export const IntervalsResponse = Type.Object({
  status: success(),
  data: Type.Object({
    days: words('`D`'),
    hours: words('e.g. `1h`'),
    minutes: words('e.g. `5m`'),
    months: words('`M`, `Q`, `Y`'),
    seconds: words('e.g. `30s`'),
    weeks: words('`W`'),
  }),
});

/** The ticker answers JSON, or with `format=txt` plain text lines. */
export const TickerResponse = {
  description: 'Bars as `/history` gives them, or with `format=txt` one text line per bar.',
  content: {
    'application/json': { schema: HistoryResponse },
    'text/plain': {
      schema: Type.String({
        description: 'Lines `NSE:SBIN,2025-12-01,800.0,805.5,799.0,803.25,120000` (D) or `NSE:SBIN,2025-12-01,09:15:00,…` (other intervals).',
      }),
    },
  },
};
