// The domain's error vocabulary: every failure a user can cause or meet has a stable code; dialects map codes to envelopes.
import type { OrderStatus } from './order.js';

export type ErrorCode =
  | 'INVALID_ORDER'
  | 'INSUFFICIENT_FUNDS'
  | 'ORDER_NOT_FOUND'
  | 'ORDER_NOT_MODIFIABLE'
  | 'DUPLICATE_CLIENT_ORDER_ID'
  | 'INSTRUMENT_NOT_FOUND'
  | 'BROKER_UNAVAILABLE'
  | 'STORE_UNAVAILABLE'
  | 'RATE_LIMITED'
  | 'AUTH_EXPIRED'
  | 'GTT_NOT_FOUND'
  | 'OPTION_NOT_FOUND'
  | 'INVALID_OPTION_REQUEST'
  | 'PRICE_UNAVAILABLE';

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The order breaks a rule of the instrument or the exchange (lot, tick, freeze, price fields, session). */
export class InvalidOrder extends DomainError {
  constructor(message: string) {
    super('INVALID_ORDER', message);
  }
}

export class InsufficientFunds extends DomainError {
  constructor(message: string) {
    super('INSUFFICIENT_FUNDS', message);
  }
}

export class OrderNotFound extends DomainError {
  constructor(readonly orderId: string) {
    super('ORDER_NOT_FOUND', `Order ${orderId} not found`);
  }
}

/** The order exists but its state forbids the change (modify or cancel of a terminal order). */
export class OrderNotModifiable extends DomainError {
  constructor(
    readonly orderId: string,
    readonly action: 'modify' | 'cancel',
    readonly status: OrderStatus,
  ) {
    super('ORDER_NOT_MODIFIABLE', `Cannot ${action} order ${orderId} in ${status} status`);
  }
}

/** A client order id names an earlier order of the account that asked for something else. */
export class DuplicateClientOrderId extends DomainError {
  constructor(
    readonly clientOrderId: string,
    readonly orderId: string,
  ) {
    super('DUPLICATE_CLIENT_ORDER_ID', `Client order id ${clientOrderId} was already used for a different order (${orderId})`);
  }
}

/** No active GTT of the account has that id (never placed, or already triggered, cancelled or expired). */
export class GttNotFound extends DomainError {
  constructor(readonly gttId: string) {
    // OpenAlgo's words (its sandbox GTT manager).
    super('GTT_NOT_FOUND', `No active GTT with trigger_id '${gttId}'`);
  }
}

/** No option contract answers the request: no strikes for that expiry, the resolved symbol is not listed, or the
 * underlying has no price reference (an MCX or CDS product without an unexpired future). */
export class OptionNotFound extends DomainError {
  constructor(message: string) {
    super('OPTION_NOT_FOUND', message);
  }
}

/** An option request that cannot be resolved as asked: no expiry, an offset beyond the strike ladder, an unpriced underlying. */
export class InvalidOptionRequest extends DomainError {
  constructor(message: string) {
    super('INVALID_OPTION_REQUEST', message);
  }
}

/** An instrument has no last price to compute from (it has not traded), e.g. an option's or its underlying's. */
export class PriceUnavailable extends DomainError {
  constructor(message: string) {
    super('PRICE_UNAVAILABLE', message);
  }
}

export class InstrumentNotFound extends DomainError {
  constructor(symbol: string, exchange: string) {
    // OpenAlgo's words, from its symbol check before any quote, history or order call.
    super(
      'INSTRUMENT_NOT_FOUND',
      `Symbol '${symbol}' not found for exchange '${exchange}'. Please verify the symbol name and ensure master contracts are downloaded.`,
    );
  }
}

/** The broker cannot be reached, or is shielded by an open circuit; worth retrying after `retryAfterSeconds` if given. */
export class BrokerUnavailable extends DomainError {
  constructor(
    message: string,
    /** Whole seconds (at least 1) after which a retry may succeed; dialects send it as `Retry-After`. */
    readonly retryAfterSeconds?: number,
  ) {
    super('BROKER_UNAVAILABLE', message);
  }
}

/** The database does not answer (its server is down, a connection was cut, the disk is full); retry shortly. */
export class StoreUnavailable extends DomainError {
  readonly retryAfterSeconds = 1;

  constructor(message = 'The database is unavailable; retry shortly') {
    super('STORE_UNAVAILABLE', message);
  }
}

export class RateLimited extends DomainError {
  constructor(message: string) {
    super('RATE_LIMITED', message);
  }
}

export class AuthExpired extends DomainError {
  constructor(message: string) {
    super('AUTH_EXPIRED', message);
  }
}
