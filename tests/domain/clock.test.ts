import { describe, expect, it } from 'vitest';
import { istDate, istTimestamp } from '../../src/domain/clock.js';

describe('IST calendar dates', () => {
  // 2026-11-24 18:30:00 UTC is 2026-11-25 00:00:00 IST.
  const midnight = Date.UTC(2026, 10, 24, 18, 30);

  it('change at IST midnight, not UTC midnight, whichever order they are asked in', () => {
    expect(istDate(midnight - 1)).toBe('2026-11-24');
    expect(istDate(midnight)).toBe('2026-11-25');
    expect(istDate(midnight - 1)).toBe('2026-11-24');
    expect(istDate(midnight + 86_400_000 - 1)).toBe('2026-11-25');
    expect(istDate(midnight + 86_400_000)).toBe('2026-11-26');
    expect(istDate(Date.UTC(2026, 10, 25, 0, 0))).toBe('2026-11-25');
    expect(istTimestamp(midnight - 1000)).toBe('2026-11-24 23:59:59');
  });

  it('agree with the calendar across a year, a leap day and the epoch', () => {
    for (let at = Date.UTC(2027, 11, 30); at < Date.UTC(2029, 0, 2); at += 3_600_000 * 7) {
      expect(istDate(at)).toBe(new Date(at + 19_800_000).toISOString().slice(0, 10));
    }
    expect(istDate(Date.UTC(2028, 1, 28, 18, 30))).toBe('2028-02-29');
    expect(istDate(0)).toBe('1970-01-01');
    expect(istDate(-19_800_001)).toBe('1969-12-31');
  });

  it('timestamps agree with the calendar to the second, rounding milliseconds down', () => {
    const reference = (at: number) => new Date(at + 19_800_000).toISOString().slice(0, 19).replace('T', ' ');
    for (let at = Date.UTC(2026, 10, 24, 18, 29, 58, 999); at < Date.UTC(2026, 10, 26); at += 997_003) {
      expect(istTimestamp(at)).toBe(reference(at));
    }
    for (const at of [midnight - 1, midnight, midnight + 999, midnight + 1000, midnight + 86_399_999, 0, -1]) {
      expect(istTimestamp(at)).toBe(reference(at));
    }
  });
});
