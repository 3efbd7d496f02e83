// Daily closes of a portfolio's holdings (or a benchmark) from the broker serving the account, aligned on the sessions
// every one of them has: the price matrix OpenAlgo's portfolio backtester loads, with its refusals (422 there).
import { type Decimal, toNumber } from '../domain/decimal.js';
import type { Exchange } from '../domain/instrument.js';
import type { PriceMatrix } from '../domain/portfolio-simulation.js';
import { DailyClosesUnavailable, type HistorySource, loadDailyCloses } from './daily-closes.js';

export type { HistorySource };

/** A daily move this large is more likely an unadjusted split or bonus than a market move (OpenAlgo's threshold). */
const ARTIFACT_THRESHOLD = 0.35;

/** The data cannot answer the request (a symbol without bars, no common sessions): OpenAlgo's DataError, a 422. */
export class PortfolioDataError extends Error {}

export interface Window {
  /** The first and last day asked for (`YYYY-MM-DD`, both included). */
  startDate: string;
  endDate: string;
  /** Today (IST): no bar is read past it, so a far end_date costs no requests of the broker. */
  today: string;
}

export interface LoadedPrices extends PriceMatrix {
  /** Symbol → sessions whose move looks like an unadjusted corporate action: `[date, return]`. */
  warnings: Record<string, [string, number][]>;
}

/** The holdings' daily closes on the sessions all of them have (at least `minSessions`). */
export async function loadPrices(
  source: HistorySource,
  accountId: string,
  holdings: readonly { symbol: string; exchange: Exchange }[],
  window: Window,
  minSessions = 2,
): Promise<LoadedPrices> {
  const byDate: Map<string, number>[] = [];
  for (const { symbol, exchange } of holdings) byDate.push(await dailyCloses(source, accountId, symbol, exchange, window));
  // Inner join: a portfolio return needs every holding priced on the same session; filling gaps would invent prices.
  const dates = [...(byDate[0]?.keys() ?? [])].filter((date) => byDate.every((closes) => closes.has(date))).sort();
  if (dates.length < minSessions) {
    throw new PortfolioDataError(
      `only ${dates.length} session(s) are common to all ${holdings.length} symbols between ${window.startDate} and ` +
        `${window.endDate}; a shorter window or a symbol with a later listing date is likely`,
    );
  }
  const closes = byDate.map((series) => dates.map((date) => series.get(date) as number));
  if (!closes.every((series) => series.every((close) => Number.isFinite(close) && close > 0))) {
    throw new PortfolioDataError('price matrix must contain only positive finite closes');
  }
  const symbols = holdings.map((holding) => holding.symbol);
  return { symbols, dates, closes, warnings: splitArtifacts(symbols, dates, closes) };
}

/** Session → close of one holding over the window; a symbol without a session in it is refused, as OpenAlgo does. */
async function dailyCloses(source: HistorySource, accountId: string, symbol: string, exchange: Exchange, window: Window): Promise<Map<string, number>> {
  let loaded;
  try {
    const end = window.endDate < window.today ? window.endDate : window.today;
    loaded = await loadDailyCloses(source, accountId, symbol, exchange, window.startDate, end);
  } catch (error) {
    if (error instanceof DailyClosesUnavailable) throw new PortfolioDataError(`${symbol} (${exchange}): history request failed [400] ${error.message}`);
    throw error;
  }
  if (loaded.dates.length === 0) throw new PortfolioDataError(`${symbol}: history response contained no bars`);
  return new Map(loaded.dates.map((date, i) => [date, toNumber(loaded.closes[i] as Decimal)]));
}

function splitArtifacts(symbols: readonly string[], dates: readonly string[], closes: readonly (readonly number[])[]): Record<string, [string, number][]> {
  const out: Record<string, [string, number][]> = {};
  closes.forEach((series, h) => {
    const hits: [string, number][] = [];
    for (let i = 1; i < series.length; i++) {
      const move = (series[i] as number) / (series[i - 1] as number) - 1;
      if (Math.abs(move) > ARTIFACT_THRESHOLD) hits.push([dates[i] as string, move]);
    }
    if (hits.length > 0) out[symbols[h] as string] = hits;
  });
  return out;
}
