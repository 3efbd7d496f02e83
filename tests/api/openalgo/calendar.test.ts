// market/holidays and market/timings over HTTP: OpenAlgo's answers from Ordergate's one calendar.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startGateway } from '../harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startGateway();
});
afterAll(() => h.close());

/** Epoch ms of an IST wall-clock time. */
const ist = (date: string, hhmm: string) => Date.parse(`${date}T${hhmm}:00+05:30`);
const holidays = (body: Record<string, unknown> = {}) => h.post('/api/v1/market/holidays', { apikey: h.key, ...body });
const timings = (date: unknown) => h.post('/api/v1/market/timings', { apikey: h.key, date });

describe('market/holidays', () => {
  it("lists 2026's holidays: Republic Day closes MCX too, Holi keeps MCX's evening session, Diwali is a Muhurat session", async () => {
    const { status, body } = await holidays({ year: 2026 });
    expect(status).toBe(200);
    expect(body.status).toBe('success');
    expect(body.year).toBe(2026);
    expect(body.timezone).toBe('Asia/Kolkata');
    const data = body.data as Array<Record<string, unknown>>;
    expect(data).toHaveLength(17);
    expect(data.find((day) => day.date === '2026-01-26')).toEqual({
      date: '2026-01-26',
      description: 'Republic Day',
      holiday_type: 'TRADING_HOLIDAY',
      closed_exchanges: ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX'],
      open_exchanges: [],
    });
    expect(data.find((day) => day.date === '2026-03-03')).toEqual({
      date: '2026-03-03',
      description: 'Holi',
      holiday_type: 'TRADING_HOLIDAY',
      closed_exchanges: ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD'],
      open_exchanges: [{ exchange: 'MCX', start_time: 1772537400000, end_time: 1772562300000 }],
    });
    const diwali = data.find((day) => day.date === '2026-11-08');
    expect(diwali).toMatchObject({ description: 'Diwali Laxmi Pujan (Muhurat Trading)', holiday_type: 'SPECIAL_SESSION', closed_exchanges: [] });
    expect(diwali?.open_exchanges).toEqual([
      ...['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD'].map((exchange) => ({ exchange, start_time: 1794141000000, end_time: 1794145500000 })),
      { exchange: 'MCX', start_time: 1794141000000, end_time: 1794163500000 },
    ]);
    expect(data.map((day) => day.date)).toEqual([...data.map((day) => day.date as string)].sort());
  });

  it('defaults to the current IST year, and takes the year as text', async () => {
    expect((await holidays()).body.year).toBe(2026);
    h.clock.set(ist('2027-01-01', '00:10'));
    try {
      expect((await holidays()).body.year).toBe(2027);
    } finally {
      h.clock.set(ist('2026-11-25', '10:00'));
    }
    expect((await holidays({ year: '2025' })).body.year).toBe(2025);
  });

  it('gives a year without a published list its fixed-date national holidays on weekdays', async () => {
    const data = (await holidays({ year: 2031 })).body.data as Array<Record<string, unknown>>;
    expect(data.map((day) => [day.date, day.description, day.closed_exchanges])).toEqual([
      ['2031-05-01', 'Maharashtra Day', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD']],
      ['2031-08-15', 'Independence Day', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX']],
      ['2031-10-02', 'Mahatma Gandhi Jayanti', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX']],
      ['2031-12-25', 'Christmas', ['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX']],
    ]);
  });

  it('refuses a year outside 2020–2050 with marshmallow\'s range message', async () => {
    for (const year of [2019, 2051]) {
      expect(await holidays({ year })).toEqual({
        status: 400,
        body: { status: 'error', message: { year: ['Must be greater than or equal to 2020 and less than or equal to 2050.'] } },
      });
    }
    expect((await holidays({ year: 'soon' })).body).toEqual({ status: 'error', message: { year: ['Not a valid integer.'] } });
  });

  it('answers an unknown key 403', async () => {
    expect(await h.post('/api/v1/market/holidays', { apikey: 'nope' })).toEqual({
      status: 403,
      body: { status: 'error', message: 'Invalid openalgo apikey' },
    });
  });
});

describe('market/timings', () => {
  it("gives a weekday every exchange's regular hours in OpenAlgo's order, F&O to 15:40, CRYPTO all day", async () => {
    const day = '2026-11-25';
    expect(await timings(day)).toEqual({
      status: 200,
      body: {
        status: 'success',
        data: [
          { exchange: 'NSE', start_time: ist(day, '09:15'), end_time: ist(day, '15:30') },
          { exchange: 'BSE', start_time: ist(day, '09:15'), end_time: ist(day, '15:30') },
          { exchange: 'NFO', start_time: ist(day, '09:15'), end_time: ist(day, '15:40') },
          { exchange: 'BFO', start_time: ist(day, '09:15'), end_time: ist(day, '15:40') },
          { exchange: 'MCX', start_time: ist(day, '09:00'), end_time: ist(day, '23:55') },
          { exchange: 'BCD', start_time: ist(day, '09:00'), end_time: ist(day, '17:00') },
          { exchange: 'CDS', start_time: ist(day, '09:00'), end_time: ist(day, '17:00') },
          { exchange: 'NCO', start_time: ist(day, '09:00'), end_time: ist(day, '23:55') },
          { exchange: 'CRYPTO', start_time: ist(day, '00:00'), end_time: ist(day, '23:59') + 59_000 },
        ],
      },
    });
    expect((await timings(day)).body.data).toContainEqual({ exchange: 'NSE', start_time: 1795578300000, end_time: 1795600800000 });
  });

  it('gives a weekend CRYPTO only', async () => {
    expect((await timings('2026-11-28')).body.data).toEqual([
      { exchange: 'CRYPTO', start_time: ist('2026-11-28', '00:00'), end_time: ist('2026-11-28', '23:59') + 59_000 },
    ]);
  });

  it("gives a holiday only the sessions held on it: MCX's evening on Guru Nanak Jayanti, nothing on Christmas", async () => {
    expect((await timings('2026-11-24')).body.data).toEqual([{ exchange: 'MCX', start_time: 1795519800000, end_time: 1795544700000 }]);
    expect((await timings('2026-12-25')).body).toEqual({ status: 'success', data: [] });
  });

  it('gives a Sunday Muhurat day its special session', async () => {
    const data = (await timings('2026-11-08')).body.data as Array<Record<string, unknown>>;
    expect(data.map((session) => session.exchange)).toEqual(['NSE', 'BSE', 'NFO', 'BFO', 'CDS', 'BCD', 'MCX']);
    expect(data[0]).toEqual({ exchange: 'NSE', start_time: ist('2026-11-08', '18:00'), end_time: ist('2026-11-08', '19:15') });
    expect(data[6]).toEqual({ exchange: 'MCX', start_time: ist('2026-11-08', '18:00'), end_time: ist('2026-11-09', '00:15') });
  });

  it('reads dates as strptime does, and refuses what it cannot read or what lies outside 2020–2050', async () => {
    expect((await timings('2026-1-5')).body.data).toHaveLength(9);
    for (const date of ['05-01-2026', '2026-02-30', 'today', '']) {
      expect(await timings(date)).toEqual({ status: 400, body: { status: 'error', message: 'Invalid date format. Use YYYY-MM-DD' } });
    }
    expect(await timings('2019-12-31')).toEqual({
      status: 400,
      body: { status: 'error', message: 'Date must be between 2020-01-01 and 2050-12-31' },
    });
    expect((await h.post('/api/v1/market/timings', { apikey: h.key })).body).toEqual({
      status: 'error',
      message: { date: ['Missing data for required field.'] },
    });
  });
});
