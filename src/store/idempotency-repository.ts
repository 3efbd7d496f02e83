// Idempotency keys over SQLite: the first answer to each (account, key), replayed to retries.
import type { Database } from './database.js';
import type { IdempotencyRepository, StoredResponse } from './store.js';

interface Row {
  fingerprint: string;
  status_code: number;
  body: string;
}

export class SqliteIdempotencyRepository implements IdempotencyRepository {
  private readonly selectOne;
  private readonly insertOne;
  private readonly deleteOld;

  constructor(db: Database) {
    this.selectOne = db.prepare<[string, string], Row>(
      'SELECT fingerprint, status_code, body FROM idempotency_keys WHERE account_id = ? AND key = ?',
    );
    // The first answer wins: a later save for the same key (a race across processes) changes nothing.
    this.insertOne = db.prepare<[string, string, string, number, string, number]>(
      `INSERT INTO idempotency_keys (account_id, key, fingerprint, status_code, body, created_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (account_id, key) DO NOTHING`,
    );
    this.deleteOld = db.prepare<[number]>('DELETE FROM idempotency_keys WHERE created_at < ?');
  }

  find(accountId: string, key: string): StoredResponse | undefined {
    const row = this.selectOne.get(accountId, key);
    return row && { fingerprint: row.fingerprint, statusCode: row.status_code, body: row.body };
  }

  save(accountId: string, key: string, response: StoredResponse, at: number): void {
    this.insertOne.run(accountId, key, response.fingerprint, response.statusCode, response.body, at);
  }

  purgeBefore(before: number): number {
    return this.deleteOld.run(before).changes;
  }
}
