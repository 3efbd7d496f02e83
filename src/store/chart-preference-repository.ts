// Chart preferences (the v1 /chart), on SQLite or PostgreSQL (Kysely): per account, key → the JSON text of a value.
import type { Kysely } from 'kysely';
import type { Clock } from '../domain/clock.js';
import type { Schema } from './schema.js';
import type { ChartPreferenceRepository } from './store.js';

export class SqlChartPreferenceRepository implements ChartPreferenceRepository {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly clock: Clock,
  ) {}

  async list(accountId: string): Promise<Array<{ key: string; value: string }>> {
    const rows = await this.db.selectFrom('chart_preferences').select(['key', 'value']).where('account_id', '=', accountId).execute();
    // Sorted here, by code unit: the engines' text collations differ.
    return rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async save(accountId: string, entries: ReadonlyArray<{ key: string; value: string }>): Promise<void> {
    if (entries.length === 0) return;
    const updatedAt = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      for (const { key, value } of entries) {
        await trx
          .insertInto('chart_preferences')
          .values({ account_id: accountId, key, value, updated_at: updatedAt })
          .onConflict((conflict) =>
            conflict.columns(['account_id', 'key']).doUpdateSet({ value: (eb) => eb.ref('excluded.value'), updated_at: updatedAt }),
          )
          .execute();
      }
    });
  }
}
