import { describe, expect, it } from 'vitest';
import { dec, toString } from '../../src/domain/decimal.js';
import { limitCrossed, stopTriggered, sweep, withinLimit } from '../../src/exchange/matching.js';

const levels = (...pairs: [string, number][]) => pairs.map(([price, quantity]) => ({ price: dec(price), quantity: dec(quantity) }));
const asText = (r: ReturnType<typeof sweep>) => ({
  executions: r.executions.map((e) => `${toString(e.quantity)}@${toString(e.price)}`),
  filled: toString(r.filled),
  remaining: toString(r.remaining),
});

describe('sweep', () => {
  const asks = levels(['100.05', 100], ['100.10', 200], ['100.15', 300]);

  it('a buy takes the best levels first, one execution per level', () => {
    expect(asText(sweep('BUY', dec(250), asks))).toEqual({ executions: ['100@100.05', '150@100.1'], filled: '250', remaining: '0' });
  });

  it('stops at the limit price and reports what remains', () => {
    expect(asText(sweep('BUY', dec(500), asks, dec('100.10')))).toEqual({
      executions: ['100@100.05', '200@100.1'],
      filled: '300',
      remaining: '200',
    });
  });

  it('a sell walks bids downwards and respects its limit from below', () => {
    const bids = levels(['99.95', 50], ['99.90', 50]);
    expect(asText(sweep('SELL', dec(80), bids, dec('99.90')))).toEqual({ executions: ['50@99.95', '30@99.9'], filled: '80', remaining: '0' });
    expect(asText(sweep('SELL', dec(80), bids, dec('99.95')))).toEqual({ executions: ['50@99.95'], filled: '50', remaining: '30' });
  });

  it('an empty book fills nothing', () => {
    expect(asText(sweep('BUY', dec(1), []))).toEqual({ executions: [], filled: '0', remaining: '1' });
  });
});

describe('crossing rules', () => {
  it('limits accept equal or better prices only', () => {
    expect(withinLimit('BUY', dec('100'), dec('100'))).toBe(true);
    expect(withinLimit('BUY', dec('100.05'), dec('100'))).toBe(false);
    expect(withinLimit('SELL', dec('99.95'), dec('100'))).toBe(false);
  });

  it('a resting buy limit is crossed when the ask reaches it; a sell when the bid does', () => {
    expect(limitCrossed('BUY', dec('99'), dec('98.95'), dec('99'))).toBe(true);
    expect(limitCrossed('BUY', dec('99'), dec('98.95'), dec('99.05'))).toBe(false);
    expect(limitCrossed('SELL', dec('101'), dec('101'), dec('101.05'))).toBe(true);
    expect(limitCrossed('SELL', dec('101'), dec('100.95'), dec('101.05'))).toBe(false);
  });

  it('a buy stop triggers at or above its trigger, a sell stop at or below', () => {
    expect(stopTriggered('BUY', dec('101'), dec('101'))).toBe(true);
    expect(stopTriggered('BUY', dec('101'), dec('100.95'))).toBe(false);
    expect(stopTriggered('SELL', dec('99'), dec('99'))).toBe(true);
    expect(stopTriggered('SELL', dec('99'), dec('99.05'))).toBe(false);
  });
});
