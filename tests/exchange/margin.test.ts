import { describe, expect, it } from 'vitest';
import { dec, toString } from '../../src/domain/decimal.js';
import { DEFAULT_MARGIN_RATES, exposureMargin, positionMargin } from '../../src/exchange/margin.js';
import { equity, future, option } from './builders.js';

const rates = DEFAULT_MARGIN_RATES;

describe('margin', () => {
  it('equity: CNC the full value, MIS a fifth', () => {
    expect(toString(exposureMargin(rates, equity('SBIN'), 'CNC', 'BUY', dec(10), dec('800.05')))).toBe('8000.5');
    expect(toString(exposureMargin(rates, equity('SBIN'), 'MIS', 'SELL', dec(10), dec('800.05')))).toBe('1600.1');
  });

  it('futures: 10 % of notional whatever the product', () => {
    expect(toString(exposureMargin(rates, future('NIFTYFUT'), 'NRML', 'SELL', dec(65), dec('26000.1')))).toBe('169000.65');
  });

  it('options: buyers the premium, writers 10 % of strike × quantity', () => {
    const ce = option('NIFTYCE', '26000');
    expect(toString(exposureMargin(rates, ce, 'NRML', 'BUY', dec(65), dec('120.05')))).toBe('7803.25');
    expect(toString(exposureMargin(rates, ce, 'NRML', 'SELL', dec(65), dec('120.05')))).toBe('169000');
  });

  it('positions hold margin on their exact open cost', () => {
    // 3 shares bought at 100, 100 and 100.01: cost 300.01, not 3 × the rounded average
    expect(toString(positionMargin(rates, equity('SBIN'), 'MIS', dec(3), dec('300.01')))).toBe('60.002');
    expect(toString(positionMargin(rates, option('NIFTYCE', '26000'), 'NRML', dec(-65), dec('-7803.25')))).toBe('169000');
  });
});
