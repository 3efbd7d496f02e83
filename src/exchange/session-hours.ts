// Exchange trading hours (IST) and MIS square-off times, for when sessions are enforced (ORDERGATE_SESSIONS).
// By default the paper exchange is open around the clock and none of this applies.
import { IST_OFFSET_MS, istDate } from '../domain/clock.js';
import type { Exchange } from '../domain/instrument.js';

interface Hours {
  open: string;
  close: string;
  /** Intraday (MIS) positions are closed at this time (OpenAlgo's sandbox times). */
  squareOff: string;
}

const EQUITY_AND_FNO: Hours = { open: '09:15', close: '15:30', squareOff: '15:15' };
const CURRENCY: Hours = { open: '09:00', close: '17:00', squareOff: '16:45' };

const HOURS: Partial<Record<Exchange, Hours>> = {
  NSE: EQUITY_AND_FNO,
  BSE: EQUITY_AND_FNO,
  NFO: EQUITY_AND_FNO,
  BFO: EQUITY_AND_FNO,
  NCO: EQUITY_AND_FNO,
  CDS: CURRENCY,
  BCD: CURRENCY,
  MCX: { open: '09:00', close: '23:55', squareOff: '23:30' },
  NCDEX: { open: '09:00', close: '17:00', squareOff: '17:00' },
};

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
