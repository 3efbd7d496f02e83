// API keys (DESIGN §5): 32 random bytes shown once as 64 hex; stored only as HMAC-SHA256(pepper, key) and an
// 8-character prefix; looked up by that digest and compared in constant time. Keys never reach a log line.
import crypto from 'node:crypto';
import type { ApiKeyInfo, ApiKeyRepository, ApiKeyScope, ChangeSignal } from '../store/store.js';

export const API_KEY_BYTES = 32;
export const API_KEY_PREFIX_LENGTH = 8;
const API_KEY_PATTERN = /^[0-9a-fA-F]{64}$/;

/** The identity a valid key grants. */
export interface VerifiedApiKey {
  keyId: string;
  accountId: string;
  scopes: ApiKeyScope[];
}

/** A freshly issued key: `key` is the only copy and must be shown to the user once. */
export interface IssuedApiKey {
  key: string;
  prefix: string;
  id: string;
}

export function generateApiKey(): string {
  return crypto.randomBytes(API_KEY_BYTES).toString('hex');
}

/** True for 64 hex characters (either case; keys are compared in lower case). */
export function isApiKeyFormat(value: string): boolean {
  return typeof value === 'string' && API_KEY_PATTERN.test(value);
}

/** Hex HMAC-SHA256 of the key under the pepper: deterministic per pepper, useless without it. */
export function apiKeyDigest(pepper: Buffer, key: string): string {
  return crypto.createHmac('sha256', pepper).update(key, 'utf8').digest('hex');
}

/**
 * Stores a new key for the account and returns it. `presetKey` (64 hex, e.g. ORDERGATE_BOOTSTRAP_API_KEY) is used
 * instead of a random key; it is lower-cased. Throws RangeError for a malformed preset (without echoing it), and
 * rejects with the repository's error when that key is already stored.
 */
export async function issueApiKey(
  pepper: Buffer,
  repo: ApiKeyRepository,
  accountId: string,
  scopes: readonly ApiKeyScope[],
  presetKey?: string,
): Promise<IssuedApiKey> {
  if (presetKey !== undefined && !isApiKeyFormat(presetKey)) {
    throw new RangeError(`a preset API key must be ${API_KEY_BYTES * 2} hex characters`);
  }
  const key = presetKey?.toLowerCase() ?? generateApiKey();
  const prefix = key.slice(0, API_KEY_PREFIX_LENGTH);
  const stored = await repo.insert({ accountId, prefix, digest: apiKeyDigest(pepper, key), scopes });
  return { key, prefix, id: stored.id };
}

/** Issues and rotates the keys of accounts (the admin API's side of `issueApiKey`). */
export class ApiKeyIssuer {
  constructor(
    private readonly pepper: Buffer,
    private readonly keys: ApiKeyRepository,
  ) {}

  async issue(accountId: string, scopes: readonly ApiKeyScope[]): Promise<IssuedApiKey & { info: ApiKeyInfo }> {
    const key = generateApiKey();
    const info = await this.keys.insert({ accountId, ...this.stored(key), scopes });
    return { key, prefix: info.prefix, id: info.id, info };
  }

  /**
   * Replaces an active key by a new one with the same account and scopes, in one commit: from the answer on, the old
   * key is refused and the new one works. Undefined when the key is not active.
   */
  async rotate(keyId: string): Promise<(IssuedApiKey & { info: ApiKeyInfo }) | undefined> {
    const key = generateApiKey();
    const info = await this.keys.replace(keyId, this.stored(key));
    return info && { key, prefix: info.prefix, id: info.id, info };
  }

  private stored(key: string) {
    return { prefix: key.slice(0, API_KEY_PREFIX_LENGTH), digest: apiKeyDigest(this.pepper, key) };
  }
}

/** Keys remembered by the verifier; beyond this many, it starts afresh (a bound, not a policy). */
const REMEMBERED_KEYS = 10_000;

/**
 * Checks presented keys against the store. Verified keys are remembered in memory by their SHA-256: one native call,
 * a sixth of the peppered HMAC's cost (a key is 256 random bits, so its plain hash reveals nothing, and a lookup's
 * timing says nothing without a preimage). A remembered key costs no HMAC and no database read; an unknown one costs
 * both. Any key change forgets them all, as soon as the store's change signal moves: a change made through this
 * process at once; on SQLite, one committed by another process (the CLI) from the next turn of the event loop, when
 * the file's data_version is read again; on PostgreSQL, one committed by another gateway or the CLI once its NOTIFY
 * arrives. A revocation therefore counts for every request that arrives after it was committed (and, on PostgreSQL,
 * notified). A lookup that was under way while the signal moved is answered but not remembered: what it read may be
 * from before the change.
 */
export class ApiKeyVerifier {
  /** Verified keys by the SHA-256 of their lower-case text. */
  private readonly known = new Map<string, VerifiedApiKey>();
  /** The change signal's version the remembered keys were verified at. */
  private seen: number | undefined;

  constructor(
    private readonly pepper: Buffer,
    private readonly keys: Pick<ApiKeyRepository, 'findActiveByDigest'>,
    private readonly changes: ChangeSignal,
  ) {}

  /** The key's identity, or undefined for a malformed, unknown or revoked key. Store failures reject. */
  async verify(key: string): Promise<VerifiedApiKey | undefined> {
    if (!isApiKeyFormat(key)) return undefined;
    const normalized = key.toLowerCase();
    const memo = crypto.hash('sha256', normalized, 'base64');
    const version = this.forgetIfChanged();
    const remembered = this.known.get(memo);
    if (remembered) return remembered;
    const digest = apiKeyDigest(this.pepper, normalized);
    const found = await this.keys.findActiveByDigest(digest);
    if (!found) return undefined;
    const expected = Buffer.from(digest, 'hex');
    const actual = Buffer.from(found.digest, 'hex');
    if (actual.length !== expected.length || !crypto.timingSafeEqual(actual, expected)) return undefined;
    const verified = { keyId: found.id, accountId: found.accountId, scopes: found.scopes };
    if (this.forgetIfChanged() === version) {
      if (this.known.size >= REMEMBERED_KEYS) this.known.clear();
      this.known.set(memo, verified);
    }
    return verified;
  }

  /** Forgets every remembered key when the change signal moved since they were verified; returns its version. */
  private forgetIfChanged(): number {
    const version = this.changes.version();
    if (version !== this.seen) {
      this.seen = version;
      this.known.clear();
    }
    return version;
  }
}
