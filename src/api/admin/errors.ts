// The native API's error envelope, `{"status":"error","code":…,"message":…}`, and the error its routes throw.
import { Type } from 'typebox';

export type AdminErrorCode =
  | 'invalid_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'request_timeout'
  | 'conflict'
  | 'unprocessable'
  | 'headers_too_large'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

const STATUS_OF: Record<AdminErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  conflict: 409,
  unprocessable: 422,
  headers_too_large: 431,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

/** Thrown by native routes; the plugin's error handler renders it. */
export class AdminError extends Error {
  readonly statusCode: number;

  constructor(
    readonly code: AdminErrorCode,
    message: string,
  ) {
    super(message);
    this.statusCode = STATUS_OF[code];
  }
}

export function adminErrorBody(code: AdminErrorCode, message: string) {
  return { status: 'error' as const, code, message };
}

export function codeOfStatus(statusCode: number): AdminErrorCode {
  const found = (Object.entries(STATUS_OF) as Array<[AdminErrorCode, number]>).find(([, status]) => status === statusCode);
  return found?.[0] ?? (statusCode >= 500 ? 'internal' : 'invalid_request');
}

export const AdminErrorResponse = Type.Object(
  {
    status: Type.Literal('error'),
    code: Type.String({ description: 'Stable machine-readable code: invalid_request, unauthorized, forbidden, not_found, method_not_allowed, request_timeout, conflict, unprocessable, headers_too_large, rate_limited, unavailable, internal' }),
    message: Type.String({ description: 'What went wrong, for a person' }),
    retry_after: Type.Optional(Type.Integer({ description: 'Seconds to wait before retrying (429)' })),
  },
  { $id: 'AdminError' },
);

/** The error answers every authenticated native route may give. */
export const AUTHENTICATED_ERRORS = {
  400: AdminErrorResponse,
  401: AdminErrorResponse,
  403: AdminErrorResponse,
  429: AdminErrorResponse,
};
