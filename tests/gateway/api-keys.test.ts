import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  apiKeyDigest,
  ApiKeyVerifier,
  generateApiKey,
  isApiKeyFormat,
  issueApiKey,
} from '../../src/gateway/api-keys.js';
import { loadOrCreatePepper } from '../../src/gateway/pepper.js';
import { createSqliteStore, type SqliteStore } from '../../src/store/sqlite-store.js';
import type { ActiveApiKey } from '../../src/store/store.js';
import { useTempDirs } from '../store/temp-dir.js';

const tempDir = useTempDirs();
const open: SqliteStore[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) if (store.db.open) await store.close();
});

async function world() {
  const dataDir = tempDir();
  const store = createSqliteStore(path.join(dataDir, 'ordergate.db'));
  open.push(store);
  const pepper = loadOrCreatePepper(dataDir);
  const user = await store.users.create('alice');
  const account = await store.accounts.create('main', user.id);
  return { dataDir, store, pepper, account, verifier: new ApiKeyVerifier(pepper, store.apiKeys, store.changes) };
}

/** The key with one character replaced by a different hex digit. */
function changeOneChar(key: string, at: number): string {
  const replacement = key[at] === '0' ? '1' : '0';
  return key.slice(0, at) + replacement + key.slice(at + 1);
}

describe('API key format', () => {
  it('generates 64 lowercase hex characters, different every time', () => {
    const key = generateApiKey();
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(generateApiKey()).not.toBe(key);
  });

  it('accepts exactly 64 hex characters', () => {
    expect(isApiKeyFormat('a'.repeat(64))).toBe(true);
    expect(isApiKeyFormat('A'.repeat(64))).toBe(true);
    expect(isApiKeyFormat('a'.repeat(63))).toBe(false);
    expect(isApiKeyFormat('a'.repeat(65))).toBe(false);
    expect(isApiKeyFormat(`${'a'.repeat(63)}g`)).toBe(false);
    expect(isApiKeyFormat(` ${'a'.repeat(64)}`)).toBe(false);
    expect(isApiKeyFormat('')).toBe(false);
  });
});

