// Settings, on SQLite or PostgreSQL (Kysely): a key/value table for values that must survive restarts. Callers cache
// some of them (the analyzer switches), so every write commits through `Changes`, which tells those caches in this
// process and in the others sharing the database.
import { type Kysely, sql } from 'kysely';
import type { Changes } from './change-signal.js';
import type { Schema } from './schema.js';
import type { SettingsRepository } from './store.js';

export class SqlSettingsRepository implements SettingsRepository {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly changes: Changes,
  ) {}

  async get(key: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value;
  }

  async list(prefix: string): Promise<Array<{ key: string; value: string }>> {
    // A comparison of the key's head rather than LIKE: SQLite's LIKE ignores case and both treat `%` and `_` as
    // wildcards. Lengths count code points, as both engines' substr does.
    const rows = await this.db
      .selectFrom('settings')
      .select(['key', 'value'])
      .where(sql<string>`substr(key, 1, ${[...prefix].length})`, '=', prefix)
      .execute();
    // Sorted here, by code unit: the engines' text collations differ (PostgreSQL's follows the database's locale).
    return rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  set(key: string, value: string): Promise<void> {
    return this.changes.commit(this.db, async (trx) => {
      await trx
        .insertInto('settings')
        .values({ key, value })
        .onConflict((conflict) => conflict.column('key').doUpdateSet({ value: (eb) => eb.ref('excluded.value') }))
        .execute();
    });
  }

  delete(key: string): Promise<void> {
    return this.changes.commit(this.db, async (trx) => {
      await trx.deleteFrom('settings').where('key', '=', key).execute();
    });
  }
}
