import { describe, expect, it } from 'vitest';
import {
  MARKET_HOLIDAYS,
  TRADING_HOURS,
  holidayOn,
  holidaysOf,
  isExchangeHoliday,
  isTradingDay,
  istMidnightOf,
  sessionsOn,
  timeOfDayMs,
} from '../../src/domain/market-calendar.js';

const HOUR = 3_600_000;

describe('the market calendar', () => {
  it('lists the published holidays in date order, each date once', () => {
    const dates = MARKET_HOLIDAYS.map((holiday) => holiday.date);
    expect(dates).toEqual([...dates].sort());
    expect(new Set(dates).size).toBe(dates.length);
    expect(holidaysOf(2025)).toHaveLength(14);
    expect(holidaysOf(2026)).toHaveLength(17);
  });

  it('closes NSE and BSE on their holidays and Muhurat days, not on a settlement-free weekday', () => {
    expect(isExchangeHoliday('2026-01-26')).toBe(true);
    expect(isExchangeHoliday('2026-01-15')).toBe(true);
    expect(isExchangeHoliday('2025-10-21')).toBe(true);
    expect(isExchangeHoliday('2026-11-25')).toBe(false);
    expect(isTradingDay('2026-11-28')).toBe(false);
    expect(isTradingDay('2026-11-23')).toBe(true);
  });

  it('gives years without a list the recurring national holidays, MCX closed on all but Maharashtra Day', () => {
    expect(holidayOn('2029-01-26')).toEqual({
      date: '2029-01-26',
      description: 'Republic Day',
      kind: 'TRADING_HOLIDAY',
      closed: ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX'],
      sessions: [],
    });
    expect(holidayOn('2030-05-01')?.sessions).toEqual([{ exchange: 'MCX', start: 17 * HOUR, end: 23 * HOUR + 55 * 60_000 }]);
    expect(holidayOn('2030-05-02')).toBeUndefined();
    // 2027-08-15 is a Sunday: a weekend, not a listed day.
    expect(holidayOn('2027-08-15')).toBeUndefined();
  });

  it("answers a weekday's sessions from the trading hours, in OpenAlgo's exchange order", () => {
    const sessions = sessionsOn('2026-11-25');
    expect(sessions.map((session) => session.exchange)).toEqual(['NSE', 'BSE', 'NFO', 'BFO', 'MCX', 'BCD', 'CDS', 'NCO', 'CRYPTO']);
    expect(sessions[0]).toEqual({ exchange: 'NSE', start: timeOfDayMs(TRADING_HOURS.NSE!.open), end: timeOfDayMs('15:30') });
    expect(sessions[8]).toEqual({ exchange: 'CRYPTO', start: 0, end: 86_399_000 });
  });

  it("runs MCX's Muhurat session of 8 November 2026 past midnight, to 00:15", () => {
    const mcx = sessionsOn('2026-11-08').find((session) => session.exchange === 'MCX');
    expect(istMidnightOf('2026-11-08') + (mcx?.end ?? 0)).toBe(Date.parse('2026-11-09T00:15:00+05:30'));
  });
});
