// Request ids: the client's X-Request-Id when it is a sane token, a fresh UUID otherwise; echoed on every response.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

// Bounded and free of spaces, quotes and control characters, so a client's id is safe in a log line and a header.
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Fastify's `genReqId`: the id a request is logged and answered under. */
export function requestIdOf(request: IncomingMessage): string {
  const offered = request.headers[REQUEST_ID_HEADER];
  return typeof offered === 'string' && SANE_ID.test(offered) ? offered : randomUUID();
}
