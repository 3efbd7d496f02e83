// Recorded data sets replayed as history: the bundled files row for row, and their coarser aggregations.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/domain/clock.js';
import { add, dec, max, min } from '../../../src/domain/decimal.js';
import type { Bar, BarInterval } from '../../../src/domain/market.js';
import { BUNDLED_REPLAYS, ReplaySeries, type ReplaySource, parseBars } from '../../../src/exchange/history/replay-series.js';

const ist = (text: string) => Date.parse(`${text}+05:30`);
const NOW = ist('2026-11-25T10:00:00');
const DAY: BarInterval = { unit: 'day', count: 1 };
const WEEK: BarInterval = { unit: 'week', count: 1 };
const MONTH: BarInterval = { unit: 'month', count: 1 };
const ALL_TIME: [number, number] = [ist('1990-01-01T00:00:00'), ist('2030-01-01T00:00:00')];

function bundled(symbol: string, now = NOW): ReplaySeries {
  const source = BUNDLED_REPLAYS.find((r) => r.symbol === symbol) as ReplaySource;
  return ReplaySeries.fromCsv(source, source.read(), new ManualClock(now));
}

function bar(time: string, open: string, high: string, low: string, close: string, volume: string): Bar {
  return { time: ist(time), open: dec(open), high: dec(high), low: dec(low), close: dec(close), volume: dec(volume) };
}

const words = (series: ReplaySeries) => series.intervals.map((i) => `${i.count}${i.unit}`);

describe('GOOG (daily)', () => {
  it('replays every row of GOOG.csv, each day at its IST midnight', async () => {
    const days = await bundled('GOOG').bars(DAY, ...ALL_TIME);
    expect(days).toHaveLength(2148);
    expect(days[0]).toEqual(bar('2004-08-19T00:00:00', '100', '104.06', '95.96', '100.34', '22351900'));
    expect(days[1]).toEqual(bar('2004-08-20T00:00:00', '101.01', '109.08', '100.5', '108.31', '11428600'));
    expect(days.at(-1)).toEqual(bar('2013-03-01T00:00:00', '797.8', '807.14', '796.15', '806.19', '2175400'));
  });

  it('serves days, weeks, months, quarters and years only', () => {
    expect(words(bundled('GOOG'))).toEqual(['1day', '1week', '1month', '3month', '12month']);
  });

  it('cuts the range by the days asked for', async () => {
    const days = await bundled('GOOG').bars(DAY, ist('2004-08-20T00:00:00'), ist('2004-08-25T00:00:00'));
    expect(days.map((d) => d.time)).toEqual(['08-20', '08-23', '08-24'].map((d) => ist(`2004-${d}T00:00:00`)));
  });

  it('aggregates weeks from Monday and months from the 1st', async () => {
    const goog = bundled('GOOG');
    const weeks = await goog.bars(WEEK, ist('2004-08-19T00:00:00'), ist('2004-08-28T00:00:00'));
    expect(weeks).toEqual([
      bar('2004-08-16T00:00:00', '100', '109.08', '95.96', '108.31', '33780500'),
      bar('2004-08-23T00:00:00', '110.75', '113.48', '103.57', '106.15', '28027400'),
    ]);
    const [august] = await goog.bars(MONTH, ist('2004-08-01T00:00:00'), ist('2004-09-01T00:00:00'));
    expect(august).toMatchObject({ time: ist('2004-08-01T00:00:00'), open: dec('100'), close: dec('102.37') });
  });

  it('serves only the bars that ended by now', async () => {
    const days = await bundled('GOOG', ist('2004-08-23T15:00:00')).bars(DAY, ...ALL_TIME);
    expect(days.map((d) => d.time)).toEqual([ist('2004-08-19T00:00:00'), ist('2004-08-20T00:00:00')]);
  });
});

