// The error envelope of the API a request path aims at: the native API's (/api/admin, /api/auth, /api/backtest) carries a code;
// every other path, the OpenAlgo dialect's included, answers `{"status":"error","message":…}`.
import { adminErrorBody, codeOfStatus } from './admin/errors.js';

/** Paths of the native API (logins and management), whose errors carry a code. */
export function isNative(url: string): boolean {
  return /^\/api\/(admin|auth|backtest)(\/|$|\?)/.test(url);
}

/** The error body a request to `url` gets; a native one is coded after the HTTP status. */
export function errorBodyFor(url: string, status: number, message: string) {
  return isNative(url) ? adminErrorBody(codeOfStatus(status), message) : { status: 'error' as const, message };
}
