// market/holidays and market/timings: the exchanges' calendar (domain/market-calendar.ts), answered as OpenAlgo's
// market calendar answers it: sessions as epoch milliseconds of IST wall-clock times.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { istDate } from '../../../domain/clock.js';
import { type SessionWindow, holidaysOf, isCalendarDay, istMidnightOf, sessionsOn } from '../../../domain/market-calendar.js';
import {
  LAST_CALENDAR_YEAR,
  FIRST_CALENDAR_YEAR,
  MarketHolidaysBody,
  MarketHolidaysResponse,
  MarketTimingsBody,
  MarketTimingsResponse,
} from '../calendar-schemas.js';
import { errorReply } from '../errors.js';
import type { OpenAlgoDeps, V1RouteConfig } from '../route-context.js';
import { ErrorResponse, RateLimitedResponse } from '../schemas.js';

const read: V1RouteConfig = { style: 'data', scope: 'read' };
const errors = { 400: ErrorResponse, 403: ErrorResponse, 429: RateLimitedResponse };

export async function calendarRoutes(fastify: FastifyInstance, { clock }: OpenAlgoDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/market/holidays',
    {
      config: read,
      schema: {
        summary: "The exchanges' holidays of a year",
        description:
          'Trading holidays of NSE, BSE and MCX with the sessions some exchanges still hold on them (MCX 17:00–23:55 ' +
          'on most equity holidays) and special sessions (Muhurat trading). The published lists of 2025 and 2026; ' +
          'other years give the fixed-date national holidays only (26 January, 1 May, 15 August, 2 October, 25 December).',
        tags: ['calendar'],
        body: MarketHolidaysBody,
        response: { 200: MarketHolidaysResponse, ...errors },
      },
    },
    async (request) => {
      const year = request.body.year ?? Number(istDate(clock.now()).slice(0, 4));
      const data = holidaysOf(year).map((holiday) => ({
        date: holiday.date,
        description: holiday.description,
        holiday_type: holiday.kind,
        closed_exchanges: [...holiday.closed],
        open_exchanges: holiday.sessions.map((session) => sessionRow(holiday.date, session)),
      }));
      return { status: 'success' as const, year, timezone: 'Asia/Kolkata' as const, data };
    },
  );

  app.post(
    '/market/timings',
    {
      config: read,
      schema: {
        summary: 'The sessions of one day, per exchange',
        description:
          'A weekday: every exchange\'s regular hours (CRYPTO 00:00–23:59:59); a weekend: CRYPTO only; a holiday: ' +
          'the sessions held that day (e.g. MCX\'s evening), none when every exchange closes; a Muhurat day: its session.',
        tags: ['calendar'],
        body: MarketTimingsBody,
        response: { 200: MarketTimingsResponse, ...errors },
      },
    },
    async (request, reply) => {
      const date = calendarDay(request.body.date);
      if (!date) return badRequest(reply, 'Invalid date format. Use YYYY-MM-DD');
      const year = Number(date.slice(0, 4));
      if (year < FIRST_CALENDAR_YEAR || year > LAST_CALENDAR_YEAR) {
        return badRequest(reply, `Date must be between ${FIRST_CALENDAR_YEAR}-01-01 and ${LAST_CALENDAR_YEAR}-12-31`);
      }
      return { status: 'success' as const, data: sessionsOn(date).map((session) => sessionRow(date, session)) };
    },
  );
}

function sessionRow(date: string, session: SessionWindow) {
  const midnight = istMidnightOf(date);
  return { exchange: session.exchange, start_time: midnight + session.start, end_time: midnight + session.end };
}

/** The `YYYY-MM-DD` day a text names, read as Python's `strptime('%Y-%m-%d')` reads it (`2026-1-5` too). */
function calendarDay(text: string): string | undefined {
  const match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (!match) return undefined;
  const [, year = '', month = '', day = ''] = match;
  const date = `${year}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
  return isCalendarDay(date) ? date : undefined;
}

function badRequest(reply: FastifyReply, message: string): FastifyReply {
  const { statusCode, body } = errorReply(400, message);
  return reply.code(statusCode).send(body);
}
