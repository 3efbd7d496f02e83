// history, intervals, ticker: bars of the market in the v1 dialect's words (intervals `5m`/`D`, epoch-second
// timestamps, D to Y bars stamped 00:00 UTC of their date, IST dates), from the broker serving the caller's account.
import { intervalOfWord, intervalWord, openAlgoBarStamp } from '../../../domain/interval-words.js';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { IST_OFFSET_MS, istTimestamp } from '../../../domain/clock.js';
import { toNumber } from '../../../domain/decimal.js';
import { EXCHANGES, type Exchange } from '../../../domain/instrument.js';
import { type Bar, type BarInterval, type HistorySeries, sameInterval } from '../../../domain/market.js';
import { errorReply } from '../errors.js';
import {
  HistoryBody,
  HistoryResponse,
  type IntervalWord,
  IntervalsBody,
  IntervalsResponse,
  TickerParams,
  TickerQuery,
  TickerResponse,
} from '../history-schemas.js';
import { FieldError } from '../mappers.js';
import { type OpenAlgoDeps, type V1RouteConfig, principalOf } from '../route-context.js';
import { ErrorResponse, RateLimitedResponse } from '../schemas.js';
import { type PythonValue, pythonRepr } from '../validation-errors.js';

const read: V1RouteConfig = { style: 'data', scope: 'read' };
const errors = { 400: ErrorResponse, 403: ErrorResponse, 429: RateLimitedResponse };
const DAY_MS = 86_400_000;
const PLAIN_TEXT = 'text/plain; charset=utf-8';

