// The SIP schedule, with OpenAlgo's own vectors (test/test_sip_schedule.py): requested dates, step-up, session roll.
import { describe, expect, it } from 'vitest';
import { dec, toString } from '../../src/domain/decimal.js';
import { addDays, weekday } from '../../src/domain/market-calendar.js';
import { SipScheduleError, applyStepUp, buildSchedule, requestedDates } from '../../src/domain/sip-schedule.js';

/** Weekdays only, standing in for a trading calendar (pandas' bdate_range in OpenAlgo's tests). */
function weekdays(start: string, end: string): string[] {
  const out: string[] = [];
  for (let day = start; day <= end; day = addDays(day, 1)) if (weekday(day) !== 0 && weekday(day) !== 6) out.push(day);
  return out;
}
const monthly = { frequency: 'monthly' as const, dayOfMonth: 1, stepUpPercent: 0 };

describe('the SIP schedule', () => {
  it('lands monthly dates on the requested day, quarterly three months apart, weekly and fortnightly 7 and 14 days apart', () => {
    expect(requestedDates('2020-01-01', '2020-06-30', 'monthly', 15)).toEqual(['2020-01-15', '2020-02-15', '2020-03-15', '2020-04-15', '2020-05-15', '2020-06-15']);
    expect(requestedDates('2020-01-01', '2020-12-31', 'quarterly', 1)).toEqual(['2020-01-01', '2020-04-01', '2020-07-01', '2020-10-01']);
    expect(requestedDates('2020-01-01', '2020-01-31', 'weekly')).toEqual(['2020-01-01', '2020-01-08', '2020-01-15', '2020-01-22', '2020-01-29']);
    expect(requestedDates('2020-01-01', '2020-02-12', 'fortnightly')).toEqual(['2020-01-01', '2020-01-15', '2020-01-29', '2020-02-12']);
    // A start after the day asked for begins the next month.
    expect(requestedDates('2020-01-20', '2020-03-31', 'monthly', 5)).toEqual(['2020-02-05', '2020-03-05']);
  });

  it('refuses days after the 28th and unknown frequencies rather than inventing a schedule', () => {
    expect(() => requestedDates('2020-01-01', '2020-06-01', 'monthly', 31)).toThrow(
      new SipScheduleError('day_of_month must be between 1 and 28; days after the 28th do not exist in every month'),
    );
    expect(() => requestedDates('2020-01-01', '2020-06-01', 'daily')).toThrow("frequency must be one of monthly, fortnightly, weekly, quarterly, got 'daily'");
  });

  it('steps up on each anniversary of the first installment, compounding, not on calendar years', () => {
    const amounts = applyStepUp(['2020-10-01', '2021-04-01', '2021-10-05', '2022-10-05'], dec(10000), 10);
    expect(amounts.map(toString)).toEqual(['10000', '10000', '11000', '12100']);
    const flat = applyStepUp(requestedDates('2020-01-01', '2023-01-01', 'monthly', 1), dec(5000), 0);
    expect(new Set(flat.map(toString))).toEqual(new Set(['5000']));
  });

  it('executes a date that is not a session on the next session, keeping both dates', () => {
    const schedule = buildSchedule(weekdays('2020-01-01', '2021-12-31'), '2020-01-01', '2020-03-31', dec(5000), { ...monthly, dayOfMonth: 5 });
    expect(schedule.map(({ requested, executed }) => [requested, executed])).toEqual([
      ['2020-01-05', '2020-01-06'], // a Sunday rolls to Monday
      ['2020-02-05', '2020-02-05'],
      ['2020-03-05', '2020-03-05'],
    ]);
  });

  it('drops installments whose next session falls after the window, and carries the step-up into the third year', () => {
    const sessions = weekdays('2020-01-01', '2022-12-31');
    const window = buildSchedule(sessions, '2020-01-01', '2020-02-29', dec(5000), monthly);
    expect(window.map((each) => each.executed)).toEqual(['2020-01-01', '2020-02-03']); // 2020-02-29 is a Saturday: 1 Mar is outside
    const stepped = buildSchedule(sessions, '2020-01-01', '2022-12-31', dec(10000), { ...monthly, stepUpPercent: 10 });
    expect([toString(stepped[0]!.amount), toString(stepped[stepped.length - 1]!.amount)]).toEqual(['10000', '12100']);
  });

  it('refuses a zero amount and a window too short for any installment', () => {
    const sessions = weekdays('2020-01-01', '2021-12-31');
    expect(() => buildSchedule(sessions, '2020-01-01', '2020-06-01', dec(0), monthly)).toThrow('SIP amount must be positive');
    expect(() => buildSchedule(sessions, '2020-01-02', '2020-01-03', dec(5000), { ...monthly, dayOfMonth: 15 })).toThrow(
      'the SIP window is too short to contain a single installment',
    );
  });
});