describe('EURUSD (hourly)', () => {
  it('replays hours at their IST wall-clock time', async () => {
    const [first] = await bundled('EURUSD').bars({ unit: 'hour', count: 1 }, ...ALL_TIME);
    expect(first).toEqual(bar('2017-04-19T09:00:00', '1.0716', '1.0722', '1.07083', '1.07219', '1413'));
  });

  it('aggregates into 4-hour bars from midnight and into days', async () => {
    const eurusd = bundled('EURUSD');
    const from = ist('2017-04-19T00:00:00');
    const to = ist('2017-04-20T00:00:00');
    const fourHours = await eurusd.bars({ unit: 'hour', count: 4 }, from, to);
    expect(fourHours.map((b) => b.time)).toEqual([8, 12, 16, 20].map((h) => from + h * 3_600_000));
    expect(fourHours[0]).toEqual(bar('2017-04-19T08:00:00', '1.0716', '1.07299', '1.07083', '1.07192', '3679'));
    expect(fourHours[1]).toEqual(bar('2017-04-19T12:00:00', '1.07195', '1.0728', '1.07002', '1.07064', '7223'));
    expect(await eurusd.bars(DAY, from, to)).toEqual([bar('2017-04-19T00:00:00', '1.0716', '1.07299', '1.07002', '1.07149', '16728')]);
  });

  it('serves hours and coarser, nothing finer', () => {
    expect(words(bundled('EURUSD'))).toEqual(['1hour', '2hour', '3hour', '4hour', '1day', '1week', '1month', '3month', '12month']);
  });
});

describe('BTCUSD (monthly)', () => {
  it('labels each month-end row by the start of its month', async () => {
    const months = await bundled('BTCUSD').bars(MONTH, ...ALL_TIME);
    expect(months).toHaveLength(156);
    expect(months[0]).toEqual(bar('2012-01-01T00:00:00', '4.58', '7.38', '3.8', '5.55', '2012.25343589'));
    expect(months.at(-1)).toEqual(bar('2024-12-01T00:00:00', '96515.0', '108364.0', '92092.0', '93381.0', '25342.80228337'));
    expect(words(bundled('BTCUSD'))).toEqual(['1month', '3month', '12month']);
  });

  it('aggregates the months into calendar quarters and years', async () => {
    const btc = bundled('BTCUSD');
    const months = await btc.bars(MONTH, ...ALL_TIME);
    const [q1, q2] = await btc.bars({ unit: 'month', count: 3 }, ...ALL_TIME);
    const [january, february, march] = months;
    expect(q1).toEqual({
      time: ist('2012-01-01T00:00:00'),
      open: january!.open,
      high: max(max(january!.high, february!.high), march!.high),
      low: min(min(january!.low, february!.low), march!.low),
      close: march!.close,
      volume: add(add(january!.volume, february!.volume), march!.volume),
    });
    expect(q2?.time).toBe(ist('2012-04-01T00:00:00'));
    const years = await btc.bars({ unit: 'month', count: 12 }, ...ALL_TIME);
    expect(years.map((year) => year.time)).toEqual(Array.from({ length: 13 }, (_, i) => ist(`${2012 + i}-01-01T00:00:00`)));
    expect(years.at(-1)).toMatchObject({ open: months.at(-12)!.open, close: months.at(-1)!.close });
  });
});

describe('parseBars', () => {
  it('names the line of a bad row', () => {
    expect(() => parseBars(',Open,High,Low,Close,Volume\n2020-01-01,1,2,0.5,1.5,10\n2020-01-02,1,2,x,1.5,10\n', DAY)).toThrow(
      'the file line 3: not a number: x',
    );
    expect(() => parseBars('h\n2020-02-30,1,2,0.5,1.5,10\n', DAY)).toThrow('line 2: not a date or date-time: 2020-02-30');
    expect(() => parseBars('h\n2020-01-02,1,2,0.5,1.5,10\n2020-01-01,1,2,0.5,1.5,10\n', DAY)).toThrow('in time order');
  });

  it('skips blank lines and a Windows line end', () => {
    expect(parseBars('h\r\n2020-01-01 10:00:00,1,2,0.5,1.5,10\r\n\r\n', { unit: 'hour', count: 1 })).toEqual([
      bar('2020-01-01T10:00:00', '1', '2', '0.5', '1.5', '10'),
    ]);
  });
});
