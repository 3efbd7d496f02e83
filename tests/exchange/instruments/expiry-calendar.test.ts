import { describe, expect, it } from 'vitest';
import { bseMonthlyExpiries, bseWeeklyExpiries, currencyExpiries, lastWeekdayOfMonth, mcxBullionExpiries, mcxEnergyExpiries, mergeExpiries, nseMonthlyExpiries, nseWeeklyExpiries, tradingDayOnOrBefore, tradingDaysBefore } from '../../../src/exchange/instruments/expiry-calendar.js';
import { addDays, dayNumber, daysBetween, isExchangeHoliday, isTradingDay, noHolidays, TUESDAY, THURSDAY, weekday } from '../../../src/domain/market-calendar.js';

describe('calendar arithmetic', () => {
  it('knows the weekday of a date', () => {
    expect(weekday('1970-01-01')).toBe(4);
    expect(weekday('2025-12-02')).toBe(TUESDAY);
    expect(weekday('2026-11-26')).toBe(THURSDAY);
    expect(weekday('2026-12-19')).toBe(6);
  });

  it('adds days across month and year ends, and counts days between dates', () => {
    expect(addDays('2025-12-30', 7)).toBe('2026-01-06');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-11-24', '2026-12-29')).toBe(35);
    expect(daysBetween('2026-12-29', '2026-11-24')).toBe(-35);
  });

  it('rejects text that is not a real calendar day', () => {
    expect(() => dayNumber('2026-02-30')).toThrow(RangeError);
    expect(() => dayNumber('2026-13-01')).toThrow(RangeError);
    expect(() => dayNumber('24-11-2026')).toThrow(RangeError);
  });

  it('finds the last weekday of a month, including a month ending on it and a leap February', () => {
    expect(lastWeekdayOfMonth(2025, 12, TUESDAY)).toBe('2025-12-30');
    expect(lastWeekdayOfMonth(2026, 6, TUESDAY)).toBe('2026-06-30');
    expect(lastWeekdayOfMonth(2026, 2, TUESDAY)).toBe('2026-02-24');
    expect(lastWeekdayOfMonth(2028, 2, TUESDAY)).toBe('2028-02-29');
    expect(lastWeekdayOfMonth(2026, 1, THURSDAY)).toBe('2026-01-29');
  });
});

describe('holidays', () => {
  it('closes weekends, the published holidays and the fixed-date holidays of any year', () => {
    expect(isTradingDay('2026-11-21')).toBe(false); // Saturday
    expect(isTradingDay('2026-11-24')).toBe(false); // Guru Nanak Jayanti
    expect(isTradingDay('2026-11-25')).toBe(true);
    expect(isExchangeHoliday('2027-01-26')).toBe(true); // Republic Day, every year
    expect(isExchangeHoliday('2027-03-03')).toBe(false);
  });

  it('steps back over weekends and holidays', () => {
    expect(tradingDayOnOrBefore('2026-11-25')).toBe('2026-11-25');
    expect(tradingDayOnOrBefore('2026-12-19')).toBe('2026-12-18');
    expect(tradingDayOnOrBefore('2026-04-14')).toBe('2026-04-13');
    expect(tradingDayOnOrBefore('2026-04-05')).toBe('2026-04-02'); // Sunday, Saturday, Good Friday
    expect(tradingDaysBefore('2026-03-30', 2)).toBe('2026-03-25'); // skips Ram Navami on the 26th
  });
});

