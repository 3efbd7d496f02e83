// Idempotency keys, on SQLite or PostgreSQL (Kysely): the first answer to each (account, key), replayed to retries.
import type { Kysely } from 'kysely';
import type { Schema } from './schema.js';
import type { IdempotencyRepository, StoredResponse } from './store.js';

export class SqlIdempotencyRepository implements IdempotencyRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async find(accountId: string, key: string): Promise<StoredResponse | undefined> {
    const row = await this.db
      .selectFrom('idempotency_keys')
      .select(['fingerprint', 'status_code', 'body'])
      .where('account_id', '=', accountId)
      .where('key', '=', key)
      .executeTakeFirst();
    return row && { fingerprint: row.fingerprint, statusCode: row.status_code, body: row.body };
  }

  async save(accountId: string, key: string, response: StoredResponse, at: number): Promise<void> {
    // The first answer wins: a later save for the same key (a race across processes) changes nothing.
    await this.db
      .insertInto('idempotency_keys')
      .values({
        account_id: accountId,
        key,
        fingerprint: response.fingerprint,
        status_code: response.statusCode,
        body: response.body,
        created_at: at,
      })
      .onConflict((conflict) => conflict.columns(['account_id', 'key']).doNothing())
      .execute();
  }

  async purgeBefore(before: number): Promise<number> {
    const result = await this.db.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
