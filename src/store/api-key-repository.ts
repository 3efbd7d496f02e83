// API keys, on SQLite or PostgreSQL (Kysely): only the key's prefix and its peppered digest are stored; lookups go by
// digest. Every write that changes which keys are active commits through `Changes`, so the key caches of this process
// and of the others sharing the database see it.
import crypto from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../domain/clock.js';
import type { Changes } from './change-signal.js';
import type { ApiKeysTable, Schema } from './schema.js';
import {
  isApiKeyScope,
  type ActiveApiKey,
  type ApiKeyInfo,
  type ApiKeyRepository,
  type ApiKeyScope,
  type NewApiKey,
} from './store.js';

type ApiKeyRow = Omit<Selectable<ApiKeysTable>, 'rowid'>;

type InfoRow = Omit<ApiKeyRow, 'digest'>;

const INFO_COLUMNS = ['id', 'account_id', 'prefix', 'scopes', 'created_at', 'revoked_at', 'last_used_at'] as const;

export class SqlApiKeyRepository implements ApiKeyRepository {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly clock: Clock,
    private readonly changes: Changes,
  ) {}

  async insert(key: NewApiKey): Promise<ApiKeyInfo> {
    const row = this.rowOf(key);
    await this.changes.commit(this.db, (trx) => trx.insertInto('api_keys').values(row).execute());
    return toInfo(row);
  }

  async findActiveByDigest(digest: string): Promise<ActiveApiKey | undefined> {
    const row = await this.db
      .selectFrom('api_keys')
      .select(['id', 'account_id', 'prefix', 'digest', 'scopes'])
      .where('digest', '=', digest)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      accountId: row.account_id,
      prefix: row.prefix,
      digest: row.digest,
      scopes: decodeScopes(row.scopes),
    };
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('api_keys')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return row.count;
  }

  async countActive(): Promise<number> {
    const row = await this.db
      .selectFrom('api_keys')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    return row.count;
  }

  async listByAccount(accountId: string): Promise<ApiKeyInfo[]> {
    const rows = await this.db
      .selectFrom('api_keys')
      .select(INFO_COLUMNS)
      .where('account_id', '=', accountId)
      .orderBy('created_at')
      .orderBy('rowid')
      .execute();
    return rows.map(toInfo);
  }

  revokeByPrefix(prefix: string, accountId?: string): Promise<number> {
    const now = this.clock.now();
    return this.changes.commit(this.db, async (trx) => {
      let update = trx
        .updateTable('api_keys')
        .set({ revoked_at: now })
        .where('prefix', '=', prefix)
        .where('revoked_at', 'is', null);
      if (accountId !== undefined) update = update.where('account_id', '=', accountId);
      const result = await update.executeTakeFirst();
      return Number(result.numUpdatedRows);
    });
  }

  revokeById(id: string): Promise<boolean> {
    const now = this.clock.now();
    return this.changes.commit(this.db, async (trx) => {
      const result = await trx
        .updateTable('api_keys')
        .set({ revoked_at: now })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    });
  }

  async findById(id: string): Promise<ApiKeyInfo | undefined> {
    const row = await this.db.selectFrom('api_keys').select(INFO_COLUMNS).where('id', '=', id).executeTakeFirst();
    return row && toInfo(row);
  }

  replace(id: string, next: Pick<NewApiKey, 'prefix' | 'digest'>): Promise<ApiKeyInfo | undefined> {
    const now = this.clock.now();
    return this.changes.commit(this.db, async (trx) => {
      // The revocation is the transaction's first statement and its own check that the key is active: it takes the
      // write lock at once (SQLite) and, of two concurrent replaces of one key, lets only one through (PostgreSQL).
      const old = await trx
        .updateTable('api_keys')
        .set({ revoked_at: now })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .returning(['account_id', 'scopes'])
        .executeTakeFirst();
      if (!old) return undefined;
      const row = this.rowOf({ accountId: old.account_id, ...next, scopes: decodeScopes(old.scopes) });
      await trx.insertInto('api_keys').values(row).execute();
      return toInfo(row);
    });
  }

  async markUsed(id: string, at: number): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
  }

  /** Throws for a scope this version does not know. */
  private rowOf(key: NewApiKey): ApiKeyRow {
    return {
      id: crypto.randomUUID(),
      account_id: key.accountId,
      prefix: key.prefix,
      digest: key.digest,
      scopes: encodeScopes(key.scopes),
      created_at: this.clock.now(),
      revoked_at: null,
      last_used_at: null,
    };
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
