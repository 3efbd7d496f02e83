// Daily closes of one symbol from the broker serving an account, on the exchange's sessions: the series the SIP and
// portfolio backtests read, whatever the length of their window.
import { istDate } from '../domain/clock.js';
import type { Decimal } from '../domain/decimal.js';
import { InstrumentNotFound } from '../domain/errors.js';
import type { Exchange } from '../domain/instrument.js';
import { type BarInterval, type HistorySeries, sameInterval } from '../domain/market.js';
import { type CalendarExchange, type IsoDate, istMidnightOf, sessionsOn } from '../domain/market-calendar.js';

export const DAY: BarInterval = { unit: 'day', count: 1 };
const DAY_MS = 86_400_000;

/** Where history comes from: the trading service, for the caller's account. */
export interface HistorySource {
  getHistory(accountId: string, symbol: string, exchange: Exchange): Promise<HistorySeries>;
}

/** One close per session, dates ascending and distinct. */
export interface DailyCloses {
  dates: IsoDate[];
  closes: Decimal[];
}

/** The broker cannot serve the symbol's daily closes at all; the message is the broker's reason. */
export class DailyClosesUnavailable extends Error {
  override readonly name: string = 'DailyClosesUnavailable';
}

/** The symbol is not in the broker's instrument master. */
export class UnknownSymbol extends DailyClosesUnavailable {
  override readonly name = 'UnknownSymbol';
}

/** The broker has the symbol but no daily bars of it. */
export class NoDailyInterval extends DailyClosesUnavailable {
  override readonly name = 'NoDailyInterval';
}

/**
 * The closes of the sessions in [start, end] (IST days, both included). The window is read in slices of the longest
 * range the series serves at once, so it may be any length. Bars on days the exchange has no session are dropped: the
 * paper market has a bar every calendar day, while returns annualised over 252 periods a year must be per session.
 */
export async function loadDailyCloses(
  source: HistorySource,
  accountId: string,
  symbol: string,
  exchange: Exchange,
  start: IsoDate,
  end: IsoDate,
): Promise<DailyCloses> {
  let series: HistorySeries;
  try {
    series = await source.getHistory(accountId, symbol, exchange);
  } catch (error) {
    if (error instanceof InstrumentNotFound) throw new UnknownSymbol(error.message);
    throw error;
  }
  if (!series.intervals.some((interval) => sameInterval(interval, DAY))) {
    throw new NoDailyInterval(`Interval 'D' is not available for ${symbol} on ${exchange}, which has ${series.source}`);
  }
  const calendar = calendarOf(exchange);
  const to = istMidnightOf(end) + DAY_MS;
  const slice = Math.max(1, series.maxDaysBack(DAY)) * DAY_MS;
  const dates: IsoDate[] = [];
  const closes: Decimal[] = [];
  for (let from = istMidnightOf(start); from < to; from += slice) {
    for (const bar of await series.bars(DAY, from, Math.min(from + slice, to))) {
      const date = istDate(bar.time);
      if (date < start || date > end || (dates.length > 0 && date <= (dates[dates.length - 1] as IsoDate))) continue;
      if (calendar && !sessionsOn(date).some((session) => session.exchange === calendar)) continue;
      dates.push(date);
      closes.push(bar.close);
    }
  }
  return { dates, closes };
}

/** The exchange whose sessions a series keeps: an index trades on its cash market's; a global index keeps every bar. */
function calendarOf(exchange: Exchange): CalendarExchange | undefined {
  if (exchange === 'NSE' || exchange === 'NSE_INDEX') return 'NSE';
  if (exchange === 'BSE' || exchange === 'BSE_INDEX') return 'BSE';
  return undefined;
}
