import { describe, expect, it } from 'vitest';
import { add, dec, div, isMultipleOf, mul, roundToStep, sub, toFixed, toString } from '../../src/domain/decimal.js';

describe('decimal', () => {
  it('adds 0.1 and 0.2 to exactly 0.3, unlike binary floating point', () => {
    expect(toString(add(dec(0.1), dec(0.2)))).toBe('0.3');
    expect(0.1 + 0.2).not.toBe(0.3);
  });

  it('parses strings, numbers and exponent notation exactly', () => {
    expect(toString(dec('100.05'))).toBe('100.05');
    expect(toString(dec(100.05))).toBe('100.05');
    expect(toString(dec('-0.00000001'))).toBe('-0.00000001');
    expect(toString(dec(1e-7))).toBe('0.0000001');
    expect(() => dec('1,5')).toThrow('not a decimal');
    expect(() => dec(Number.NaN)).toThrow('not a finite number');
  });

  it('multiplies exactly and rounds quotients half-even to 8 digits', () => {
    expect(toString(mul(dec('100.05'), dec(30)))).toBe('3001.5');
    expect(toString(div(dec(1), dec(3)))).toBe('0.33333333');
    expect(toString(div(dec(2), dec(3)))).toBe('0.66666667');
    expect(toString(div(dec('0.00000005'), dec(2)))).toBe('0.00000002');
    expect(toString(div(dec('0.00000015'), dec(2)))).toBe('0.00000008');
  });

  it('rounds to tick steps and checks lot multiples', () => {
    expect(toString(roundToStep(dec('100.03'), dec('0.05')))).toBe('100.05');
    expect(toString(roundToStep(dec('100.02'), dec('0.05')))).toBe('100');
    expect(toString(roundToStep(dec('100.03'), dec('0.05'), 'down'))).toBe('100');
    expect(toString(roundToStep(dec('-100.03'), dec('0.05'), 'down'))).toBe('-100.05');
    expect(isMultipleOf(dec(150), dec(75))).toBe(true);
    expect(isMultipleOf(dec(30), dec(75))).toBe(false);
    expect(isMultipleOf(dec('0.003'), dec('0.001'))).toBe(true);
  });

  it('formats fixed digits for display, rounding half-even', () => {
    expect(toFixed(dec('1.005'), 2)).toBe('1.00');
    expect(toFixed(dec('1.015'), 2)).toBe('1.02');
    expect(toFixed(dec('-2.5'), 2)).toBe('-2.50');
    expect(toFixed(sub(dec(10000000), dec('0.01')), 2)).toBe('9999999.99');
  });
});
