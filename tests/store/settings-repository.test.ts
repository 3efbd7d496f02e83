import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/store/database.js';
import { SqliteSettingsRepository } from '../../src/store/settings-repository.js';

const open: Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function repository(): SqliteSettingsRepository {
  const db = openDatabase(':memory:');
  open.push(db);
  return new SqliteSettingsRepository(db);
}

describe('SqliteSettingsRepository', () => {
  it('sets, overwrites, reads and deletes a value', () => {
    const settings = repository();
    expect(settings.get('analyzer')).toBeUndefined();
    settings.set('analyzer', 'off');
    settings.set('analyzer', 'on');
    expect(settings.get('analyzer')).toBe('on');
    settings.delete('analyzer');
    expect(settings.get('analyzer')).toBeUndefined();
  });
});
