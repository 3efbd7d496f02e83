// Domain errors → OpenAlgo's `{"status":"error","message":…}` envelope and status code, in one place.
import { BrokerUnavailable, DomainError, type ErrorCode, OrderNotModifiable, StoreUnavailable } from '../../domain/errors.js';
import { wireStatus } from './mappers.js';
import { RATE_LIMITED_MESSAGE } from '../../gateway/rate-limits.js';

export interface ErrorReply {
  statusCode: number;
  body: { status: 'error'; message: string };
  /** Sent as `Retry-After` (whole seconds) when the error says when a retry may succeed. */
  retryAfterSeconds?: number;
}

const STATUS_OF: Record<ErrorCode, number> = {
  INVALID_ORDER: 400,
  INSUFFICIENT_FUNDS: 400,
  INSTRUMENT_NOT_FOUND: 400,
  ORDER_NOT_MODIFIABLE: 400,
  ORDER_NOT_FOUND: 404,
  GTT_NOT_FOUND: 404,
  OPTION_NOT_FOUND: 404,
  INVALID_OPTION_REQUEST: 400,
  PRICE_UNAVAILABLE: 404,
  DUPLICATE_CLIENT_ORDER_ID: 409,
  AUTH_EXPIRED: 403,
  RATE_LIMITED: 429,
  BROKER_UNAVAILABLE: 503,
  STORE_UNAVAILABLE: 503,
};

export const INVALID_API_KEY = 'Invalid openalgo apikey';

/** OpenAlgo's 429 body; `retry_after` in whole seconds. */
export function rateLimitedBody(retryAfterSeconds: number) {
  return { status: 'error' as const, message: RATE_LIMITED_MESSAGE, retry_after: retryAfterSeconds };
}

export function errorReply(statusCode: number, message: string): ErrorReply {
  return { statusCode, body: { status: 'error', message } };
}

/** The reply for a domain error, or undefined for anything else (which is a bug, answered 500 by the caller). */
export function domainErrorReply(error: unknown): ErrorReply | undefined {
  if (!(error instanceof DomainError)) return undefined;
  if (error instanceof OrderNotModifiable) {
    // OpenAlgo's words: "Cannot modify order in complete status".
    return errorReply(400, `Cannot ${error.action} order in ${wireStatus(error.status)} status`);
  }
  const reply = errorReply(STATUS_OF[error.code], error.message);
  if ((error instanceof BrokerUnavailable || error instanceof StoreUnavailable) && error.retryAfterSeconds !== undefined) {
    reply.retryAfterSeconds = Math.max(1, Math.ceil(error.retryAfterSeconds));
  }
  return reply;
}
