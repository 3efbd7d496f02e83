// A database that does not answer is the store's condition, not a bug: its errors (a connection cut or refused, the
// server shutting down, SQLite's lock held too long or its disk full) reach callers as StoreUnavailable, which every
// dialect answers 503 with Retry-After, while other errors (a broken constraint, a bug) pass unchanged.
import { StoreUnavailable } from '../domain/errors.js';

/** PostgreSQL's SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, terminated). */
const POSTGRES_UNAVAILABLE = /^(08|57P)/;
const SQLITE_UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|READONLY|CANTOPEN)/;
const NODE_NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND']);
/** What `pg` says when a connection died under a query or none could be had (no SQLSTATE on these). */
const PG_CLIENT_MESSAGES = /Connection terminated|connection error|not queryable|timeout exceeded when trying to connect|Client was closed/i;

export function isStoreUnavailable(error: unknown): boolean {
  if (error instanceof StoreUnavailable) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (POSTGRES_UNAVAILABLE.test(code) || SQLITE_UNAVAILABLE.test(code) || NODE_NETWORK.has(code)) return true;
  }
  return PG_CLIENT_MESSAGES.test(error.message);
}

/** `error` as callers should see it: StoreUnavailable when the database does not answer, unchanged otherwise. */
export function asStoreError(error: unknown): unknown {
  return isStoreUnavailable(error) && !(error instanceof StoreUnavailable) ? new StoreUnavailable() : error;
}

/**
 * The repository with every promise it returns translated by `asStoreError`. Methods returning anything else (an
 * async iterable) are passed through as they are.
 */
export function guarded<T extends object>(repository: T): T {
  return new Proxy(repository, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        return result instanceof Promise ? result.catch((error: unknown) => Promise.reject(asStoreError(error))) : result;
      };
    },
  });
}
