// Exchange trading hours (IST) and MIS square-off times, for when sessions are enforced (ORDERGATE_SESSIONS).
// By default the paper exchange is open around the clock and none of this applies.
import { IST_OFFSET_MS, istDate } from '../domain/clock.js';
import type { Exchange } from '../domain/instrument.js';
import { TRADING_HOURS } from '../domain/market-calendar.js';

// The hours are the domain calendar's, the one the v1 market timings answer from. A holiday closes every segment
// here, though the calendar lists MCX's evening session on most of them (a simplification of the paper exchange).
const HOURS = TRADING_HOURS;

const DAY_MS = 86_400_000;

export class ExchangeSessions {
  constructor(private readonly isTradingDay: (isoDate: string) => boolean) {}

  /** Why an order cannot be placed on `exchange` now, or undefined when it is open (CRYPTO always is). */
  closedReason(exchange: Exchange, at: number): string | undefined {
    const hours = HOURS[exchange];
    if (!hours) return undefined;
    const time = istTimeOfDay(at);
    if (this.isTradingDay(istDate(at)) && time >= hours.open && time < hours.close) return undefined;
    return `${exchange} is closed: orders are accepted from ${hours.open} to ${hours.close} IST on trading days`;
  }

  /** The MIS square-off time of `exchange` when it has passed today, else undefined. */
  squareOffPassed(exchange: Exchange, at: number): string | undefined {
    const hours = HOURS[exchange];
    if (!hours || !this.isTradingDay(istDate(at))) return undefined;
    return istTimeOfDay(at) >= hours.squareOff ? hours.squareOff : undefined;
  }

  openingTime(exchange: Exchange): string | undefined {
    return HOURS[exchange]?.open;
  }
}

/** `HH:MM` of an instant in IST. */
function istTimeOfDay(at: number): string {
  return new Date((((at + IST_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS).toISOString().slice(11, 16);
}
