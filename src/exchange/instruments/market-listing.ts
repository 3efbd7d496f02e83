// The running exchange's daily listing: each day's instruments with every F&O underlying at the market's price at the
// start of that session day, so option strikes cover where the market trades, not only the reference prices.
import type { Instrument } from '../../domain/instrument.js';
import { isExchangeHoliday, type HolidayRule } from '../../domain/market-calendar.js';
import { sessionStartOf } from '../../domain/session-day.js';
import type { MarketSimulator } from '../market/market-simulator.js';
import type { SpotOf } from './derivatives.js';
import { type InstrumentMaster, buildInstruments } from './master.js';
import { assignTokens } from './tokens.js';

/**
 * A builder of a day's instruments whose underlyings stand where `market` quotes them at that session day's start
 * (03:00 IST); the underlyings (indices and NSE shares, listed every day) are looked up in `master`, MCX and CDS
 * options' near-month futures quoted as the day lists them. The same day
 * always gives the same listing, so a contract rebuilt after a restart has the terms it was traded with.
 */
export function marketListing(
  master: InstrumentMaster,
  market: Pick<MarketSimulator, 'quoteAt'>,
  isHoliday: HolidayRule = isExchangeHoliday,
): (day: string) => Instrument[] {
  // A near-month future is quoted as the day's build lists it: the master may not list it yet.
  const spotOf: SpotOf = (symbol, exchange, day, listed) =>
    market.quoteAt(listed ? (assignTokens([listed])[0] as Instrument) : master.require(symbol, exchange), sessionStartOf(day)).lastPrice;
  return (day) => buildInstruments(day, isHoliday, spotOf);
}
