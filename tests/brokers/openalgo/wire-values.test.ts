// The scalars of OpenAlgo's wire: numbers as numbers or text, request bodies with exact decimals, IST timestamps.
import { describe, expect, it } from 'vitest';
import { UpstreamFailure, decimalOf, encodeBody, istInstant } from '../../../src/brokers/openalgo/wire-values.js';
import { dec } from '../../../src/domain/decimal.js';

describe('decimalOf', () => {
  it('reads JSON numbers by their shortest text and numeric text as written', () => {
    expect(decimalOf(960.05, 'price')).toBe(dec('960.05'));
    expect(decimalOf('100000.00', 'availablecash')).toBe(dec(100000));
    expect(decimalOf(-12.5, 'pnl')).toBe(dec('-12.5'));
  });

  it('takes an absent or empty value as 0', () => {
    expect(decimalOf(undefined, 'oi')).toBe(dec(0));
    expect(decimalOf('', 'oi')).toBe(dec(0));
  });

  it('refuses text that is no number, naming the field', () => {
    expect(() => decimalOf('1e3', 'quantity')).toThrow(new UpstreamFailure('The upstream sent quantity "1e3", not a number'));
  });
});

describe('encodeBody', () => {
  it('writes decimals digit for digit, as JSON numbers', () => {
    expect(encodeBody({ apikey: 'k', symbol: 'SBIN', quantity: dec(10), price: dec('960.05'), trigger_price: dec('0.1') })).toBe(
      '{"apikey":"k","symbol":"SBIN","quantity":10,"price":960.05,"trigger_price":0.1}',
    );
  });

  it('keeps every digit of a decimal a double would round', () => {
    const body = encodeBody({ quantity: dec('0.12345678'), price: dec('123456789012.5') });
    expect(body).toBe('{"quantity":0.12345678,"price":123456789012.5}');
  });
});

describe('istInstant', () => {
  const at = Date.UTC(2026, 0, 7, 4, 30, 15); // 10:00:15 IST

  it("reads Ordergate's and OpenAlgo's sandbox `YYYY-MM-DD HH:MM:SS` as IST", () => {
    expect(istInstant('2026-01-07 10:00:15')).toBe(at);
  });

  it('reads the day-first, time-first and month-name formats brokers pass through', () => {
    expect(istInstant('07-01-2026 10:00:15')).toBe(at);
    expect(istInstant('10:00:15 07-01-2026')).toBe(at);
    expect(istInstant('07-Jan-2026 10:00:15')).toBe(at);
  });

  it('takes a time with its own zone as it says', () => {
    expect(istInstant('2026-01-07T04:30:15Z')).toBe(at);
  });

  it('is undefined for no timestamp, a format not known here, or a day that does not exist', () => {
    expect(istInstant(undefined)).toBeUndefined();
    expect(istInstant('')).toBeUndefined();
    expect(istInstant('yesterday')).toBeUndefined();
    expect(istInstant('2026-02-30 10:00:00')).toBeUndefined();
  });
});
