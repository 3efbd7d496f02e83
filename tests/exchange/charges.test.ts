// The Indian charges of one executed order, line by line, worked out by hand from Zerodha's published rates.
import { describe, expect, it } from 'vitest';
import { type Decimal, add, dec, toString } from '../../src/domain/decimal.js';
import { type OrderCharges, chargeSegment, orderCharges } from '../../src/exchange/charges.js';

function lines(charges: OrderCharges): Record<string, string> {
  return Object.fromEntries(Object.entries(charges).map(([key, value]: [string, Decimal]) => [key, toString(value)]));
}

describe('orderCharges', () => {
  it('charges an intraday buy of 400 at ₹1,000 on NSE: ₹20 brokerage, stamp duty, no STT', () => {
    // value 4,00,000; brokerage min(0.03 % = 120, 20) = 20; exchange 0.00307 % = 12.28; SEBI ₹10/crore = 0.40;
    // stamp 0.003 % = 12.00; GST 18 % × (20 + 12.28 + 0.40 = 32.68) = 5.8824 → 5.88; total 50.56.
    expect(lines(orderCharges('equity_intraday', 'NSE', 'BUY', dec(400_000)))).toEqual({
      brokerage: '20',
      stt: '0',
      exchange: '12.28',
      sebi: '0.4',
      stamp: '12',
      gst: '5.88',
      total: '50.56',
    });
  });

  it('charges the intraday sell of the same 400 at ₹1,100: STT on the sell side, no stamp duty', () => {
    // value 4,40,000; STT 0.025 % = 110; exchange 13.508 → 13.51; SEBI 0.44; GST 18 % × 33.95 = 6.111 → 6.11.
    expect(lines(orderCharges('equity_intraday', 'NSE', 'SELL', dec(440_000)))).toEqual({
      brokerage: '20',
      stt: '110',
      exchange: '13.51',
      sebi: '0.44',
      stamp: '0',
      gst: '6.11',
      total: '150.06',
    });
  });

  it('gives the round trip the figure of Zerodha’s calculator method (buy 1,000, sell 1,100, 400 shares): ₹200.62', () => {
    // The calculator charges the round trip at once: brokerage 40, STT 110, exchange 0.00307 % of 8,40,000 = 25.788 →
    // 25.79, SEBI 0.84, GST 18 % × 66.63 = 11.9934 → 11.99, stamp 12: 200.62, the same as the two orders' 50.56 + 150.06.
    const buy = orderCharges('equity_intraday', 'NSE', 'BUY', dec(400_000)).total;
    const sell = orderCharges('equity_intraday', 'NSE', 'SELL', dec(440_000)).total;
    expect(toString(add(buy, sell))).toBe('200.62');
  });

  it('charges brokerage at 0.03 % when that is under ₹20, and rounds half a paisa up', () => {
    // 10 × 500 = 5,000: brokerage 1.50; exchange 0.1535 → 0.15; SEBI 0.005 → 0.01; stamp 0.15; GST 18 % × 1.66 = 0.2988 → 0.30.
    expect(lines(orderCharges('equity_intraday', 'NSE', 'BUY', dec(5_000)))).toEqual({
      brokerage: '1.5',
      stt: '0',
      exchange: '0.15',
      sebi: '0.01',
      stamp: '0.15',
      gst: '0.3',
      total: '2.11',
    });
  });

  it('charges delivery no brokerage, STT on both sides and BSE its own exchange rate', () => {
    // NSE buy 1,00,000: STT 100, exchange 3.07, SEBI 0.10, stamp 15, GST 18 % × 3.17 = 0.5706 → 0.57: 118.74.
    expect(toString(orderCharges('equity_delivery', 'NSE', 'BUY', dec(100_000)).total)).toBe('118.74');
    // BSE sell 1,10,000: STT 110, exchange 0.00375 % = 4.125 → 4.13, SEBI 0.11, GST 18 % × 4.24 = 0.7632 → 0.76: 115.00.
    expect(lines(orderCharges('equity_delivery', 'BSE', 'SELL', dec(110_000)))).toEqual({
      brokerage: '0',
      stt: '110',
      exchange: '4.13',
      sebi: '0.11',
      stamp: '0',
      gst: '0.76',
      total: '115',
    });
  });

  it('charges a NIFTY future lot (75 at 22,000) at the futures rates', () => {
    // 16,50,000: brokerage 20; exchange 0.00183 % = 30.195 → 30.20; SEBI 1.65; stamp 0.002 % = 33; GST 18 % × 51.85 =
    // 9.333 → 9.33: buy 94.18. The sell adds STT 0.05 % = 825 and no stamp: 886.18.
    expect(toString(orderCharges('futures', 'NSE', 'BUY', dec(1_650_000)).total)).toBe('94.18');
    expect(toString(orderCharges('futures', 'NSE', 'SELL', dec(1_650_000)).total)).toBe('886.18');
    expect(toString(orderCharges('futures', 'BSE', 'SELL', dec(1_650_000)).exchange)).toBe('0');
  });

  it('charges options a flat ₹20 and the rest on the premium', () => {
    // Buy 75 at 120 = 9,000: exchange 0.03553 % = 3.1977 → 3.20; SEBI 0.009 → 0.01; stamp 0.27; GST 18 % × 23.21 =
    // 4.1778 → 4.18: 27.66. Sell 75 at 150 = 11,250: STT 0.15 % = 16.875 → 16.88; exchange 3.997125 → 4.00; SEBI 0.01;
    // GST 18 % × 24.01 = 4.3218 → 4.32: 45.21.
    expect(toString(orderCharges('options', 'NSE', 'BUY', dec(9_000)).total)).toBe('27.66');
    expect(lines(orderCharges('options', 'NSE', 'SELL', dec(11_250)))).toEqual({
      brokerage: '20',
      stt: '16.88',
      exchange: '4',
      sebi: '0.01',
      stamp: '0',
      gst: '4.32',
      total: '45.21',
    });
  });

  it('names the segment from the kind and the product', () => {
    expect(chargeSegment('equity', 'CNC')).toBe('equity_delivery');
    expect(chargeSegment('equity', 'NRML')).toBe('equity_delivery');
    expect(chargeSegment('equity', 'MIS')).toBe('equity_intraday');
    expect(chargeSegment('future', 'MIS')).toBe('futures');
    expect(chargeSegment('option', 'NRML')).toBe('options');
  });
});
