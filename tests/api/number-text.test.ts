// The number grammars of number-text.ts: Python's float() and int() of a str, case by case as CPython 3.11 answers
// them (None where it raises ValueError).
import { describe, expect, it } from 'vitest';
import { pythonFloat, pythonInt } from '../../src/api/number-text.js';

describe('pythonFloat, as float(text)', () => {
  it.each([
    [' 5', 5],
    ['+5', 5],
    ['1e3', 1000],
    ['1E3', 1000],
    ['-.5e-3', -0.0005],
    ['5.', 5],
    ['1_000', 1000],
    ['1.5_0', 1.5],
    ['1e1_0', 1e10],
    ['0010', 10],
    ['\u00a05\u3000', 5],
    ['5\x85', 5],
    ['١٢', 12],
    ['１２', 12],
    ['𝟏𝟐', 12],
    ['iNfInItY', Infinity],
    ['-inf', -Infinity],
    ['1e400', Infinity],
  ])('reads %j as %d', (text, value) => {
    expect(pythonFloat(text)).toBe(value);
  });

  it('reads "nan" as NaN', () => {
    expect(pythonFloat(' NaN ')).toBeNaN();
  });

  it.each(['0x10', '0o17', '0b11', '', ' ', '1 2', '1__000', '_1', '1_', '1_.5', '1._5', '1e_10', '- 5', '+-5', 'e3', '1e', '\ufeff5', '\x1c5', 'five'])(
    'refuses %j',
    (text) => {
      expect(pythonFloat(text)).toBeUndefined();
    },
  );
});

describe('pythonInt, as int(text)', () => {
  it.each([
    [' +1_0 ', 10],
    ['-7', -7],
    ['007', 7],
    ['١٢', 12],
  ])('reads %j as %d', (text, value) => {
    expect(pythonInt(text)).toBe(value);
  });

  it.each(['1e3', '5.0', '.5', 'inf', 'nan', '0x10', '1__0', ''])('refuses %j', (text) => {
    expect(pythonInt(text)).toBeUndefined();
  });
});
