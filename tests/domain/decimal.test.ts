import { describe, expect, it } from 'vitest';
import {
  type Decimal,
  add,
  TooPrecise,
  dec,
  div,
  exactDec,
  isMultipleOf,
  mul,
  roundToStep,
  sub,
  toFixed,
  toNumber,
  toReadable,
  toRoundedNumber,
  toString,
} from '../../src/domain/decimal.js';
import { seededRandom } from '../../src/domain/seeded-random.js';

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
    // Whole factors on either side and of either sign (the exact path), then products that must round half-even.
    expect(toString(mul(dec(-3), dec('960.05')))).toBe('-2880.15');
    expect(toString(mul(dec('-0.00000001'), dec(-7)))).toBe('0.00000007');
    expect(toString(mul(dec('0.5'), dec('0.00000001')))).toBe('0');
    expect(toString(mul(dec('1.5'), dec('0.00000001')))).toBe('0.00000002');
    expect(toString(mul(dec('-1.5'), dec('0.00000001')))).toBe('-0.00000002');
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

  it('shows a decimal in a message as it is up to 15 whole digits, beyond in exponent form with six digits', () => {
    expect(toReadable(dec('960.05'))).toBe('960.05');
    expect(toReadable(dec('199.735'), 2)).toBe('199.74');
    expect(toReadable(dec('999999999999999.5'))).toBe('999999999999999.5');
    expect(toReadable(dec('1000000000000000'))).toBe('1.00000e+15');
    expect(toReadable(dec(1e300))).toBe('1.00000e+300');
    expect(toReadable(dec('-123456789012345678.9'), 2)).toBe('-1.23456e+17');
  });

  it('parses whole JS numbers exactly, up to and past the safe range and from 1e21 up (exponent text)', () => {
    for (const value of [0, -0, 1, -1, 75, 1_000_000, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 2 ** 53, 1e21, -3e22]) {
      const text = BigInt(value).toString();
      expect(toString(dec(value))).toBe(toString(dec(text)));
    }
  });

  it('gives JSON numbers equal to parsing the exact text, on both sides of 2^53 units', () => {
    const random = seededRandom(7);
    const safe = BigInt(Number.MAX_SAFE_INTEGER);
    const values: bigint[] = [0n, 1n, -1n, 5n, 12_345_678n, 96_005_000_000n, safe, -safe, safe + 1n, -(safe + 1n), safe * 1000n + 7n];
    for (let i = 0; i < 20_000; i++) {
      const digits = 1 + Math.floor(random() * 18);
      const units = BigInt(Math.floor(random() * 10 ** Math.min(digits, 15))) * 10n ** BigInt(Math.max(0, digits - 15));
      values.push(random() < 0.5 ? units : -units);
    }
    for (const units of values) {
      const value = units as Decimal;
      expect(toNumber(value)).toBe(Number(toString(value)));
      for (let digits = 0; digits <= 8; digits++) {
        expect(toRoundedNumber(value, digits)).toBe(Number(toFixed(value, digits)));
      }
    }
    expect([toNumber(dec('960.05')), toNumber(dec('0.1')), toNumber(dec('-0.3')), toNumber(dec('90071992.54740991'))]).toEqual([
      960.05, 0.1, -0.3, 90071992.54740991,
    ]);
    expect([toRoundedNumber(dec('0.125'), 2), toRoundedNumber(dec('0.135'), 2), toRoundedNumber(dec('-2.5'), 0)]).toEqual([0.12, 0.14, -2]);
  });
});

describe('exactDec', () => {
  it('takes up to 8 decimal places, and trailing zeros beyond them', () => {
    expect(exactDec('960.05')).toBe(dec('960.05'));
    expect(exactDec(960.05)).toBe(dec('960.05'));
    expect(exactDec('0.00000001')).toBe(1n);
    expect(exactDec('960.050000000000')).toBe(dec('960.05'));
    expect(exactDec(1.5e-7)).toBe(15n);
  });

  it('takes a number within floating-point noise of an 8-decimal value as that value', () => {
    expect(exactDec(0.1 + 0.2)).toBe(dec('0.3'));
    expect(exactDec(961.5500000000001)).toBe(dec('961.55'));
    expect(exactDec(Math.round(961.53 / 0.05) * 0.05)).toBe(dec('961.55'));
    expect(exactDec(-0.30000000000000004)).toBe(dec('-0.3'));
    expect(() => exactDec('961.5500000000001')).toThrow(TooPrecise);
  });

  it('refuses non-zero digits beyond the 8th place instead of rounding them', () => {
    expect(() => exactDec(960.050000001)).toThrow(TooPrecise);
    expect(() => exactDec('0.000000005')).toThrow('0.000000005 has more than 8 decimal places');
    expect(() => exactDec(1e-9)).toThrow(TooPrecise);
    expect(dec('0.000000005')).toBe(0n);
  });
});
