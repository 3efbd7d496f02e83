// Logins for the native API through HTTP: access tokens that expire and cannot be forged, refresh tokens that rotate
// and give a copied token away, logout, password changes, and the login rate limit per IP and per username.
import http from 'node:http';
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../src/gateway/passwords.js';
import { type Harness, TEST_PASSWORD, login, requestJson, startGateway } from '../harness.js';

const harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

async function gateway(env: Record<string, string> = {}, dataDir?: string): Promise<Harness> {
  const h = await startGateway({ env, dataDir });
  harnesses.push(h);
  return h;
}

const me = (h: Harness, token: string) => requestJson(h.url, 'GET', '/api/admin/me', { token });
const refresh = (h: Harness, token: string) => requestJson(h.url, 'POST', '/api/auth/refresh', { body: { refresh_token: token } });

describe('unknown paths and methods of the native API', () => {
  it('are 404 not_found and 405 method_not_allowed (with Allow) in the native envelope', async () => {
    const h = await gateway();
    expect(await requestJson(h.url, 'GET', '/api/admin/nothing')).toMatchObject({
      status: 404,
      body: { status: 'error', code: 'not_found', message: 'Not found', path: '/api/admin/nothing' },
    });
    const wrongMethod = await fetch(`${h.url}/api/auth/login`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect(await wrongMethod.json()).toEqual({
      status: 'error',
      code: 'method_not_allowed',
      message: 'Method GET is not allowed here; use POST',
      path: '/api/auth/login',
    });
  });
});

describe('login', () => {
  it('answers an access token of the configured lifetime and a refresh token; the access token opens the admin API', async () => {
    const h = await gateway();
    const tokens = await login(h.url);
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 900, refresh_expires_in: 604_800 });
    expect(tokens.refresh_token).toMatch(/^ogr_[A-Za-z0-9_-]{43}$/);
    const answer = await me(h, tokens.access_token);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ user: { username: 'admin' }, via: 'token', accounts: [{ name: 'default', broker: 'paper' }] });
  });

  it('answers a wrong password and an unknown user with the same 401', async () => {
    const h = await gateway();
    const wrong = await requestJson(h.url, 'POST', '/api/auth/login', { body: { username: 'admin', password: 'not it at all' } });
    const unknown = await requestJson(h.url, 'POST', '/api/auth/login', { body: { username: 'nobody', password: TEST_PASSWORD } });
    for (const answer of [wrong, unknown]) {
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ status: 'error', code: 'unauthorized', message: 'Invalid username or password' });
    }
  });

  it('refuses a malformed body with a 400 naming the field', async () => {
    const h = await gateway();
    const answer = await requestJson(h.url, 'POST', '/api/auth/login', { body: { username: 'admin' } });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ status: 'error', code: 'invalid_request' });
    expect(answer.body.message).toContain('password');
  });

  it('keeps ORDERGATE_ACCESS_TOKEN_TTL', async () => {
    const h = await gateway({ ORDERGATE_ACCESS_TOKEN_TTL: '60' });
    expect((await login(h.url)).expires_in).toBe(60);
  });
});

describe('access tokens', () => {
  it('are refused once expired, with a 401 that says so', async () => {
    const h = await gateway();
    const { access_token: token } = await login(h.url);
    h.clock.advance(899_000);
    expect((await me(h, token)).status).toBe(200);
    h.clock.advance(1_000);
    const answer = await me(h, token);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ status: 'error', code: 'unauthorized', message: 'The access token has expired; refresh it' });
    expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="ordergate"');
  });

  it('are refused when tampered with: another subject, another signature, alg none, another server\'s secret', async () => {
    const h = await gateway();
    const other = await gateway();
    const { access_token: token } = await login(h.url);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url');
    const flipped = signature.slice(0, -2) + (signature.endsWith('AA') ? 'BB' : 'AA');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    const foreign = (await login(other.url)).access_token;
    const selfSigned = await new SignJWT({ sid: claims.sid, typ: 'access' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(String(claims.sub))
      .setIssuer('ordergate')
      .setAudience('ordergate-admin')
      .setIssuedAt(Number(claims.iat))
      .setExpirationTime(Number(claims.exp))
      .sign(new TextEncoder().encode('guessed secret'));
    for (const bad of [`${header}.${forgedPayload}.${signature}`, `${header}.${payload}.${flipped}`, none, foreign, selfSigned, 'garbage']) {
      const answer = await me(h, bad);
      expect(answer.status, bad).toBe(401);
      expect(answer.body).toEqual({ status: 'error', code: 'unauthorized', message: 'The access token is not valid' });
    }
    expect((await me(h, token)).status).toBe(200);
  });

  it('are required: no credentials and a malformed Authorization header are 401', async () => {
    const h = await gateway();
    const none = await requestJson(h.url, 'GET', '/api/admin/accounts');
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ code: 'unauthorized' });
    const basic = await requestJson(h.url, 'GET', '/api/admin/accounts', { headers: { authorization: 'Basic YWRtaW46eA==' } });
    expect(basic.status).toBe(401);
    expect(basic.body.message).toBe('Authorization must be "Bearer <access token>"');
  });
});

