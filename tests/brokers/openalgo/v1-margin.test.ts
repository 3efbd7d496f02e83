// A basket's margin through an OpenAlgo upstream: the legs as its /margin positions, its answer as the neutral figures.
import { describe, expect, it } from 'vitest';
import { basketMarginOf, marginPosition } from '../../../src/brokers/openalgo/v1-margin.js';
import { UpstreamFailure, encodeBody } from '../../../src/brokers/openalgo/wire-values.js';
import { dec } from '../../../src/domain/decimal.js';

describe('margin through an OpenAlgo upstream', () => {
  it('sends each leg as a position: quantity and prices as text, the limit and trigger only where the type has them', () => {
    const legs = [
      { symbol: 'SBIN', exchange: 'NSE', side: 'BUY', quantity: dec(10), product: 'CNC', type: 'LIMIT', limitPrice: dec('799.5') },
      { symbol: 'SBIN', exchange: 'NSE', side: 'SELL', quantity: dec(5), product: 'MIS', type: 'STOP', stopPrice: dec('790') },
    ] as const;
    expect(encodeBody({ positions: legs.map(marginPosition) })).toBe(
      '{"positions":[' +
        '{"symbol":"SBIN","exchange":"NSE","action":"BUY","quantity":"10","product":"CNC","pricetype":"LIMIT","price":"799.5","trigger_price":"0"},' +
        '{"symbol":"SBIN","exchange":"NSE","action":"SELL","quantity":"5","product":"MIS","pricetype":"SL-M","price":"0","trigger_price":"790"}]}',
    );
  });

  it("reads a broker's figures without a benefit or a currency as rupees, the benefit unknown", () => {
    expect(basketMarginOf({ total_margin_required: 91555.7625, span_margin: 0, exposure_margin: '91555.76' })).toEqual({
      currency: 'INR',
      total: dec('91555.7625'),
      span: dec(0),
      exposure: dec('91555.76'),
    });
  });

  it("reads an Ordergate upstream's benefit and currency, and refuses a currency it does not know", () => {
    const figures = { total_margin_required: 100, span_margin: 60, exposure_margin: 40, margin_benefit: 25.5 };
    expect(basketMarginOf({ ...figures, currency: 'USD' })).toEqual({
      currency: 'USD',
      total: dec(100),
      span: dec(60),
      exposure: dec(40),
      benefit: dec('25.5'),
    });
    expect(() => basketMarginOf({ ...figures, currency: 'EUR' })).toThrow(UpstreamFailure);
  });
});