export async function historyRoutes(fastify: FastifyInstance, { trading }: OpenAlgoDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  // The series and interval asked for, or why they cannot be served (the 400's message). An unknown symbol is the
  // broker's InstrumentNotFound, a 400 in OpenAlgo's words: its history service checks the symbol first.
  const resolve = async (
    accountId: string,
    symbol: string,
    exchange: Exchange,
    word: IntervalWord,
  ): Promise<{ series: HistorySeries; interval: BarInterval } | string> => {
    const series = await trading.getHistory(accountId, symbol, exchange);
    const interval = intervalOf(word);
    const served = await trading.historyIntervals(accountId);
    if (!served.some((each) => sameInterval(each, interval))) {
      return `Unsupported interval '${word}'. Supported intervals: ${served.map(intervalWord).join(', ')}`;
    }
    if (!series.intervals.some((served) => sameInterval(served, interval))) {
      return (
        `Interval '${word}' is not available for ${symbol} on ${exchange}, which has ${series.source}. ` +
        `Supported intervals: ${series.intervals.map(intervalWord).join(', ')}`
      );
    }
    return { series, interval };
  };

  app.post(
    '/history',
    {
      config: read,
      schema: {
        summary: 'Bars of one instrument between two days',
        description:
          'Bars of the simulated market the paper exchange quotes and fills on (OHLC of its 1-second steps; the ' +
          'current bar ends now and closes at the last price), or of a replayed data set (`GOOG`, `EURUSD`, `BTCUSD` ' +
          'on `GLOBAL_INDEX`). Days are IST, `end_date` included; bars are aligned to IST midnight, weeks start on ' +
          'Monday, quarters in January, April, July and October. Intraday bars are stamped with their start; D, W, M, ' +
          'Q and Y bars with 00:00 UTC of their first day (05:30 IST), as OpenAlgo\'s broker adapters stamp them. On ' +
          'the simulated market a request reaches at most 1 day back from `end_date` for seconds bars, 30 days for ' +
          'minutes and hours, 365 days for D/W/M/Q/Y; 3650 days on a replay (400 beyond). An unknown symbol is a 400, ' +
          'as in OpenAlgo.',
        tags: ['market data'],
        body: HistoryBody,
        response: { 200: HistoryResponse, ...errors },
      },
    },
    async (request, reply) => {
      const { symbol, exchange, interval: word, start_date, end_date } = request.body;
      const first = dayStart(start_date, 'start_date');
      const last = dayStart(end_date, 'end_date');
      if (last < first) return badRequest(reply, 'end_date must not be before start_date');
      const resolved = await resolve(principalOf(request).accountId, symbol, exchange, word);
      if (typeof resolved === 'string') return badRequest(reply, resolved);
      const { series, interval } = resolved;
      const days = series.maxDaysBack(interval);
      if (first < last - days * DAY_MS) {
        return badRequest(
          reply,
          `Date range too long for interval '${word}': at most ${days} days before end_date, ` +
            `so start_date must be ${isoDay(last - days * DAY_MS)} or later`,
        );
      }
      const bars = await series.bars(interval, first, last + DAY_MS);
      return { status: 'success' as const, data: bars.map((bar) => barRow(bar, interval)) };
    },
  );

  app.post(
    '/intervals',
    {
      config: read,
      schema: {
        summary: 'Intervals the history endpoints serve',
        description: 'Grouped as OpenAlgo groups them; `Q` and `Y` (quarters, years) are among the months.',
        tags: ['market data'],
        body: IntervalsBody,
        response: { 200: IntervalsResponse, ...errors },
      },
    },
    async (request) => {
      const data: Record<IntervalGroup, string[]> = { days: [], hours: [], minutes: [], months: [], seconds: [], weeks: [] };
      for (const interval of await trading.historyIntervals(principalOf(request).accountId)) data[GROUP_OF[interval.unit]].push(intervalWord(interval));
      return { status: 'success' as const, data };
    },
  );

  app.get(
    '/ticker/:symbol',
    {
      config: read,
      schema: {
        summary: 'Bars of `EXCHANGE:SYMBOL`, as JSON or text lines',
        description:
          'The bars of `/history` for a GET. `from`/`to` are days (`YYYY-MM-DD`, IST, `to` included) or instants in ' +
          'epoch seconds or milliseconds (`to` included). A range longer than `/history` allows is cut to end at `to` ' +
          '(as OpenAlgo cuts it, to its own limits). `format=txt` answers one line per bar: ' +
          '`EXCHANGE:SYMBOL,YYYY-MM-DD,open,high,low,close,volume` for D, with `HH:MM:SS` after the date for every ' +
          'other interval (the IST time of the stamp: `05:30:00` for W to Y bars, as OpenAlgo writes them); errors ' +
          'are then plain text too.',
        tags: ['market data'],
        params: TickerParams,
        querystring: TickerQuery,
        response: { 200: TickerResponse, ...errors },
      },
      // With `format=txt`, OpenAlgo's ticker answers its errors (auth, validation, refusals) in plain text too.
      onSend: async (request, reply, payload) => {
        if (!wantsText(request.query) || reply.statusCode < 400 || typeof payload !== 'string') return payload;
        reply.type(PLAIN_TEXT);
        return errorText(payload);
      },
    },
    async (request, reply) => {
      const parts = request.params.symbol.split(':');
      if (parts.length !== 2) return badRequest(reply, 'Symbol must be EXCHANGE:SYMBOL, e.g. NSE:RELIANCE');
      const [exchangeText = '', symbol = ''] = parts;
      if (!isExchange(exchangeText)) throw new FieldError('exchange', `Must be one of: ${EXCHANGES.join(', ')}.`);
      const { interval: word } = request.query;
      const from = boundary(request.query.from, 'from');
      const to = boundary(request.query.to, 'to');
      if (to.end <= from.start) return badRequest(reply, 'from must not be after to');
      const resolved = await resolve(principalOf(request).accountId, symbol, exchangeText, word);
      if (typeof resolved === 'string') return badRequest(reply, resolved);
      const { series, interval } = resolved;
      const start = Math.max(from.start, to.anchor - series.maxDaysBack(interval) * DAY_MS);
      const bars = await series.bars(interval, start, to.end);
      if (!wantsText(request.query)) return { status: 'success' as const, data: bars.map((bar) => barRow(bar, interval)) };
      const ticker = `${exchangeText}:${symbol}`;
      const lines = bars.map((bar) => tickerLine(ticker, bar, interval, word === 'D'));
      return reply.type(PLAIN_TEXT).send(lines.join('\n'));
    },
  );
}

