// An OpenAlgo upstream's error answers (`{status: 'error', message}`) as the domain's typed errors, the upstream's
// message kept. What says the upstream itself is failing (5xx, a timeout, an answer no OpenAlgo gives) is an
// UpstreamFailure, no DomainError, so the resilience layer counts it, retries reads and opens the circuit.
import {
  AuthExpired,
  InstrumentNotFound,
  InsufficientFunds,
  InvalidOrder,
  OrderNotFound,
  OrderNotModifiable,
  RateLimited,
} from '../../domain/errors.js';
import type { OrderStatus } from '../../domain/order.js';
import { UpstreamFailure } from './wire-values.js';

/** The call an error answered: its endpoint, and the order it was about (the upstream's id), if any. */
export interface FailedCall {
  endpoint: string;
  orderId?: string;
}

// OpenAlgo's and Ordergate's words for these refusals.
const INSUFFICIENT_FUNDS = /insufficient (funds|margin|balance)/i;
const UNKNOWN_SYMBOL = /^Symbol '(.+)' not found for exchange '([A-Z_]+)'/;
const NOT_MODIFIABLE = /^Cannot (modify|cancel) order (?:\S+ )?in (.+) status/i;

const STATUS_OF_WORD: Readonly<Record<string, OrderStatus>> = {
  open: 'open',
  complete: 'filled',
  cancelled: 'cancelled',
  rejected: 'rejected',
  'trigger pending': 'trigger_pending',
};

/** The error an upstream answer with this HTTP status and message stands for. */
export function upstreamError(httpStatus: number, message: string, call: FailedCall): Error {
  if (httpStatus === 400 || (httpStatus >= 200 && httpStatus < 300)) return refusal(message, call);
  if (httpStatus === 401 || httpStatus === 403) return new AuthExpired(message);
  if (httpStatus === 429) return new RateLimited(message);
  if (httpStatus === 404) {
    if (call.orderId !== undefined) return new OrderNotFound(call.orderId);
    const unknown = UNKNOWN_SYMBOL.exec(message);
    if (unknown) return new InstrumentNotFound(unknown[1] ?? '', unknown[2] ?? '');
  }
  if (httpStatus >= 500 || httpStatus === 404 || httpStatus === 408) {
    return new UpstreamFailure(`The upstream's ${call.endpoint} answered ${httpStatus}: ${message}`);
  }
  return new InvalidOrder(message);
}

/** A 400: the upstream refused what was asked. */
function refusal(message: string, call: FailedCall): Error {
  if (INSUFFICIENT_FUNDS.test(message)) return new InsufficientFunds(message);
  const unknown = UNKNOWN_SYMBOL.exec(message);
  if (unknown) return new InstrumentNotFound(unknown[1] ?? '', unknown[2] ?? '');
  const notModifiable = NOT_MODIFIABLE.exec(message);
  const status = STATUS_OF_WORD[(notModifiable?.[2] ?? '').toLowerCase()];
  if (notModifiable && status && call.orderId !== undefined) {
    return new OrderNotModifiable(call.orderId, notModifiable[1]?.toLowerCase() === 'modify' ? 'modify' : 'cancel', status);
  }
  return new InvalidOrder(message);
}