describe('apiKeyDigest', () => {
  it('is HMAC-SHA256 hex, the same for the same pepper and different under another pepper', () => {
    const key = generateApiKey();
    const pepper = Buffer.alloc(32, 1);
    const digest = apiKeyDigest(pepper, key);
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(apiKeyDigest(Buffer.alloc(32, 1), key)).toBe(digest);
    expect(apiKeyDigest(Buffer.alloc(32, 2), key)).not.toBe(digest);
  });

  it('matches a known HMAC-SHA256 vector', () => {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    expect(apiKeyDigest(Buffer.from('Jefe'), 'what do ya want for nothing?')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });
});

describe('issueApiKey and ApiKeyVerifier', () => {
  it('verifies an issued key as its account and scopes', async () => {
    const { store, pepper, account, verifier } = await world();
    const issued = await issueApiKey(pepper, store.apiKeys, account.id, ['read', 'trade']);
    expect(issued.key).toMatch(/^[0-9a-f]{64}$/);
    expect(issued.prefix).toBe(issued.key.slice(0, 8));
    expect(await verifier.verify(issued.key)).toEqual({ keyId: issued.id, accountId: account.id, scopes: ['read', 'trade'] });
  });

  it('rejects the key with any one character changed', async () => {
    const { store, pepper, account, verifier } = await world();
    const { key } = await issueApiKey(pepper, store.apiKeys, account.id, ['read']);
    for (const at of [0, 31, 63]) expect(await verifier.verify(changeOneChar(key, at))).toBeUndefined();
  });

  it('rejects a revoked key', async () => {
    const { store, pepper, account, verifier } = await world();
    const { key, prefix } = await issueApiKey(pepper, store.apiKeys, account.id, ['read']);
    expect(await store.apiKeys.revokeByPrefix(prefix)).toBe(1);
    expect(await verifier.verify(key)).toBeUndefined();
  });

  it('rejects malformed input without throwing', async () => {
    const { verifier } = await world();
    for (const input of ['', 'short', 'z'.repeat(64), 'a'.repeat(65), `${'a'.repeat(64)}\n`]) {
      expect(await verifier.verify(input)).toBeUndefined();
    }
    expect(await verifier.verify(undefined as unknown as string)).toBeUndefined();
    expect(await verifier.verify(42 as unknown as string)).toBeUndefined();
  });

  it('rejects a valid key under another pepper', async () => {
    const { store, pepper, account } = await world();
    const { key } = await issueApiKey(pepper, store.apiKeys, account.id, ['read']);
    const otherPepper = loadOrCreatePepper(tempDir());
    expect(await new ApiKeyVerifier(otherPepper, store.apiKeys, store.changes).verify(key)).toBeUndefined();
  });

  it('issues a preset key lower-cased, and refuses a malformed one without echoing it', async () => {
    const { store, pepper, account, verifier } = await world();
    const preset = 'ABCDEF0123456789'.repeat(4);
    const issued = await issueApiKey(pepper, store.apiKeys, account.id, ['admin'], preset);
    expect(issued.key).toBe(preset.toLowerCase());
    expect(issued.prefix).toBe('abcdef01');
    expect((await verifier.verify(preset.toLowerCase()))?.scopes).toEqual(['admin']);
    expect((await verifier.verify(preset))?.keyId).toBe(issued.id);

    const bad = 'secret-bootstrap-value';
    await expect(issueApiKey(pepper, store.apiKeys, account.id, ['admin'], bad)).rejects.toThrow(RangeError);
    try {
      await issueApiKey(pepper, store.apiKeys, account.id, ['admin'], bad);
    } catch (error) {
      expect(String(error)).not.toContain(bad);
    }
    expect(await store.apiKeys.count()).toBe(1);
  });

  it('stores only the prefix and the digest, never the key', async () => {
    const { dataDir, store, pepper, account } = await world();
    const { key, prefix } = await issueApiKey(pepper, store.apiKeys, account.id, ['read', 'trade']);
    const row = store.db.prepare('SELECT prefix, digest FROM api_keys').get();
    expect(row).toEqual({ prefix, digest: apiKeyDigest(pepper, key) });

    const expectKeyAbsentFromFiles = (): void => {
      for (const file of fs.readdirSync(dataDir)) {
        const bytes = fs.readFileSync(path.join(dataDir, file));
        expect(bytes.includes(key), file).toBe(false);
        expect(bytes.includes(key.slice(8)), file).toBe(false);
        expect(bytes.includes(Buffer.from(key, 'hex')), file).toBe(false);
      }
    };
    // While open the row sits in the WAL; the search does find what was written there.
    expect(fs.readFileSync(path.join(dataDir, 'ordergate.db-wal')).includes(prefix)).toBe(true);
    expectKeyAbsentFromFiles();
    await store.close(); // checkpoints the WAL into the main file
    expect(fs.readFileSync(path.join(dataDir, 'ordergate.db')).includes(apiKeyDigest(pepper, key))).toBe(true);
    expectKeyAbsentFromFiles();
  });
});

describe('ApiKeyVerifier remembering keys', () => {
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

  it('answers a remembered key without a lookup, and forgets it at once when this process revokes it', async () => {
    const { store, pepper, account, verifier } = await world();
    const { key, prefix } = await issueApiKey(pepper, store.apiKeys, account.id, ['read']);
    expect((await verifier.verify(key))?.accountId).toBe(account.id);
    const lookups = { count: 0 };
    const original = store.apiKeys.findActiveByDigest.bind(store.apiKeys);
    store.apiKeys.findActiveByDigest = async (digest) => {
      lookups.count += 1;
      return original(digest);
    };
    expect((await verifier.verify(key))?.accountId).toBe(account.id);
    expect(lookups.count).toBe(0);
    await store.apiKeys.revokeByPrefix(prefix);
    expect(await verifier.verify(key)).toBeUndefined();
    expect(lookups.count).toBe(1);
  });

  it("sees another connection's revocation (the CLI) from the next turn of the event loop", async () => {
    const { dataDir, store, pepper, account, verifier } = await world();
    const { key, prefix } = await issueApiKey(pepper, store.apiKeys, account.id, ['read']);
    expect(await verifier.verify(key)).toBeDefined();
    const cli = createSqliteStore(path.join(dataDir, 'ordergate.db'));
    open.push(cli);
    expect(await cli.apiKeys.revokeByPrefix(prefix)).toBe(1);
    await nextTurn();
    expect(await verifier.verify(key)).toBeUndefined();
  });

  it("sees a key another connection issued at once (unknown keys are never remembered)", async () => {
    const { dataDir, store, pepper, account, verifier } = await world();
    const cli = createSqliteStore(path.join(dataDir, 'ordergate.db'));
    open.push(cli);
    expect(await verifier.verify(generateApiKey())).toBeUndefined();
    const { key } = await issueApiKey(pepper, cli.apiKeys, account.id, ['trade']);
    expect((await verifier.verify(key))?.scopes).toEqual(['trade']);
    expect(await store.apiKeys.count()).toBe(1);
  });
});

describe('ApiKeyVerifier and the change signal', () => {
  const pepper = Buffer.alloc(32, 7);

  /** A verifier over one stored key, a signal the test moves, and lookups the test may hold. */
  function signalled() {
    const key = generateApiKey();
    const digest = apiKeyDigest(pepper, key);
    const stored: ActiveApiKey = { id: 'k1', accountId: 'a1', prefix: key.slice(0, 8), digest, scopes: ['read'] };
    const state = { version: 0, lookups: 0, active: true, hold: undefined as Promise<void> | undefined };
    const keys = {
      findActiveByDigest: async (presented: string) => {
        state.lookups += 1;
        // What the database holds when the lookup reads, before it waits to be answered.
        const found = presented === digest && state.active ? stored : undefined;
        await state.hold;
        return found;
      },
    };
    const verifier = new ApiKeyVerifier(pepper, keys, { version: () => state.version });
    return { key, state, verifier };
  }

  it('forgets every remembered key once the signal moves', async () => {
    const { key, state, verifier } = signalled();
    await verifier.verify(key);
    await verifier.verify(key);
    expect(state.lookups).toBe(1);
    state.version += 1;
    await verifier.verify(key);
    expect(state.lookups).toBe(2);
  });

  it('answers a key whose lookup was under way while it was revoked, without remembering it', async () => {
    const { key, state, verifier } = signalled();
    let answer = () => {};
    state.hold = new Promise((resolve) => (answer = resolve));
    const verifying = verifier.verify(key);
    // The revocation commits while the lookup waits, and another request sees the signal move meanwhile.
    state.active = false;
    state.version += 1;
    const other = verifier.verify(generateApiKey());
    answer();
    expect(await other).toBeUndefined();
    expect(await verifying).toEqual({ keyId: 'k1', accountId: 'a1', scopes: ['read'] });
    expect(await verifier.verify(key)).toBeUndefined();
  });
});