// ---------------------------------------------------------------------------------------------------------
// Intervals: the dialect's words for the neutral intervals.

type IntervalGroup = 'days' | 'hours' | 'minutes' | 'months' | 'seconds' | 'weeks';
const GROUP_OF: Record<BarInterval['unit'], IntervalGroup> = {
  second: 'seconds',
  minute: 'minutes',
  hour: 'hours',
  day: 'days',
  week: 'weeks',
  month: 'months',
};
/** `5m` → five minutes, `D` → a day; `Q` and `Y` are three and twelve months. */
export function intervalOf(word: IntervalWord): BarInterval {
  const interval = intervalOfWord(word);
  if (!interval) throw new Error(`interval word ${word} passed its schema but names no interval`);
  return interval;
}

// ---------------------------------------------------------------------------------------------------------
// Dates and instants.

/** Epoch ms of the IST midnight starting a real `YYYY-MM-DD` day; marshmallow's "Not a valid date." otherwise. */
function dayStart(text: string, field: string): number {
  const [year = 0, month = 0, day = 0] = text.split('-').map(Number);
  const utc = Date.UTC(year, month - 1, day);
  const date = new Date(utc);
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new FieldError(field, 'Not a valid date.');
  }
  return utc - IST_OFFSET_MS;
}

function isoDay(istMidnight: number): string {
  return istTimestamp(istMidnight).slice(0, 10);
}

/**
 * A ticker `from`/`to`: a day covers [its IST midnight, the next one); an epoch instant (10 digits: seconds, 11–13:
 * milliseconds) covers itself. `anchor` is where the range limit counts back from: the day's midnight or the instant.
 */
function boundary(text: string, field: string): { start: number; end: number; anchor: number } {
  if (text.includes('-')) {
    const start = dayStart(text, field);
    return { start, end: start + DAY_MS, anchor: start };
  }
  const at = text.length <= 10 ? Number(text) * 1000 : Number(text);
  return { start: at, end: at + 1, anchor: at };
}

// ---------------------------------------------------------------------------------------------------------
// Answers.

function barRow(bar: Bar, interval: BarInterval) {
  return {
    timestamp: openAlgoBarStamp(interval, bar.time),
    open: toNumber(bar.open),
    high: toNumber(bar.high),
    low: toNumber(bar.low),
    close: toNumber(bar.close),
    volume: toNumber(bar.volume),
    oi: 0,
  };
}

function badRequest(reply: FastifyReply, message: string): FastifyReply {
  const { statusCode, body } = errorReply(400, message);
  return reply.code(statusCode).send(body);
}

function isExchange(text: string): text is Exchange {
  return (EXCHANGES as readonly string[]).includes(text);
}

function wantsText(query: { format?: unknown }): boolean {
  return typeof query.format === 'string' && query.format.toLowerCase() === 'txt';
}

/**
 * OpenAlgo's text line: the IST date (and time) of the bar's wire stamp, prices as Python prints floats (`800.0`),
 * volume truncated to an integer.
 */
function tickerLine(ticker: string, bar: Bar, interval: BarInterval, daily: boolean): string {
  const [date = '', time = ''] = istTimestamp(openAlgoBarStamp(interval, bar.time) * 1000).split(' ');
  const prices = [bar.open, bar.high, bar.low, bar.close].map((price) => pythonFloat(toNumber(price)));
  return [ticker, date, ...(daily ? [] : [time]), ...prices, Math.trunc(toNumber(bar.volume))].join(',');
}

function pythonFloat(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** An error answer's message as text: a string as is, a field → messages map as Python prints it (`str(dict)`). */
function errorText(json: string): string {
  let message: unknown;
  try {
    message = (JSON.parse(json) as { message?: unknown }).message;
  } catch {
    return json;
  }
  return typeof message === 'string' ? message : pythonRepr(message as PythonValue);
}
