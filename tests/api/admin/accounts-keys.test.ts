// The native API's accounts and keys through HTTP: what a logged-in user and an admin-scope key may see and change,
// and that nothing of another user's, or of another account than a key's own, is ever reachable.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../../src/gateway/passwords.js';
import { type Harness, type JsonAnswer, login, requestJson, startGateway } from '../harness.js';

let h: Harness;
let adminToken: string;
let bobToken: string;
let bobAccountId: string;

const as = (token: string) => ({
  get: (route: string) => requestJson(h.url, 'GET', `/api/admin${route}`, { token }),
  post: (route: string, body: unknown = {}) => requestJson(h.url, 'POST', `/api/admin${route}`, { token, body }),
  delete: (route: string) => requestJson(h.url, 'DELETE', `/api/admin${route}`, { token }),
});
const withKey = (key: string) => ({
  get: (route: string) => requestJson(h.url, 'GET', `/api/admin${route}`, { key }),
  post: (route: string, body: unknown = {}) => requestJson(h.url, 'POST', `/api/admin${route}`, { key, body }),
});
const v1 = (key: string, route: string, body: Record<string, unknown> = {}) => h.post(`/api/v1/${route}`, { apikey: key, ...body });
const order = { strategy: 'admin', exchange: 'NSE', symbol: 'SBIN', product: 'MIS', pricetype: 'MARKET', action: 'BUY', quantity: 1 };
const items = (answer: JsonAnswer) => answer.body.items as Array<Record<string, unknown>>;

beforeAll(async () => {
  h = await startGateway();
  h.setPrice('SBIN', 'NSE', '800');
  adminToken = (await login(h.url)).access_token;
  const bob = await h.gateway.store.users.create('bob', await hashPassword('bob password'));
  bobAccountId = (await h.gateway.store.accounts.create('bobs', bob.id)).id;
  bobToken = (await login(h.url, 'bob', 'bob password')).access_token;
});
afterAll(() => h.close());

describe('accounts', () => {
  it("lists only the caller's accounts", async () => {
    expect(items(await as(adminToken).get('/accounts')).map((a) => a.name)).toEqual(['default']);
    expect(items(await as(bobToken).get('/accounts')).map((a) => a.name)).toEqual(['bobs']);
  });

  it('creates an account: 201 with its resource and Location; a name the caller uses already is 409; a bad name 400', async () => {
    const created = await as(adminToken).post('/accounts', { name: 'swing' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'swing', broker: 'paper', analyzer_mode: false });
    expect(created.headers.get('location')).toBe(`/api/admin/accounts/${created.body.id as string}`);
    expect((await as(adminToken).get(`/accounts/${created.body.id as string}`)).body).toEqual(created.body);
    expect((await as(adminToken).get('/accounts/swing')).body).toEqual(created.body);
    const taken = await as(adminToken).post('/accounts', { name: 'swing' });
    expect(taken.status).toBe(409);
    expect(taken.body).toEqual({ status: 'error', code: 'conflict', message: 'An account named "swing" exists already' });
    const bad = await as(adminToken).post('/accounts', { name: '../etc' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'invalid_request' });
    expect((await as(adminToken).post('/accounts', { name: 'x', extra: 1 })).status).toBe(400);
  });

  it("names are each user's own: another user's name is free, and reaches the caller's own account", async () => {
    const bobs = await as(bobToken).post('/accounts', { name: 'positional' });
    const mine = await as(adminToken).post('/accounts', { name: 'positional' });
    expect([bobs.status, mine.status]).toEqual([201, 201]);
    expect(mine.body.id).not.toBe(bobs.body.id);
    expect((await as(adminToken).get('/accounts/positional')).body).toEqual(mine.body);
    expect((await as(bobToken).get('/accounts/positional')).body).toEqual(bobs.body);
    expect((await as(adminToken).post('/accounts/positional/keys', {})).status).toBe(201);
    expect(items(await as(bobToken).get('/accounts/positional/keys'))).toEqual([]);
  });

  it('refuses a name shaped like an account id, so ids and names never meet', async () => {
    const refused = await as(adminToken).post('/accounts', { name: bobAccountId.toUpperCase() });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      status: 'error',
      code: 'invalid_request',
      message: 'name: an account name cannot have the shape of an account id (a UUID)',
    });
  });

  it("an account named after another user's account id tells nothing of it: the name reaches the caller's own", async () => {
    // Names made before the rule: one after carol's account id, one after an id nobody has.
    const { users, accounts } = h.gateway.store;
    const carols = await accounts.create('carols', (await users.create('carol')).id);
    const adminId = (await users.findByUsername('admin'))?.id ?? '';
    const afterCarols = await accounts.create(carols.id, adminId);
    const afterNobodys = await h.gateway.store.accounts.create('0b7e7c2e-5f0c-4c1e-9a57-3d2b9f6f1a11', adminId);
    for (const account of [afterCarols, afterNobodys]) {
      const answer = await as(adminToken).get(`/accounts/${account.name}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ id: account.id, name: account.name });
    }
  });

  it("answers another user's account exactly like a missing one, by id and by name", async () => {
    for (const ref of [bobAccountId, 'bobs', 'missing']) {
      const answer = await as(adminToken).get(`/accounts/${ref}`);
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({ status: 'error', code: 'not_found', message: `No account "${ref}"` });
      expect((await as(adminToken).get(`/accounts/${ref}/keys`)).status).toBe(404);
      expect((await as(adminToken).post(`/accounts/${ref}/keys`, {})).status).toBe(404);
    }
  });
});

describe('keys', () => {
  it('issues a key shown once, listed afterwards by prefix only, that works on the v1 API with its scopes', async () => {
    const issued = await as(adminToken).post('/accounts/default/keys', { scopes: ['read'] });
    expect(issued.status).toBe(201);
    const key = issued.body.key as string;
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(issued.body).toMatchObject({ prefix: key.slice(0, 8), scopes: ['read'], status: 'active', revoked_at: null });
    const listed = items(await as(adminToken).get('/accounts/default/keys'));
    const row = listed.find((k) => k.id === issued.body.id);
    expect(row).toMatchObject({ prefix: key.slice(0, 8), scopes: ['read'], status: 'active' });
    expect(JSON.stringify(listed)).not.toContain(key);
    expect(Object.keys(row ?? {}).sort()).toEqual(['account_id', 'created_at', 'id', 'last_used_at', 'prefix', 'revoked_at', 'scopes', 'status']);

    expect((await v1(key, 'funds')).status).toBe(200);
    const trade = await v1(key, 'placeorder', order);
    expect(trade).toEqual({ status: 403, body: { status: 'error', message: "This API key lacks the 'trade' scope" } });
  });

  it('defaults to read and trade, and refuses unknown scopes', async () => {
    expect((await as(adminToken).post('/accounts/default/keys', {})).body.scopes).toEqual(['read', 'trade']);
    const bad = await as(adminToken).post('/accounts/default/keys', { scopes: ['root'] });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toBe('body/scopes/0 must be equal to one of the allowed values');
    expect((await as(adminToken).post('/accounts/default/keys', { scopes: [] })).status).toBe(400);
  });

  it('revokes a key: the v1 API refuses it on the very next request', async () => {
    const issued = await as(adminToken).post('/accounts/default/keys', { scopes: ['read', 'trade'] });
    const key = issued.body.key as string;
    expect((await v1(key, 'placeorder', order)).status).toBe(200);
    const revoked = await as(adminToken).delete(`/accounts/default/keys/${issued.body.id as string}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: issued.body.id, status: 'revoked' });
    expect(typeof revoked.body.revoked_at).toBe('string');
    expect(await v1(key, 'funds')).toEqual({ status: 403, body: { status: 'error', message: 'Invalid openalgo apikey' } });
  });

  it('rotates a key: the old one is refused at once, the new one has the same account and scopes', async () => {
    const issued = await as(adminToken).post('/accounts/default/keys', { scopes: ['read'] });
    const rotated = await as(adminToken).post(`/accounts/default/keys/${issued.body.id as string}/rotate`);
    expect(rotated.status).toBe(201);
    expect(rotated.body).toMatchObject({ scopes: ['read'], status: 'active', account_id: issued.body.account_id });
    expect(rotated.body.key).not.toBe(issued.body.key);
    expect((await v1(issued.body.key as string, 'funds')).status).toBe(403);
    expect((await v1(rotated.body.key as string, 'funds')).status).toBe(200);
    const again = await as(adminToken).post(`/accounts/default/keys/${issued.body.id as string}/rotate`);
    expect(again.status).toBe(409);
  });

  it("never reaches another user's keys, even by their id", async () => {
    const bobs = await as(bobToken).post('/accounts/bobs/keys', { scopes: ['read'] });
    const id = bobs.body.id as string;
    expect((await as(adminToken).delete(`/accounts/default/keys/${id}`)).status).toBe(404);
    expect((await as(adminToken).post(`/accounts/default/keys/${id}/rotate`)).status).toBe(404);
    expect((await v1(bobs.body.key as string, 'funds')).status).toBe(200);
  });
});

