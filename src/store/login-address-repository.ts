// Login addresses, on SQLite or PostgreSQL (Kysely): one row per (user, address), its time the last successful login
// from there.
import type { Kysely } from 'kysely';
import type { Schema } from './schema.js';
import type { LoginAddressRepository } from './store.js';

export class SqlLoginAddressRepository implements LoginAddressRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async remember(userId: string, address: string, at: number, keep: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('login_addresses')
        .values({ user_id: userId, address, last_login_at: at })
        .onConflict((conflict) =>
          conflict.columns(['user_id', 'address']).doUpdateSet({ last_login_at: (eb) => eb.ref('excluded.last_login_at') }),
        )
        .execute();
      await trx
        .deleteFrom('login_addresses')
        .where('user_id', '=', userId)
        .where('address', 'not in', (eb) =>
          eb
            .selectFrom('login_addresses')
            .select('address')
            .where('user_id', '=', userId)
            .orderBy('last_login_at', 'desc')
            .orderBy('address')
            .limit(keep),
        )
        .execute();
    });
  }

  async lastLoginAt(userId: string, address: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('login_addresses')
      .select('last_login_at')
      .where('user_id', '=', userId)
      .where('address', '=', address)
      .executeTakeFirst();
    return row?.last_login_at;
  }
}
