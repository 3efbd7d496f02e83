// The native API's broker connections through HTTP: a user adds an OpenAlgo-compatible server with its API key, which
// is sealed at once and never shown again (not in answers, the database or the log), binds accounts to it, and removes
// it once none is bound; nothing of another user's connections is reachable.
import { Writable } from 'node:stream';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialBox } from '../../../src/gateway/credential-box.js';
import { hashPassword } from '../../../src/gateway/passwords.js';
import { loadOrCreatePepper } from '../../../src/gateway/pepper.js';
import { type Harness, type JsonAnswer, T0, login, requestJson, startGateway } from '../harness.js';
import { storedRows } from '../stored-rows.js';

/** The upstream server's API key, as its owner pastes it; it must never come back out. */
const UPSTREAM_KEY = 'c0ffee42'.repeat(7) + 'a5e13f9a';
const ENV_CREDENTIALS_KEY = '7e'.repeat(32);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let h: Harness;
const logLines: string[] = [];
const answers: string[] = [];
let adminToken: string;
let bobToken: string;
let bobAccountId: string;

const call = async (token: string | undefined, key: string | undefined, method: string, route: string, body?: unknown) => {
  const answer = await requestJson(h.url, method, `/api/admin${route}`, { token, key, body });
  answers.push(JSON.stringify(answer.body), JSON.stringify([...answer.headers]));
  return answer;
};
const as = (token: string) => ({
  get: (route: string) => call(token, undefined, 'GET', route),
  post: (route: string, body: unknown) => call(token, undefined, 'POST', route, body),
  put: (route: string, body: unknown) => call(token, undefined, 'PUT', route, body),
  delete: (route: string) => call(token, undefined, 'DELETE', route),
});
const withKey = (key: string) => ({
  get: (route: string) => call(undefined, key, 'GET', route),
  post: (route: string, body: unknown) => call(undefined, key, 'POST', route, body),
  put: (route: string, body: unknown) => call(undefined, key, 'PUT', route, body),
});
const items = (answer: JsonAnswer) => answer.body.items as Array<Record<string, unknown>>;
const connection = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  kind: 'openalgo',
  base_url: 'http://127.0.0.1:5000/',
  api_key: UPSTREAM_KEY,
  ...extra,
});

beforeAll(async () => {
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  h = await startGateway({ env: { LOG_LEVEL: 'trace' }, logStream });
  adminToken = (await login(h.url)).access_token;
  const bob = await h.gateway.store.users.create('bob', await hashPassword('bob password'));
  bobAccountId = (await h.gateway.store.accounts.create('bobs', bob.id)).id;
  bobToken = (await login(h.url, 'bob', 'bob password')).access_token;
});
afterAll(() => h.close());

