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
import { useTempDirs } from '../store/temp-dir.js';

const tempDir = useTempDirs();
const open: SqliteStore[] = [];
afterEach(() => {
  for (const store of open.splice(0)) if (store.db.open) store.close();
});

function world() {
  const dataDir = tempDir();
  const store = createSqliteStore(path.join(dataDir, 'ordergate.db'));
  open.push(store);
  const pepper = loadOrCreatePepper(dataDir);
  const user = store.users.create('alice');
  const account = store.accounts.create('main', user.id);
  return { dataDir, store, pepper, account, verifier: new ApiKeyVerifier(pepper, store.apiKeys) };
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
  it('verifies an issued key as its account and scopes', () => {
    const { store, pepper, account, verifier } = world();
    const issued = issueApiKey(pepper, store.apiKeys, account.id, ['read', 'trade']);
    expect(issued.key).toMatch(/^[0-9a-f]{64}$/);
    expect(issued.prefix).toBe(issued.key.slice(0, 8));
    expect(verifier.verify(issued.key)).toEqual({ keyId: issued.id, accountId: account.id, scopes: ['read', 'trade'] });
  });

  it('rejects the key with any one character changed', () => {
    const { store, pepper, account, verifier } = world();
    const { key } = issueApiKey(pepper, store.apiKeys, account.id, ['read']);
    for (const at of [0, 31, 63]) expect(verifier.verify(changeOneChar(key, at))).toBeUndefined();
  });

  it('rejects a revoked key', () => {
    const { store, pepper, account, verifier } = world();
    const { key, prefix } = issueApiKey(pepper, store.apiKeys, account.id, ['read']);
    expect(store.apiKeys.revokeByPrefix(prefix)).toBe(1);
    expect(verifier.verify(key)).toBeUndefined();
  });

  it('rejects malformed input without throwing', () => {
    const { verifier } = world();
    for (const input of ['', 'short', 'z'.repeat(64), 'a'.repeat(65), `${'a'.repeat(64)}\n`]) {
      expect(verifier.verify(input)).toBeUndefined();
    }
    expect(verifier.verify(undefined as unknown as string)).toBeUndefined();
    expect(verifier.verify(42 as unknown as string)).toBeUndefined();
  });

  it('rejects a valid key under another pepper', () => {
    const { store, pepper, account } = world();
    const { key } = issueApiKey(pepper, store.apiKeys, account.id, ['read']);
    const otherPepper = loadOrCreatePepper(tempDir());
    expect(new ApiKeyVerifier(otherPepper, store.apiKeys).verify(key)).toBeUndefined();
  });

  it('issues a preset key lower-cased, and refuses a malformed one without echoing it', () => {
    const { store, pepper, account, verifier } = world();
    const preset = 'ABCDEF0123456789'.repeat(4);
    const issued = issueApiKey(pepper, store.apiKeys, account.id, ['admin'], preset);
    expect(issued.key).toBe(preset.toLowerCase());
    expect(issued.prefix).toBe('abcdef01');
    expect(verifier.verify(preset.toLowerCase())?.scopes).toEqual(['admin']);
    expect(verifier.verify(preset)?.keyId).toBe(issued.id);

    const bad = 'secret-bootstrap-value';
    expect(() => issueApiKey(pepper, store.apiKeys, account.id, ['admin'], bad)).toThrow(RangeError);
    try {
      issueApiKey(pepper, store.apiKeys, account.id, ['admin'], bad);
    } catch (error) {
      expect(String(error)).not.toContain(bad);
    }
    expect(store.apiKeys.count()).toBe(1);
  });

  it('stores only the prefix and the digest, never the key', () => {
    const { dataDir, store, pepper, account } = world();
    const { key, prefix } = issueApiKey(pepper, store.apiKeys, account.id, ['read', 'trade']);
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
    store.close(); // checkpoints the WAL into the main file
    expect(fs.readFileSync(path.join(dataDir, 'ordergate.db')).includes(apiKeyDigest(pepper, key))).toBe(true);
    expectKeyAbsentFromFiles();
  });
});

describe('ApiKeyVerifier remembering keys', () => {
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

  it('answers a remembered key without a lookup, and forgets it at once when this process revokes it', () => {
    const { store, pepper, account, verifier } = world();
    const { key, prefix } = issueApiKey(pepper, store.apiKeys, account.id, ['read']);
    expect(verifier.verify(key)?.accountId).toBe(account.id);
    const lookups = { count: 0 };
    const original = store.apiKeys.findActiveByDigest.bind(store.apiKeys);
    store.apiKeys.findActiveByDigest = (digest) => {
      lookups.count += 1;
      return original(digest);
    };
    expect(verifier.verify(key)?.accountId).toBe(account.id);
    expect(lookups.count).toBe(0);
    store.apiKeys.revokeByPrefix(prefix);
    expect(verifier.verify(key)).toBeUndefined();
    expect(lookups.count).toBe(1);
  });

  it("sees another connection's revocation (the CLI) from the next turn of the event loop", async () => {
    const { dataDir, store, pepper, account, verifier } = world();
    const { key, prefix } = issueApiKey(pepper, store.apiKeys, account.id, ['read']);
    expect(verifier.verify(key)).toBeDefined();
    const cli = createSqliteStore(path.join(dataDir, 'ordergate.db'));
    open.push(cli);
    expect(cli.apiKeys.revokeByPrefix(prefix)).toBe(1);
    await nextTurn();
    expect(verifier.verify(key)).toBeUndefined();
  });

  it("sees a key another connection issued at once (unknown keys are never remembered)", () => {
    const { dataDir, store, pepper, account, verifier } = world();
    const cli = createSqliteStore(path.join(dataDir, 'ordergate.db'));
    open.push(cli);
    expect(verifier.verify(generateApiKey())).toBeUndefined();
    const { key } = issueApiKey(pepper, cli.apiKeys, account.id, ['trade']);
    expect(verifier.verify(key)?.scopes).toEqual(['trade']);
    expect(store.apiKeys.count()).toBe(1);
  });
});
