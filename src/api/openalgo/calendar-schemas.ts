// Schemas of the v1 market calendar endpoints (market/holidays, market/timings): validation, types and OpenAPI.
import { type Static, Type } from 'typebox';
import { CALENDAR_EXCHANGES } from '../../domain/market-calendar.js';
import { apikey, dataBody, stringEnum, success } from './schemas.js';

export const FIRST_CALENDAR_YEAR = 2020;
export const LAST_CALENDAR_YEAR = 2050;

export const MarketHolidaysBody = dataBody(
  {
    apikey: apikey(),
    year: Type.Optional(
      Type.Integer({
        minimum: FIRST_CALENDAR_YEAR,
        maximum: LAST_CALENDAR_YEAR,
        description: `Year, ${FIRST_CALENDAR_YEAR}–${LAST_CALENDAR_YEAR}; the current one (IST) when absent.`,
      }),
    ),
  },
  'The holidays of one year.',
);
export type MarketHolidaysBody = Static<typeof MarketHolidaysBody>;

export const MarketTimingsBody = dataBody(
  {
    apikey: apikey(),
    date: Type.String({ description: 'Day, `YYYY-MM-DD` (IST), 2020-01-01 to 2050-12-31.' }),
  },
  'The sessions of one day.',
);
export type MarketTimingsBody = Static<typeof MarketTimingsBody>;

const calendarExchange = () => stringEnum(CALENDAR_EXCHANGES, { description: 'Exchange code.' });
const epochMs = (description: string) => Type.Integer({ description: `${description}, epoch milliseconds.` });

const Session = Type.Object({
  exchange: calendarExchange(),
  start_time: epochMs('Session start'),
  end_time: epochMs('Session end'),
});

export const MarketHolidaysResponse = Type.Object({
  status: success(),
  year: Type.Integer(),
  timezone: Type.Literal('Asia/Kolkata'),
  data: Type.Array(
    Type.Object({
      date: Type.String({ description: '`YYYY-MM-DD`.' }),
      description: Type.String(),
      holiday_type: stringEnum(['TRADING_HOLIDAY', 'SPECIAL_SESSION', 'SETTLEMENT_HOLIDAY'], {
        description: 'TRADING_HOLIDAY: the closed exchanges do not trade; SPECIAL_SESSION: only the sessions listed (Muhurat).',
      }),
      closed_exchanges: Type.Array(calendarExchange(), { description: 'Exchanges closed the whole day.' }),
      open_exchanges: Type.Array(Session, { description: 'Exchanges holding a session that day (e.g. MCX 17:00–23:55).' }),
    }),
    { description: 'In date order.' },
  ),
});

export const MarketTimingsResponse = Type.Object({
  status: success(),
  data: Type.Array(Session, { description: 'The exchanges trading that day; empty when none does.' }),
});