describe('broker connections', () => {
  it('adds a connection: 201 with its resource and Location, the key shown only as its last 4 characters', async () => {
    const created = await as(adminToken).post('/brokers', connection('home'));
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(UUID),
      name: 'home',
      kind: 'openalgo',
      base_url: 'http://127.0.0.1:5000',
      credentials_hint: '••••3f9a',
      created_at: new Date(T0).toISOString(),
    });
    const id = created.body.id as string;
    expect(created.headers.get('location')).toBe(`/api/admin/brokers/${id}`);
    expect((await as(adminToken).get(`/brokers/${id}`)).body).toEqual(created.body);
    expect((await as(adminToken).get('/brokers/home')).body).toEqual(created.body);
    expect(items(await as(adminToken).get('/brokers'))).toEqual([created.body]);
  });

  it('stores the key sealed under the data folder\'s pepper, for this connection only', async () => {
    const { id } = (await as(adminToken).post('/brokers', connection('sealed'))).body as { id: string };
    const stored = await h.gateway.store.brokerConnections.get(id);
    expect(stored?.sealedCredentials).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
    const box = CredentialBox.of(loadOrCreatePepper(h.dataDir));
    expect(box.open(stored!.sealedCredentials, id)).toBe(UPSTREAM_KEY);
    expect(() => box.open(stored!.sealedCredentials, bobAccountId)).toThrow(/cannot be opened/);
    expect((await as(adminToken).delete(`/brokers/${id}`)).status).toBe(204);
  });

  it('refuses a name the caller uses already (409), and a bad name, URL, kind or key (400), storing nothing', async () => {
    await as(adminToken).post('/brokers', connection('taken'));
    const before = items(await as(adminToken).get('/brokers'));
    const taken = await as(adminToken).post('/brokers', connection('taken'));
    expect(taken.status).toBe(409);
    expect(taken.body).toEqual({ status: 'error', code: 'conflict', message: 'A broker connection named "taken" exists already' });

    const refused = async (body: unknown) => {
      const answer = await as(adminToken).post('/brokers', body);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('invalid_request');
      return answer.body.message;
    };
    expect(await refused(connection('paper'))).toBe('name: "paper" names the built-in paper exchange');
    expect(await refused(connection('0b7e7c2e-5f0c-4c1e-9a57-3d2b9f6f1a11'))).toBe(
      'name: a connection name cannot have the shape of a connection id (a UUID)',
    );
    expect(await refused(connection('ftp', { base_url: 'ftp://example.com' }))).toBe(
      'base_url: an http:// or https:// URL of at most 2048 characters, e.g. http://127.0.0.1:5000',
    );
    expect(await refused(connection('creds', { base_url: `http://me:${UPSTREAM_KEY}@example.com` }))).toBe(
      'base_url: no user name or password in the URL: the API key is given apart, and stored sealed',
    );
    expect(await refused(connection('../etc'))).toMatch(/^body\/name must match pattern/);
    expect(await refused(connection('zerodha', { kind: 'zerodha' }))).toMatch(/^body\/kind /);
    expect(await refused(connection('spaced', { api_key: `${UPSTREAM_KEY} ` }))).toMatch(/^body\/api_key must match pattern/);
    expect(await refused(connection('empty', { api_key: '' }))).toMatch(/^body\/api_key /);
    expect(await refused({ ...connection('extra'), secret: 1 })).toMatch(/additional properties/);
    expect(items(await as(adminToken).get('/brokers'))).toEqual(before);
  });

  it("binds an account to the caller's connection and back; refuses removal while bound (409), then removes it (204)", async () => {
    const { id } = (await as(adminToken).post('/brokers', connection('upstream'))).body as { id: string };
    const swing = await as(adminToken).post('/accounts', { name: 'swing' });
    const bound = await as(adminToken).put('/accounts/swing/broker', { broker: id });
    expect(bound.status).toBe(200);
    expect(bound.body).toEqual({ ...swing.body, broker: id });
    expect((await as(adminToken).get('/accounts/swing')).body).toEqual(bound.body);
    const live = await as(adminToken).post('/accounts', { name: 'live', broker: id });
    expect(live.status).toBe(201);
    expect(live.body).toMatchObject({ name: 'live', broker: id });

    const inUse = await as(adminToken).delete('/brokers/upstream');
    expect(inUse.status).toBe(409);
    expect(inUse.body).toEqual({
      status: 'error',
      code: 'conflict',
      message: 'Broker connection "upstream" serves 2 accounts (swing, live): bind them to another broker first',
    });

    expect((await as(adminToken).put('/accounts/swing/broker', { broker: 'paper' })).body).toEqual(swing.body);
    expect((await as(adminToken).put(`/accounts/${live.body.id as string}/broker`, { broker: 'paper' })).status).toBe(200);
    const removed = await as(adminToken).delete(`/brokers/${id}`);
    expect(removed.status).toBe(204);
    expect((await as(adminToken).get(`/brokers/${id}`)).status).toBe(404);
    expect((await as(adminToken).put('/accounts/swing/broker', { broker: id })).body).toEqual({
      status: 'error',
      code: 'not_found',
      message: `No broker connection "${id}"`,
    });
  });

  it("answers another user's connection like a missing one, and binds no account to it", async () => {
    const bobs = await as(bobToken).post('/brokers', connection('home'));
    expect(bobs.status).toBe(201);
    const bobsId = bobs.body.id as string;
    const adminsId = ((await as(adminToken).get('/brokers/home')).body as { id: string }).id;
    expect(items(await as(bobToken).get('/brokers')).map((c) => c.id)).toEqual([bobsId]);

    for (const ref of [adminsId, 'sealed-nowhere']) {
      expect((await as(bobToken).get(`/brokers/${ref}`)).body).toEqual({ status: 'error', code: 'not_found', message: `No broker connection "${ref}"` });
      expect((await as(bobToken).delete(`/brokers/${ref}`)).status).toBe(404);
    }
    const stolen = await as(bobToken).put('/accounts/bobs/broker', { broker: adminsId });
    expect(stolen.status).toBe(404);
    expect(stolen.body).toEqual({ status: 'error', code: 'not_found', message: `No broker connection "${adminsId}"` });
    expect((await as(bobToken).post('/accounts', { name: 'stolen', broker: adminsId })).status).toBe(404);
    expect((await as(adminToken).put(`/accounts/${bobAccountId}/broker`, { broker: bobsId })).status).toBe(404);
    expect((await h.gateway.store.accounts.findById(bobAccountId))?.broker).toBe('paper');
    const bob = await h.gateway.store.users.findByUsername('bob');
    expect(await h.gateway.store.accounts.findByName(bob!.id, 'stolen')).toBeUndefined();
  });

  it('lets an admin-scope API key see the connection serving its account only, and change none', async () => {
    const { id } = (await as(adminToken).post('/brokers', connection('for-key'))).body as { id: string };
    await as(adminToken).post('/accounts', { name: 'keyed', broker: id });
    const key = (await as(adminToken).post('/accounts/keyed/keys', { scopes: ['admin'] })).body.key as string;
    const paperKey = (await as(adminToken).post('/accounts/default/keys', { scopes: ['admin'] })).body.key as string;

    expect(items(await withKey(key).get('/brokers')).map((c) => c.name)).toEqual(['for-key']);
    expect(items(await withKey(paperKey).get('/brokers'))).toEqual([]);
    expect((await withKey(paperKey).get('/brokers/for-key')).status).toBe(404);
    const needsLogin = {
      status: 'error',
      code: 'forbidden',
      message: 'This needs a login session (Authorization: Bearer); an API key acts on its own account only',
    };
    expect((await withKey(key).post('/brokers', connection('by-key'))).body).toEqual(needsLogin);
    expect((await withKey(key).put('/accounts/keyed/broker', { broker: 'paper' })).body).toEqual(needsLogin);
    expect((await h.gateway.store.accounts.findByName((await h.gateway.store.users.findByUsername('admin'))!.id, 'keyed'))?.broker).toBe(id);
  });

  it('answers junk ids and bodies with 4xx, never a 5xx', async () => {
    for (const ref of ['%00', '..%2F..%2Fetc', 'a'.repeat(300), '%E0%A4', '%27%3B%20DROP%20TABLE%20accounts']) {
      for (const answer of [
        await as(adminToken).get(`/brokers/${ref}`),
        await as(adminToken).delete(`/brokers/${ref}`),
        await as(adminToken).put(`/accounts/${ref}/broker`, { broker: 'paper' }),
        await as(adminToken).put('/accounts/default/broker', { broker: decodeURIComponent(ref.replace('%E0%A4', '')) }),
      ]) {
        expect(answer.status).toBeGreaterThanOrEqual(400);
        expect(answer.status).toBeLessThan(500);
      }
    }
    for (const body of [null, [], 'text', {}, { broker: '' }, { broker: '\u0000' }, { broker: 'paper', extra: 1 }]) {
      expect((await as(adminToken).put('/accounts/default/broker', body)).status).toBe(400);
    }
  });

  it('never writes the key down: not in any answer, any file of the data folder or the database, nor the log', async () => {
    await h.gateway.traffic.settle();
    const everything = [...answers, ...logLines].join('\n');
    expect(logLines.length).toBeGreaterThan(0);
    expect(everything).not.toContain(UPSTREAM_KEY);
    expect(everything).not.toContain(UPSTREAM_KEY.slice(0, 32));
    for (const file of fs.readdirSync(h.dataDir)) {
      expect(fs.readFileSync(path.join(h.dataDir, file)).includes(UPSTREAM_KEY), file).toBe(false);
    }
    if (h.gateway.store.engine === 'postgres') {
      const tables = await storedRows(h, "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()");
      for (const { table_name: table } of tables) {
        const rows = await storedRows(h, `SELECT row_to_json(t)::text AS row FROM "${String(table)}" t`);
        expect(JSON.stringify(rows).includes(UPSTREAM_KEY), String(table)).toBe(false);
      }
    }
  });
});

describe('ORDERGATE_CREDENTIALS_KEY', () => {
  it('seals with that key instead of the pepper, so gateways sharing the database but no data folder agree', async () => {
    const other = await startGateway({ env: { ORDERGATE_CREDENTIALS_KEY: ENV_CREDENTIALS_KEY } });
    try {
      const token = (await login(other.url)).access_token;
      const created = await requestJson(other.url, 'POST', '/api/admin/brokers', { token, body: connection('clustered') });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const sealed = (await other.gateway.store.brokerConnections.get(id))!.sealedCredentials;
      expect(CredentialBox.fromKey(ENV_CREDENTIALS_KEY).open(sealed, id)).toBe(UPSTREAM_KEY);
      expect(() => CredentialBox.of(loadOrCreatePepper(other.dataDir)).open(sealed, id)).toThrow(/cannot be opened/);
    } finally {
      await other.close();
    }
  });
});
