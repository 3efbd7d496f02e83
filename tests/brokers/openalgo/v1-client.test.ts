// The HTTP side of the adapter against a real HTTP server on a free port that answers as the test says: the request it
// sends, the answers it accepts, and the failures it turns into typed errors or UpstreamFailure, never with the key.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { V1Client } from '../../../src/brokers/openalgo/v1-client.js';
import { UpstreamFailure } from '../../../src/brokers/openalgo/wire-values.js';
import { dec } from '../../../src/domain/decimal.js';
import { AuthExpired, InvalidOrder, OrderNotFound } from '../../../src/domain/errors.js';

const KEY = 'ab'.repeat(32);

interface Seen {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** What the server answers next: status and body text. */
let answer: { status: number; body: string } = { status: 200, body: '{}' };
const seen: Seen[] = [];
let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      seen.push({ path: request.url ?? '', headers: request.headers, body });
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const answering = (status: number, body: unknown) => {
  answer = { status, body: typeof body === 'string' ? body : JSON.stringify(body) };
};

async function failure(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => expect.unreachable('the call should have failed'),
    (error: unknown) => error as Error,
  );
}

describe('V1Client', () => {
  it('posts JSON with the key and exact decimals to /api/v1/<endpoint>, and the Idempotency-Key header', async () => {
    answering(200, { status: 'success', orderid: '26010700000001' });
    const client = new V1Client({ baseUrl, apiKey: KEY });
    const placed = await client.call('placeorder', { symbol: 'SBIN', quantity: dec(10), price: dec('960.05') }, { idempotencyKey: 'OG-1' });
    expect(placed).toEqual({ status: 'success', orderid: '26010700000001' });
    const request = seen.at(-1);
    expect(request?.path).toBe('/api/v1/placeorder');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['idempotency-key']).toBe('OG-1');
    expect(request?.body).toBe(`{"apikey":"${KEY}","symbol":"SBIN","quantity":10,"price":960.05}`);
  });

  it("turns an error envelope into the typed error, with the upstream's message", async () => {
    const client = new V1Client({ baseUrl, apiKey: KEY });
    answering(400, { status: 'error', message: 'Price 960.03 is not a multiple of the tick size 0.05' });
    expect(await failure(client.call('placeorder', {}))).toEqual(new InvalidOrder('Price 960.03 is not a multiple of the tick size 0.05'));
    answering(404, { status: 'error', message: 'Order 9 not found' });
    expect(await failure(client.call('orderstatus', { orderid: '9' }, { orderId: '9' }))).toEqual(new OrderNotFound('9'));
  });

  it('never lets the key out in a message, even when the upstream echoes it', async () => {
    answering(403, { status: 'error', message: `Invalid openalgo apikey ${KEY}` });
    const error = await failure(new V1Client({ baseUrl, apiKey: KEY }).call('funds'));
    expect(error).toEqual(new AuthExpired('Invalid openalgo apikey [api key]'));
  });

  it('makes a 5xx, a body that is not JSON, a success without the envelope and a broken answer UpstreamFailures', async () => {
    const client = new V1Client({ baseUrl, apiKey: KEY });
    answering(503, { status: 'error', message: 'Broker paper failed to answer; retry in 1 s' });
    expect(await failure(client.call('funds'))).toEqual(
      new UpstreamFailure("The upstream's funds answered 503: Broker paper failed to answer; retry in 1 s"),
    );
    answering(502, '<html>Bad Gateway</html>');
    expect(await failure(client.call('funds'))).toEqual(new UpstreamFailure("The upstream's funds answered 502 with a body that is not JSON"));
    answering(200, { data: {} });
    expect(await failure(client.call('funds'))).toEqual(new UpstreamFailure("The upstream's funds answered 200 without OpenAlgo's envelope"));
    answering(200, { status: 'success', data: { collateral: '0.00' } });
    const broken = await failure(client.call('funds'));
    expect(broken).toBeInstanceOf(UpstreamFailure);
    expect(broken.message).toMatch(/^The upstream's funds answer is not OpenAlgo's at \/data/);
  });

  it('makes a refused connection an UpstreamFailure', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(new V1Client({ baseUrl: `http://127.0.0.1:${port}`, apiKey: KEY }).call('funds'));
    expect(error).toEqual(new UpstreamFailure("The upstream's funds call failed: ECONNREFUSED"));
  });

  it('abandons a call that outlasts its limit, and every call once closed', async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const slow = new V1Client({ baseUrl: url, apiKey: KEY, requestTimeoutMs: 50 });
      expect(await failure(slow.call('funds'))).toEqual(new UpstreamFailure("The upstream's funds call failed: no answer within 50 ms"));
      const closing = new V1Client({ baseUrl: url, apiKey: KEY });
      const pending = failure(closing.call('funds'));
      closing.close();
      expect(await pending).toEqual(new UpstreamFailure("The upstream's funds call failed: the adapter was closed"));
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
