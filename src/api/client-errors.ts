// Answers to what Node's HTTP parser refuses before a request reaches a route (malformed requests, headers over the
// size limit, requests not sent whole in time), in the envelope of the API the request aimed at. The connection then
// closes: after a parse error nothing tells where a next request would begin.
import { STATUS_CODES, type ServerResponse, maxHeaderSize } from 'node:http';
import type { Socket } from 'node:net';
import { errorBodyFor } from './error-envelope.js';

/** What Node passes to a server's 'clientError' listeners. */
interface ClientError extends Error {
  code?: string;
  /** llhttp's words for what it could not parse. */
  reason?: string;
  /** The bytes being parsed when the parser failed (a Buffer; absent for timeouts). */
  rawPacket?: unknown;
}

/** Node keeps the response under way on its socket there; no public API exposes it. */
interface HttpSocket extends Socket {
  _httpMessage?: ServerResponse | null;
}

/** The server's 'clientError' listener; `requestTimeoutMs` is the limit a 408 names. */
export function clientErrorHandler(requestTimeoutMs: number): (error: ClientError, socket: Socket) => void {
  return (error, socket) => {
    // Already answered: the parser may report the same broken stream again while the answer drains.
    if (socket.writableEnded) return;
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    // Node's own rule: once a response has begun on this socket, anything written now would corrupt it.
    const inFlight = (socket as HttpSocket)._httpMessage;
    if (inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const [status, message] = describe(error, requestTimeoutMs);
    // A request already routed (its body was late or broken) names its path; otherwise the request line may.
    const url = inFlight?.req.url ?? requestPath(error.rawPacket) ?? '/';
    const body = JSON.stringify(errorBodyFor(url, status, message));
    const head = `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n`;
    socket.end(`${head}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`, () => socket.destroy());
  };
}

function describe(error: ClientError, requestTimeoutMs: number): [status: number, message: string] {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, `The request did not arrive whole within ${requestTimeoutMs / 1000} s`];
  if (error.code === 'HPE_HEADER_OVERFLOW') return [431, `The request headers are larger than ${maxHeaderSize} bytes`];
  return [400, `The request is not valid HTTP: ${error.reason ?? error.message}`];
}

/** The path of the request line `raw` starts with, when it starts with one. */
function requestPath(raw: unknown): string | undefined {
  if (!Buffer.isBuffer(raw)) return undefined;
  return /^[A-Z]+ (\/[^\s?]*)/.exec(raw.toString('latin1', 0, 2048))?.[1];
}
