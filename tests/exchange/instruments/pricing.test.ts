import { describe, expect, it } from 'vitest';
import { dec, toString } from '../../../src/domain/decimal.js';
import { futureReferencePrice, optionReferencePrice } from '../../../src/exchange/instruments/pricing.js';

describe('futureReferencePrice', () => {
  it('carries spot at 6.5% a year for the days left, rounded to the tick', () => {
    // 26000 × (1 + 0.065 × 35 / 365) = 26162.0548…
    expect(toString(futureReferencePrice(dec(26000), 35, dec('0.1')))).toBe('26162.1');
    expect(toString(futureReferencePrice(dec(26000), 35, dec('0.05')))).toBe('26162.05');
  });

  it('is the spot on expiry day', () => {
    expect(toString(futureReferencePrice(dec('960'), 0, dec('0.05')))).toBe('960');
  });

  it('takes another carry rate when given', () => {
    // 88.5 × (1 + 0.025 × 2 / 365) = 88.51212…, nearest 0.0025
    expect(toString(futureReferencePrice(dec('88.5'), 2, dec('0.0025'), 0.025))).toBe('88.5125');
  });
});

describe('optionReferencePrice', () => {
  it('rounds the premium to the nearest tick', () => {
    // The textbook call is 10.4506 → 10.45
    expect(toString(optionReferencePrice(dec(100), dec(100), 365, 0.2, 'CE', dec('0.05'), 0.05))).toBe('10.45');
  });

  it('floors a worthless option at one tick', () => {
    expect(toString(optionReferencePrice(dec(26000), dec(30000), 7, 0.14, 'CE', dec('0.05')))).toBe('0.05');
  });

  it('prices an option on its expiry day as if one day were left', () => {
    const onExpiryDay = optionReferencePrice(dec(26000), dec(26000), 0, 0.14, 'CE', dec('0.05'));
    const dayBefore = optionReferencePrice(dec(26000), dec(26000), 1, 0.14, 'CE', dec('0.05'));
    expect(onExpiryDay).toBe(dayBefore);
    expect(onExpiryDay > dec(50)).toBe(true);
  });
});
