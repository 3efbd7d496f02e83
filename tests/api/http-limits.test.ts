// What a client meets below the routes, over raw sockets: how slowly a request may arrive, and the answers to
// requests Node's HTTP parser refuses, each in the envelope of the API the request aimed at.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startGateway } from './harness.js';

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** The server closed the connection after answering. */
  closed: boolean;
}

/** Sends `text` at once and reads until the server closes the connection (or gives up after `waitMs`). */
function exchange(url: string, text: string, waitMs = 3000): Promise<RawAnswer> {
  return new Promise<RawAnswer>((resolve, reject) => {
    const socket = net.connect(Number(new URL(url).port), '127.0.0.1');
    let received = '';
    let gaveUp = false;
    const giveUp = setTimeout(() => {
      gaveUp = true;
      socket.destroy();
    }, waitMs);
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(giveUp);
      try {
        resolve(parseAnswer(received, !gaveUp));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    socket.write(text, 'latin1');
  });
}

/**
 * Sends `head` at once, then `tail` one byte every 200 ms, never finishing; resolves with what the server answered
 * once it closes the connection.
 */
function dribble(url: string, head: string, tail: string): Promise<RawAnswer> {
  return new Promise<RawAnswer>((resolve, reject) => {
    const socket = net.connect(Number(new URL(url).port), '127.0.0.1');
    let received = '';
    let next = 0;
    const drip = setInterval(() => {
      if (received === '' && next < tail.length) socket.write(tail[next++]!, 'latin1');
    }, 200);
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(drip);
      try {
        resolve(parseAnswer(received, true));
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    socket.write(head, 'latin1');
  });
}

function parseAnswer(text: string, closed: boolean): RawAnswer {
  const split = text.indexOf('\r\n\r\n');
  if (split < 0) throw new Error(`no HTTP answer, only ${JSON.stringify(text)}`);
  const [statusLine = '', ...lines] = text.slice(0, split).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const raw = text.slice(split + 4);
  return { status: Number(statusLine.split(' ')[1]), headers, body: raw === '' ? raw : JSON.parse(raw), closed };
}

/** Headers that never end: a request line, then a header whose value grows a byte at a time. */
const SLOW_HEADERS = `X-Slow: ${'a'.repeat(500)}`;
/** A body that never completes: the client announces 1000 bytes and sends them a byte at a time. */
const SLOW_BODY = `{"apikey":"${'a'.repeat(990)}`;

describe('a request must arrive whole within ORDERGATE_REQUEST_TIMEOUT_MS (here 1 s, checked every second)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startGateway({ env: { ORDERGATE_REQUEST_TIMEOUT_MS: '1000', WEBSOCKET_PORT: '0' } });
  });
  afterAll(() => h.close());

  /** A 408 in the v1 envelope, after which the gateway closed the connection. */
  const TIMED_OUT_V1 = {
    status: 408,
    headers: expect.objectContaining({ connection: 'close', 'content-type': 'application/json; charset=utf-8' }),
    body: { status: 'error', message: 'The request did not arrive whole within 1 s' },
    closed: true,
  };

  // Node's defaults (60 s for headers, checked every 30 s) would hold these connections far past the test's 8 s.
  it('headers arriving a byte every 200 ms are cut with a 408 in the v1 envelope', { timeout: 8000 }, async () => {
    const answer = await dribble(h.url, 'GET /api/v1/ping HTTP/1.1\r\nHost: gateway\r\n', SLOW_HEADERS);
    expect(answer).toEqual(TIMED_OUT_V1);
  });

  it('a body arriving a byte every 200 ms is cut with a 408 in the v1 envelope', { timeout: 8000 }, async () => {
    const head =
      'POST /api/v1/placeorder HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n';
    const answer = await dribble(h.url, head, SLOW_BODY);
    expect(answer).toEqual(TIMED_OUT_V1);
  });

  it('a slow body to the native API is cut with a 408 in its envelope', { timeout: 8000 }, async () => {
    const head = 'POST /api/auth/login HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n';
    const answer = await dribble(h.url, head, SLOW_BODY);
    expect(answer.status).toBe(408);
    expect(answer.body).toEqual({ status: 'error', code: 'request_timeout', message: 'The request did not arrive whole within 1 s' });
    expect(answer.closed).toBe(true);
  });

  it('the standalone WebSocket port cuts slow headers alike', { timeout: 8000 }, async () => {
    const standalone = h.gateway.stream.standaloneUrl()!.replace(/^ws:/, 'http:');
    const answer = await dribble(standalone, 'GET / HTTP/1.1\r\nHost: gateway\r\nUpgrade: websocket\r\n', SLOW_HEADERS);
    expect(answer.status).toBe(408);
    expect(answer.body).toEqual({ status: 'error', message: 'The request did not arrive whole within 1 s' });
    expect(answer.closed).toBe(true);
  });

  it('a plain request to the standalone WebSocket port is answered 426 in the v1 envelope', async () => {
    const response = await fetch(h.gateway.stream.standaloneUrl()!.replace(/^ws:/, 'http:'));
    expect(response.status).toBe(426);
    expect(response.headers.get('upgrade')).toBe('websocket');
    expect(await response.json()).toEqual({
      status: 'error',
      message: 'This port serves the OpenAlgo WebSocket stream: connect with a WebSocket client',
    });
  });

  it('a kept-alive connection may idle longer than the limit between requests', { timeout: 8000 }, async () => {
    const socket = net.connect(Number(new URL(h.url).port), '127.0.0.1');
    const answers: string[] = [];
    const answered = () => new Promise<void>((resolve) => socket.once('data', (chunk) => resolve(void answers.push(chunk.toString()))));
    const ping = 'GET /health HTTP/1.1\r\nHost: gateway\r\n\r\n';
    socket.write(ping);
    await answered();
    await new Promise((resolve) => setTimeout(resolve, 2500));
    socket.write(ping);
    await answered();
    socket.destroy();
    expect(answers.map((answer) => answer.split('\r\n')[0])).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK']);
    expect(answers[1]).toMatch(/\r\n\r\n\{"status":"ok"\}$/);
  });
});