describe('refresh tokens', () => {
  it('rotate: each gives a new pair once, and the old access token keeps working until it expires', async () => {
    const h = await gateway();
    const first = await login(h.url);
    const second = await refresh(h, first.refresh_token);
    expect(second.status).toBe(200);
    const pair = second.body as { access_token: string; refresh_token: string };
    expect(pair.refresh_token).not.toBe(first.refresh_token);
    expect(pair.access_token).not.toBe(first.access_token);
    expect((await me(h, pair.access_token)).status).toBe(200);
    expect((await me(h, first.access_token)).status).toBe(200);
    const third = await refresh(h, pair.refresh_token);
    expect(third.status).toBe(200);
  });

  it('used twice revoke the whole session: every refresh and access token issued from that login', async () => {
    const h = await gateway();
    const first = await login(h.url);
    const elsewhere = await login(h.url);
    const rotated = (await refresh(h, first.refresh_token)).body as { access_token: string; refresh_token: string };

    const replay = await refresh(h, first.refresh_token);
    expect(replay.status).toBe(401);
    expect(replay.body).toEqual({
      status: 'error',
      code: 'unauthorized',
      message: 'This refresh token was already used; the session is revoked, log in again',
    });
    expect((await refresh(h, rotated.refresh_token)).status).toBe(401);
    expect((await me(h, rotated.access_token)).status).toBe(401);
    expect((await me(h, first.access_token)).status).toBe(401);
    // Another login of the same user is another session, untouched.
    expect((await me(h, elsewhere.access_token)).status).toBe(200);
    expect((await refresh(h, elsewhere.refresh_token)).status).toBe(200);
  });

  it('expire after ORDERGATE_REFRESH_TOKEN_TTL', async () => {
    const h = await gateway({ ORDERGATE_REFRESH_TOKEN_TTL: '3600' });
    const { refresh_token: token } = await login(h.url);
    h.clock.advance(3_600_000);
    const answer = await refresh(h, token);
    expect(answer.status).toBe(401);
    expect(answer.body.message).toBe('The refresh token has expired; log in again');
  });

  it('that were never issued are refused', async () => {
    const h = await gateway();
    const answer = await refresh(h, `ogr_${'A'.repeat(43)}`);
    expect(answer.status).toBe(401);
    expect(answer.body.message).toBe('The refresh token is not valid');
  });
});

describe('logout and password changes', () => {
  it('logout ends the session at once: its access and refresh tokens are refused', async () => {
    const h = await gateway();
    const tokens = await login(h.url);
    const out = await requestJson(h.url, 'POST', '/api/auth/logout', { body: { refresh_token: tokens.refresh_token } });
    expect(out.status).toBe(204);
    expect((await me(h, tokens.access_token)).status).toBe(401);
    expect((await refresh(h, tokens.refresh_token)).status).toBe(401);
  });

  it('a password change needs the current password, ends the other sessions and keeps this one', async () => {
    const h = await gateway();
    const mine = await login(h.url);
    const other = await login(h.url);
    const change = (current: string, next: string) =>
      requestJson(h.url, 'PUT', '/api/admin/me/password', { token: mine.access_token, body: { current_password: current, new_password: next } });
    expect((await change('wrong password', 'a new password')).status).toBe(403);
    const short = await change(TEST_PASSWORD, 'short');
    expect(short.status).toBe(400);
    expect(short.body.message).toBe('new_password: a password needs at least 8 characters');
    expect((await change(TEST_PASSWORD, 'a new password')).status).toBe(204);
    expect((await me(h, mine.access_token)).status).toBe(200);
    expect((await me(h, other.access_token)).status).toBe(401);
    expect((await requestJson(h.url, 'POST', '/api/auth/login', { body: { username: 'admin', password: TEST_PASSWORD } })).status).toBe(401);
    expect((await login(h.url, 'admin', 'a new password')).access_token).toBeTruthy();
  });
});

