// An upstream's error answers as the domain's typed errors, the upstream's words kept; its failures as no DomainError.
import { describe, expect, it } from 'vitest';
import { upstreamError } from '../../../src/brokers/openalgo/v1-errors.js';
import { UpstreamFailure } from '../../../src/brokers/openalgo/wire-values.js';
import {
  AuthExpired,
  DomainError,
  InstrumentNotFound,
  InsufficientFunds,
  InvalidOrder,
  OrderNotFound,
  OrderNotModifiable,
  RateLimited,
} from '../../../src/domain/errors.js';

const ORDER_CALL = { endpoint: 'cancelorder', orderId: '26010700000001' };

describe('upstreamError', () => {
  it('makes a 400 an InvalidOrder with the upstream message', () => {
    expect(upstreamError(400, 'Quantity 76 is not a multiple of the lot size 75', { endpoint: 'placeorder' })).toEqual(
      new InvalidOrder('Quantity 76 is not a multiple of the lot size 75'),
    );
  });

  it('makes a 400 that says funds are short InsufficientFunds', () => {
    const error = upstreamError(400, 'Insufficient funds. Required: ₹31,001.00, Available: ₹100.00', { endpoint: 'placeorder' });
    expect(error).toEqual(new InsufficientFunds('Insufficient funds. Required: ₹31,001.00, Available: ₹100.00'));
  });

  it("makes OpenAlgo's unknown-symbol words InstrumentNotFound", () => {
    const message = "Symbol 'NOPE' not found for exchange 'NSE'. Please verify the symbol name and ensure master contracts are downloaded.";
    const error = upstreamError(400, message, { endpoint: 'quotes' });
    expect(error).toBeInstanceOf(InstrumentNotFound);
    expect(error.message).toBe(message);
  });

  it('makes "Cannot cancel order in cancelled status" OrderNotModifiable for the order the call was about', () => {
    const error = upstreamError(400, 'Cannot cancel order in cancelled status', ORDER_CALL);
    expect(error).toBeInstanceOf(OrderNotModifiable);
    expect(error).toMatchObject({ orderId: '26010700000001', action: 'cancel', status: 'cancelled' });
    expect(upstreamError(400, 'Cannot modify order 123 in complete status', ORDER_CALL)).toMatchObject({ action: 'modify', status: 'filled' });
  });

  it('makes a 404 about an order OrderNotFound', () => {
    expect(upstreamError(404, 'Order 26010700000001 not found', ORDER_CALL)).toEqual(new OrderNotFound('26010700000001'));
  });

  it('makes 401 and 403 AuthExpired, and 429 RateLimited', () => {
    expect(upstreamError(403, 'Invalid openalgo apikey', { endpoint: 'funds' })).toEqual(new AuthExpired('Invalid openalgo apikey'));
    expect(upstreamError(401, 'API key required', { endpoint: 'funds' })).toBeInstanceOf(AuthExpired);
    expect(upstreamError(429, 'Rate limit exceeded. Please slow down your requests.', { endpoint: 'funds' })).toEqual(
      new RateLimited('Rate limit exceeded. Please slow down your requests.'),
    );
  });

  it('makes a 5xx, a 408 and a 404 about no order an UpstreamFailure, which is no DomainError', () => {
    for (const status of [500, 502, 503, 408]) {
      const error = upstreamError(status, 'Broker paper failed to answer', { endpoint: 'funds' });
      expect(error).toEqual(new UpstreamFailure(`The upstream's funds answered ${status}: Broker paper failed to answer`));
      expect(error).not.toBeInstanceOf(DomainError);
    }
    expect(upstreamError(404, 'Not found', { endpoint: 'intervals' })).toBeInstanceOf(UpstreamFailure);
  });
});