describe('NSE expiries', () => {
  it('lists every Tuesday as a NIFTY weekly expiry, starting with the day itself', () => {
    expect(nseWeeklyExpiries('2025-12-01', 5)).toEqual(['2025-12-02', '2025-12-09', '2025-12-16', '2025-12-23', '2025-12-30']);
    expect(nseWeeklyExpiries('2025-12-02', 1)).toEqual(['2025-12-02']);
    expect(nseWeeklyExpiries('2025-12-03', 1)).toEqual(['2025-12-09']);
    expect(nseWeeklyExpiries('2026-12-28', 2)).toEqual(['2026-12-29', '2027-01-05']);
  });

  it('puts monthly contracts on the last Tuesday of the month', () => {
    expect(nseMonthlyExpiries('2025-12-01', 3)).toEqual(['2025-12-30', '2026-01-27', '2026-02-24']);
  });

  it('still lists a monthly contract on its expiry day and drops it the day after', () => {
    expect(nseMonthlyExpiries('2025-12-30', 1)).toEqual(['2025-12-30']);
    expect(nseMonthlyExpiries('2025-12-31', 1)).toEqual(['2026-01-27']);
  });

  it('moves an expiry falling on a holiday to the previous trading day', () => {
    expect(nseMonthlyExpiries('2026-03-01', 1)).toEqual(['2026-03-30']); // 31 March: Mahavir Jayanti
    expect(nseMonthlyExpiries('2026-03-01', 1, noHolidays)).toEqual(['2026-03-31']);
    expect(nseWeeklyExpiries('2026-03-01', 5)).toEqual(['2026-03-02', '2026-03-10', '2026-03-17', '2026-03-24', '2026-03-30']);
    expect(nseMonthlyExpiries('2027-01-01', 1)).toEqual(['2027-01-25']); // 26 January 2027 is a Tuesday
  });

  it('drops an expiry that a holiday moved to before today', () => {
    // 24 November 2026 is a holiday: that week's expiry, the November monthly, was on the 23rd.
    expect(nseWeeklyExpiries('2026-11-24', 2)).toEqual(['2026-12-01', '2026-12-08']);
    expect(nseMonthlyExpiries('2026-11-24', 3)).toEqual(['2026-12-29', '2027-01-25', '2027-02-23']);
    expect(nseMonthlyExpiries('2026-11-23', 1)).toEqual(['2026-11-23']);
  });
});

describe('BSE expiries', () => {
  it('lists every Thursday as a SENSEX weekly expiry, Christmas moving one to Wednesday', () => {
    expect(bseWeeklyExpiries('2025-12-01', 4)).toEqual(['2025-12-04', '2025-12-11', '2025-12-18', '2025-12-24']);
  });

  it('puts monthly contracts on the last Thursday of the month', () => {
    expect(bseMonthlyExpiries('2025-12-01', 3)).toEqual(['2025-12-24', '2026-01-29', '2026-02-26']);
    expect(bseMonthlyExpiries('2026-05-01', 1)).toEqual(['2026-05-27']); // 28 May: Bakri Id
  });
});

describe('MCX expiries', () => {
  it('expires energy futures on the trading day on or before the 19th', () => {
    expect(mcxEnergyExpiries('2026-11-24', 3)).toEqual(['2026-12-18', '2027-01-19', '2027-02-19']);
    expect(mcxEnergyExpiries('2026-11-19', 1)).toEqual(['2026-11-19']);
  });

  it('expires bullion futures on the trading day on or before the 5th, in the contract months given', () => {
    expect(mcxBullionExpiries('2026-11-24', 3)).toEqual(['2026-12-04', '2027-01-05', '2027-02-05']);
    expect(mcxBullionExpiries('2026-11-24', 3, [2, 4, 6, 8, 10, 12])).toEqual(['2026-12-04', '2027-02-05', '2027-04-05']);
    expect(mcxBullionExpiries('2026-11-24', 2, [3, 5, 7, 9, 12])).toEqual(['2026-12-04', '2027-03-05']);
  });
});

describe('currency expiries', () => {
  it('expires two trading days before the last trading day of the month', () => {
    expect(currencyExpiries('2025-12-01', 1)).toEqual(['2025-12-29']);
    expect(currencyExpiries('2026-11-24', 3)).toEqual(['2026-11-26', '2026-12-29', '2027-01-27']);
    // March 2026: the 31st is a holiday, so the last trading day is the 30th; two back skips the 26th (Ram Navami).
    expect(currencyExpiries('2026-03-01', 1)).toEqual(['2026-03-25']);
  });
});

describe('mergeExpiries', () => {
  it('gives each day once, in order, when a weekly is also the monthly', () => {
    expect(mergeExpiries(['2025-12-16', '2025-12-23', '2025-12-30'], ['2025-12-30', '2026-01-27'])).toEqual([
      '2025-12-16',
      '2025-12-23',
      '2025-12-30',
      '2026-01-27',
    ]);
  });
});
