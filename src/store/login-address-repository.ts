// Login addresses over SQLite: one row per (user, address), its time the last successful login from there.
import type { Database } from './database.js';
import type { LoginAddressRepository } from './store.js';

export class SqliteLoginAddressRepository implements LoginAddressRepository {
  private readonly upsert;
  private readonly trim;
  private readonly select;

  constructor(private readonly db: Database) {
    this.upsert = db.prepare<[string, string, number]>(
      `INSERT INTO login_addresses (user_id, address, last_login_at) VALUES (?, ?, ?)
       ON CONFLICT (user_id, address) DO UPDATE SET last_login_at = excluded.last_login_at`,
    );
    this.trim = db.prepare<[string, string, number]>(
      `DELETE FROM login_addresses WHERE user_id = ? AND address NOT IN (
         SELECT address FROM login_addresses WHERE user_id = ? ORDER BY last_login_at DESC, address LIMIT ?)`,
    );
    this.select = db
      .prepare<[string, string], number>('SELECT last_login_at FROM login_addresses WHERE user_id = ? AND address = ?')
      .pluck();
  }

  remember(userId: string, address: string, at: number, keep: number): void {
    this.db.transaction(() => {
      this.upsert.run(userId, address, at);
      this.trim.run(userId, userId, keep);
    })();
  }

  lastLoginAt(userId: string, address: string): number | undefined {
    return this.select.get(userId, address);
  }
}