describe('admin-scope API keys', () => {
  it('reach their own account only, and cannot create accounts', async () => {
    await as(adminToken).post('/accounts', { name: 'second' });
    const adminKey = (await as(adminToken).post('/accounts/default/keys', { scopes: ['admin'] })).body.key as string;
    const me = await withKey(adminKey).get('/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ via: 'key', user: { username: 'admin' } });
    expect((me.body.accounts as Array<{ name: string }>).map((a) => a.name)).toEqual(['default']);
    expect(items(await withKey(adminKey).get('/accounts')).map((a) => a.name)).toEqual(['default']);
    expect((await withKey(adminKey).get('/accounts/second')).status).toBe(404);
    expect((await withKey(adminKey).get('/accounts/second/keys')).status).toBe(404);
    expect((await withKey(adminKey).post('/accounts/default/keys', { scopes: ['read'] })).status).toBe(201);
    const create = await withKey(adminKey).post('/accounts', { name: 'by-key' });
    expect(create.status).toBe(403);
    expect(create.body.code).toBe('forbidden');
  });

  it('are needed: a trade key is 403, an unknown key 401', async () => {
    const tradeKey = (await as(adminToken).post('/accounts/default/keys', { scopes: ['read', 'trade'] })).body.key as string;
    const refused = await withKey(tradeKey).get('/accounts');
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ status: 'error', code: 'forbidden', message: "This API key lacks the 'admin' scope" });
    expect((await withKey('cd'.repeat(32)).get('/accounts')).status).toBe(401);
  });
});

describe('the OpenAPI document', () => {
  it('describes the native routes with their security schemes', async () => {
    const doc = (await (await fetch(`${h.url}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { security?: unknown; tags?: string[] }>>;
      components: { securitySchemes: Record<string, unknown> };
    };
    for (const path of ['/api/auth/login', '/api/auth/refresh', '/api/auth/logout', '/api/admin/accounts', '/api/admin/accounts/{account}/keys/{keyId}/rotate']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.paths['/api/admin/accounts']?.get?.security).toEqual([{ bearer: [] }, { adminKey: [] }]);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['adminKey', 'bearer']);
  });
});
