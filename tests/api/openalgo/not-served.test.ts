// The OpenAlgo routes Ordergate does not serve: a 501 in OpenAlgo's envelope, saying why, once the key is valid.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_SERVED } from '../../../src/api/openalgo/routes/not-served.js';
import { type Harness, requestJson, startGateway } from '../harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startGateway();
});
afterAll(() => h.close());

const call = (method: string, path: string, key: string | undefined) =>
  method === 'GET'
    ? requestJson(h.url, 'GET', `/api/v1${path}${key === undefined ? '' : `?apikey=${key}`}`)
    : requestJson(h.url, 'POST', `/api/v1${path}`, { body: key === undefined ? { message: 'hi' } : { apikey: key, message: 'hi' } });

const MESSAGING = 'Ordergate does not connect to outside messaging services';

describe('routes not served', () => {
  it("are every Telegram and WhatsApp route of OpenAlgo", () => {
    expect(NOT_SERVED.flatMap((group) => group.routes.map((route) => `${route.method} ${route.path}`))).toEqual([
      'GET /telegram/config',
      'POST /telegram/config',
      'POST /telegram/start',
      'POST /telegram/stop',
      'POST /telegram/webhook',
      'GET /telegram/users',
      'POST /telegram/broadcast',
      'POST /telegram/notify',
      'GET /telegram/stats',
      'GET /telegram/preferences',
      'POST /telegram/preferences',
      'POST /whatsapp/notify',
    ]);
  });

  it('answer 501 with the reason, for GET and POST, with or without a trailing slash', async () => {
    for (const group of NOT_SERVED) {
      for (const route of group.routes) {
        const answer = await call(route.method, route.path, h.key);
        expect({ route: route.path, status: answer.status, body: answer.body }).toEqual({
          route: route.path,
          status: 501,
          body: { status: 'error', message: group.message },
        });
      }
    }
    expect((await call('POST', '/telegram/notify/', h.key)).body).toEqual({ status: 'error', message: `The Telegram bot is not served: ${MESSAGING}` });
    expect((await call('POST', '/whatsapp/notify', h.key)).body.message).toBe(`WhatsApp notifications are not served: ${MESSAGING}`);
  });

  it('check the key first: 403 for a wrong one; 401 without one on the messaging routes, as OpenAlgo answers there', async () => {
    expect(await call('POST', '/whatsapp/notify', 'nope')).toMatchObject({ status: 403, body: { status: 'error', message: 'Invalid openalgo apikey' } });
    expect(await call('GET', '/telegram/users', 'nope')).toMatchObject({ status: 403, body: { status: 'error', message: 'Invalid openalgo apikey' } });
    expect(await call('POST', '/telegram/broadcast', undefined)).toMatchObject({ status: 401, body: { status: 'error', message: 'API key is required' } });
  });
});