/** A login POST sent from a chosen loopback address, so tests can be two clients with different IPs. */
function loginFrom(h: Harness, localAddress: string, username: string, password: string): Promise<{ status: number; retryAfter?: string }> {
  const url = new URL('/api/auth/login', h.url);
  const body = JSON.stringify({ username, password });
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', localAddress, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] as string | undefined }));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** A 429 whose Retry-After counts down the minute window that the first attempt opened: seconds pass between attempts, so it is 60 or a little less. */
function expectLimitedForAMinute(result: { status: number; retryAfter?: string }): void {
  expect(result.status).toBe(429);
  expect(Number(result.retryAfter)).toBeGreaterThanOrEqual(50);
  expect(Number(result.retryAfter)).toBeLessThanOrEqual(60);
}

describe('the login rate limit', () => {
  const limited = { LOGIN_RATE_LIMIT_MIN: '3 per minute', LOGIN_RATE_LIMIT_HOUR: '25 per hour' };

  it('allows LOGIN_RATE_LIMIT_MIN attempts per IP whatever the usernames, then answers 429 with Retry-After', async () => {
    const h = await gateway(limited);
    expect((await loginFrom(h, '127.0.0.1', 'admin', 'wrong password')).status).toBe(401);
    expect((await loginFrom(h, '127.0.0.1', 'carol', 'wrong password')).status).toBe(401);
    expect((await loginFrom(h, '127.0.0.1', 'dave', 'wrong password')).status).toBe(401);
    const blocked = await loginFrom(h, '127.0.0.1', 'erin', 'wrong password');
    expectLimitedForAMinute(blocked);
    // Even the right password waits: the limit is checked before the password.
    expect((await loginFrom(h, '127.0.0.1', 'admin', TEST_PASSWORD)).status).toBe(429);
    // Another IP is another budget.
    expect((await loginFrom(h, '127.0.0.2', 'bob', 'wrong password')).status).toBe(401);
  });

  it('allows LOGIN_RATE_LIMIT_MIN attempts per username whatever the IPs', async () => {
    const h = await gateway(limited);
    await h.gateway.store.users.create('bob', await hashPassword('bob password'));
    expect((await loginFrom(h, '127.0.0.1', 'admin', 'wrong password')).status).toBe(401);
    expect((await loginFrom(h, '127.0.0.2', 'admin', 'wrong password')).status).toBe(401);
    expect((await loginFrom(h, '127.0.0.3', 'admin', 'wrong password')).status).toBe(401);
    expect((await loginFrom(h, '127.0.0.4', 'admin', TEST_PASSWORD)).status).toBe(429);
    expect((await loginFrom(h, '127.0.0.4', 'bob', 'bob password')).status).toBe(200);
  });
});

describe('the per-username login limit cannot lock the owner out', () => {
  const limited = { LOGIN_RATE_LIMIT_MIN: '3 per minute', LOGIN_RATE_LIMIT_HOUR: '25 per hour' };

  it('lets the right password in from an address that logged in as that user before, after strangers spent the budget', async () => {
    const h = await gateway(limited);
    expect((await loginFrom(h, '127.0.0.5', 'admin', TEST_PASSWORD)).status).toBe(200);
    expect((await loginFrom(h, '127.0.0.1', 'admin', 'wrong password')).status).toBe(401);
    expect((await loginFrom(h, '127.0.0.2', 'admin', 'wrong password')).status).toBe(401);
    expectLimitedForAMinute(await loginFrom(h, '127.0.0.3', 'admin', TEST_PASSWORD));
    expect((await loginFrom(h, '127.0.0.5', 'admin', TEST_PASSWORD)).status).toBe(200);
    // The known address is spared the username's limit, not its own: every attempt from it counts per IP.
    expect((await loginFrom(h, '127.0.0.5', 'admin', 'wrong password')).status).toBe(401);
    expectLimitedForAMinute(await loginFrom(h, '127.0.0.5', 'admin', TEST_PASSWORD));
  });

  it('still knows the address after a restart', async () => {
    const first = await startGateway({ env: limited });
    expect((await loginFrom(first, '127.0.0.5', 'admin', TEST_PASSWORD)).status).toBe(200);
    await first.stop();
    const h = await gateway(limited, first.dataDir);
    for (const ip of ['127.0.0.1', '127.0.0.2', '127.0.0.3']) {
      expect((await loginFrom(h, ip, 'admin', 'wrong password')).status).toBe(401);
    }
    expect((await loginFrom(h, '127.0.0.4', 'admin', TEST_PASSWORD)).status).toBe(429);
    expect((await loginFrom(h, '127.0.0.5', 'admin', TEST_PASSWORD)).status).toBe(200);
  });

  it('knows an address for another user as a stranger', async () => {
    const h = await gateway(limited);
    await h.gateway.store.users.create('bob', await hashPassword('bob password'));
    expect((await loginFrom(h, '127.0.0.5', 'bob', 'bob password')).status).toBe(200);
    for (const ip of ['127.0.0.1', '127.0.0.2', '127.0.0.3']) {
      expect((await loginFrom(h, ip, 'admin', 'wrong password')).status).toBe(401);
    }
    expect((await loginFrom(h, '127.0.0.5', 'admin', TEST_PASSWORD)).status).toBe(429);
  });

  it('forgets an address ORDERGATE_REFRESH_TOKEN_TTL after its last successful login', async () => {
    const h = await gateway({ ...limited, ORDERGATE_REFRESH_TOKEN_TTL: '3600' });
    expect((await loginFrom(h, '127.0.0.5', 'admin', TEST_PASSWORD)).status).toBe(200);
    h.clock.advance(3_599_000);
    expect((await loginFrom(h, '127.0.0.1', 'admin', 'wrong password')).status).toBe(401);
    expect((await loginFrom(h, '127.0.0.2', 'admin', 'wrong password')).status).toBe(401);
    expect((await loginFrom(h, '127.0.0.5', 'admin', TEST_PASSWORD)).status).toBe(200);
    h.clock.advance(3_600_000);
    expect((await loginFrom(h, '127.0.0.5', 'admin', TEST_PASSWORD)).status).toBe(429);
  });
});
