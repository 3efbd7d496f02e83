// Settings over SQLite: a key/value table for values that must survive restarts.
import type { Database } from './database.js';
import type { SettingsRepository } from './store.js';

export class SqliteSettingsRepository implements SettingsRepository {
  private readonly selectValue;
  private readonly upsertValue;
  private readonly deleteValue;

  constructor(db: Database) {
    this.selectValue = db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck();
    this.upsertValue = db.prepare<[string, string]>(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.deleteValue = db.prepare<[string]>('DELETE FROM settings WHERE key = ?');
  }

  get(key: string): string | undefined {
    return this.selectValue.get(key);
  }

  set(key: string, value: string): void {
    this.upsertValue.run(key, value);
  }

  delete(key: string): void {
    this.deleteValue.run(key);
  }
}