describe('requests the HTTP parser refuses are answered in the envelope of their API, then the connection closes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startGateway();
  });
  afterAll(() => h.close());

  it('a request line that is not HTTP: 400 in the v1 envelope', async () => {
    expect(await exchange(h.url, 'BLAH\r\n\r\n')).toEqual({
      status: 400,
      headers: { connection: 'close', 'content-type': 'application/json; charset=utf-8', 'content-length': '88' },
      body: { status: 'error', message: 'The request is not valid HTTP: Invalid method encountered' },
      closed: true,
    });
  });

  it('a malformed header on a native path: 400 in the native envelope', async () => {
    const answer = await exchange(h.url, 'GET /api/admin/accounts HTTP/1.1\r\nHost: gateway\r\nBad Header\r\n\r\n');
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ status: 'error', code: 'invalid_request', message: 'The request is not valid HTTP: Invalid header token' });
    expect(answer.closed).toBe(true);
  });

  it('headers larger than 16 KiB: 431 in the envelope', async () => {
    const answer = await exchange(h.url, `GET /api/v1/ping HTTP/1.1\r\nHost: gateway\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(answer.status).toBe(431);
    expect(answer.body).toEqual({ status: 'error', message: 'The request headers are larger than 16384 bytes' });
    expect(answer.closed).toBe(true);
  });

  it('headers larger than 16 KiB to the native API: 431 with its own code', async () => {
    const answer = await exchange(h.url, `GET /api/admin/me HTTP/1.1\r\nHost: gateway\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(answer.status).toBe(431);
    expect(answer.body).toEqual({ status: 'error', code: 'headers_too_large', message: 'The request headers are larger than 16384 bytes' });
    expect(answer.closed).toBe(true);
  });

  it('a broken chunked body after the request was routed: 400 in the v1 envelope', async () => {
    const text = 'POST /api/v1/placeorder HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n';
    const answer = await exchange(h.url, text);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ status: 'error', message: 'The request is not valid HTTP: Invalid character in chunk size' });
    expect(answer.closed).toBe(true);
  });

  it('an HTTP/1.1 request without Host: 400 in the v1 envelope', async () => {
    const answer = await exchange(h.url, 'GET /api/v1/ping HTTP/1.1\r\n\r\n');
    expect(answer.status).toBe(400);
    expect(answer.headers.connection).toBe('close');
    expect(answer.body).toEqual({ status: 'error', message: 'An HTTP/1.1 request must carry a Host header' });
    expect(answer.closed).toBe(true);
  });

  it('an HTTP/1.1 request without Host on a native path: 400 in the native envelope', async () => {
    const answer = await exchange(h.url, 'GET /api/admin/accounts HTTP/1.1\r\n\r\n');
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ status: 'error', code: 'invalid_request', message: 'An HTTP/1.1 request must carry a Host header' });
  });

  it('an HTTP/1.0 request needs no Host', async () => {
    const answer = await exchange(h.url, 'GET /health HTTP/1.0\r\n\r\n');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ok' });
  });
});

describe('body errors Fastify raises stay in the envelope of their API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startGateway();
  });
  afterAll(() => h.close());

  const post = (path: string, headers: string, body: string) =>
    exchange(h.url, `POST ${path} HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n${headers}\r\n${body}`);

  it('a body over the 1 MiB limit: 413', async () => {
    const head = 'Content-Type: application/json\r\nContent-Length: 2000000\r\n';
    expect((await post('/api/v1/placeorder', head, '')).body).toEqual({ status: 'error', message: 'Request body is too large' });
    expect((await post('/api/auth/login', head, '')).body).toEqual({
      status: 'error',
      code: 'invalid_request',
      message: 'Request body is too large',
    });
  });

  it('a JSON body that does not parse: 400', async () => {
    const answer = await post('/api/auth/login', 'Content-Type: application/json\r\nContent-Length: 2\r\n', '{x');
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      status: 'error',
      code: 'invalid_request',
      message: "Body is not valid JSON but content-type is set to 'application/json'",
    });
  });

  it('a body of no media type: 415', async () => {
    const answer = await post('/api/admin/accounts', 'Content-Type: \r\nContent-Length: 2\r\n', '{}');
    expect(answer.status).toBe(415);
    expect(answer.body).toEqual({ status: 'error', code: 'invalid_request', message: 'Unsupported Media Type' });
  });
});
