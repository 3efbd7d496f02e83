// API keys over SQLite: only the key's prefix and its peppered digest are stored; lookups go by digest.
import crypto from 'node:crypto';
import { systemClock, type Clock } from '../domain/clock.js';
import type { Database } from './database.js';
import {
  isApiKeyScope,
  type ActiveApiKey,
  type ApiKeyInfo,
  type ApiKeyRepository,
  type ApiKeyScope,
  type NewApiKey,
} from './store.js';

interface ApiKeyRow {
  id: string;
  account_id: string;
  prefix: string;
  digest: string;
  scopes: string;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

type InfoRow = Omit<ApiKeyRow, 'digest'>;
type ActiveRow = Pick<ApiKeyRow, 'id' | 'account_id' | 'prefix' | 'digest' | 'scopes'>;

const INFO_COLUMNS = 'id, account_id, prefix, scopes, created_at, revoked_at, last_used_at';

export class SqliteApiKeyRepository implements ApiKeyRepository {
  private readonly insertKey;
  private readonly selectActiveByDigest;
  private readonly countAll;
  private readonly countActiveKeys;
  private readonly selectByAccount;
  private readonly revokePrefix;
  private readonly revokePrefixOfAccount;
  private readonly revokeId;
  private readonly updateLastUsed;
  private readonly selectById;
  private readonly replaceKey;
  private readonly dataVersion;
  /** Writes through this repository: SQLite's data_version counts only other connections' commits. */
  private localWrites = 0;

  constructor(
    db: Database,
    private readonly clock: Clock = systemClock,
  ) {
    this.insertKey = db.prepare<[ApiKeyRow]>(
      `INSERT INTO api_keys (id, account_id, prefix, digest, scopes, created_at, revoked_at, last_used_at)
       VALUES (@id, @account_id, @prefix, @digest, @scopes, @created_at, @revoked_at, @last_used_at)`,
    );
    this.selectActiveByDigest = db.prepare<[string], ActiveRow>(
      'SELECT id, account_id, prefix, digest, scopes FROM api_keys WHERE digest = ? AND revoked_at IS NULL',
    );
    this.countAll = db.prepare<[], number>('SELECT COUNT(*) FROM api_keys').pluck();
    this.countActiveKeys = db.prepare<[], number>('SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL').pluck();
    this.selectByAccount = db.prepare<[string], InfoRow>(
      `SELECT ${INFO_COLUMNS} FROM api_keys WHERE account_id = ? ORDER BY created_at, rowid`,
    );
    this.revokePrefix = db.prepare<[number, string]>(
      'UPDATE api_keys SET revoked_at = ? WHERE prefix = ? AND revoked_at IS NULL',
    );
    this.revokePrefixOfAccount = db.prepare<[number, string, string]>(
      'UPDATE api_keys SET revoked_at = ? WHERE prefix = ? AND account_id = ? AND revoked_at IS NULL',
    );
    this.revokeId = db.prepare<[number, string]>(
      'UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
    );
    this.updateLastUsed = db.prepare<[number, string]>('UPDATE api_keys SET last_used_at = ? WHERE id = ?');
    this.dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
    this.selectById = db.prepare<[string], InfoRow>(`SELECT ${INFO_COLUMNS} FROM api_keys WHERE id = ?`);
    this.replaceKey = db.transaction((id: string, next: Pick<NewApiKey, 'prefix' | 'digest'>): ApiKeyInfo | undefined => {
      const old = this.selectById.get(id);
      if (!old || old.revoked_at !== null || !this.revokeById(id)) return undefined;
      return this.insert({ accountId: old.account_id, prefix: next.prefix, digest: next.digest, scopes: decodeScopes(old.scopes) });
    });
  }

  insert(key: NewApiKey): ApiKeyInfo {
    this.localWrites += 1;
    const row: ApiKeyRow = {
      id: crypto.randomUUID(),
      account_id: key.accountId,
      prefix: key.prefix,
      digest: key.digest,
      scopes: encodeScopes(key.scopes),
      created_at: this.clock.now(),
      revoked_at: null,
      last_used_at: null,
    };
    this.insertKey.run(row);
    return toInfo(row);
  }

  findActiveByDigest(digest: string): ActiveApiKey | undefined {
    const row = this.selectActiveByDigest.get(digest);
    if (!row) return undefined;
    return {
      id: row.id,
      accountId: row.account_id,
      prefix: row.prefix,
      digest: row.digest,
      scopes: decodeScopes(row.scopes),
    };
  }

  count(): number {
    return this.countAll.get() ?? 0;
  }

  countActive(): number {
    return this.countActiveKeys.get() ?? 0;
  }

  listByAccount(accountId: string): ApiKeyInfo[] {
    return this.selectByAccount.all(accountId).map(toInfo);
  }

  revokeByPrefix(prefix: string, accountId?: string): number {
    this.localWrites += 1;
    const now = this.clock.now();
    const result =
      accountId === undefined
        ? this.revokePrefix.run(now, prefix)
        : this.revokePrefixOfAccount.run(now, prefix, accountId);
    return result.changes;
  }

  revokeById(id: string): boolean {
    this.localWrites += 1;
    return this.revokeId.run(this.clock.now(), id).changes > 0;
  }

  findById(id: string): ApiKeyInfo | undefined {
    const row = this.selectById.get(id);
    return row && toInfo(row);
  }

  replace(id: string, next: Pick<NewApiKey, 'prefix' | 'digest'>): ApiKeyInfo | undefined {
    this.localWrites += 1;
    return this.replaceKey.immediate(id, next);
  }

  localChanges(): number {
    return this.localWrites;
  }

  externalChanges(): number {
    return this.dataVersion.get() ?? 0;
  }

  markUsed(id: string, at: number): void {
    this.updateLastUsed.run(at, id);
  }
}

function encodeScopes(scopes: readonly ApiKeyScope[]): string {
  for (const scope of scopes) {
    if (!isApiKeyScope(scope)) throw new RangeError(`unknown API key scope: ${String(scope)}`);
  }
  return [...new Set(scopes)].join(',');
}

// Scopes this version does not know are dropped: a key never gains a permission by being misread.
function decodeScopes(text: string): ApiKeyScope[] {
  return text.split(',').filter(isApiKeyScope);
}

function toInfo(row: InfoRow): ApiKeyInfo {
  return {
    id: row.id,
    accountId: row.account_id,
    prefix: row.prefix,
    scopes: decodeScopes(row.scopes),
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}
