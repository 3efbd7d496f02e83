// SqlBacktestRunRepository and SqlUserStrategyRepository (store/backtest-repository.ts): runs kept whole per user and
// listed newest first without their large columns; uploaded strategies per user, replaced in place.
import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { SqlBacktestRunRepository, SqlUserStrategyRepository } from '../../src/store/backtest-repository.js';
import type { Schema } from '../../src/store/schema.js';
import type { BacktestRunRow } from '../../src/store/store.js';
import { useEngines } from './engines.js';

const engines = useEngines();

async function withUsers(db: Kysely<Schema>): Promise<Kysely<Schema>> {
  await db
    .insertInto('users')
    .values([
      { id: 'u-1', username: 'ana', password_hash: null, created_at: 1 },
      { id: 'u-2', username: 'ben', password_hash: null, created_at: 1 },
    ])
    .execute();
  return db;
}

function run(id: string, overrides: Partial<BacktestRunRow> = {}): BacktestRunRow {
  return {
    id,
    userId: 'u-1',
    strategy: 'sma_cross',
    fillModel: 'reference',
    params: '{"fast":10,"slow":20}',
    dataSource: '{"kind":"bundled","name":"GOOG"}',
    settings: '{"cash":10000}',
    statistics: '{"Return [%]":589.35}',
    equity: '[[1,10000]]',
    trades: '[]',
    fillReport: null,
    barCount: 2148,
    createdAt: 1_000,
    ...overrides,
  };
}

describe.each(engines)('backtest repositories on $name', (engine) => {
  it('keeps a run whole and shows it to its user only', async () => {
    const runs = new SqlBacktestRunRepository(await withUsers(await engine.open()));
    await runs.add(run('bt-1'));
    expect(await runs.get('u-1', 'bt-1')).toEqual(run('bt-1'));
    expect(await runs.get('u-2', 'bt-1')).toBeUndefined();
  });

  it('lists a user’s runs newest first, of one strategy or all, without equity and trades', async () => {
    const runs = new SqlBacktestRunRepository(await withUsers(await engine.open()));
    await runs.add(run('bt-1', { createdAt: 1_000 }));
    await runs.add(run('bt-2', { createdAt: 3_000, strategy: 'ema_cross' }));
    await runs.add(run('bt-3', { createdAt: 2_000 }));
    await runs.add(run('bt-4', { createdAt: 4_000, userId: 'u-2' }));
    const all = await runs.list('u-1', { limit: 10 });
    expect(all.map((r) => r.id)).toEqual(['bt-2', 'bt-3', 'bt-1']);
    expect(all[0]).not.toHaveProperty('equity');
    expect(all[0]).not.toHaveProperty('trades');
    expect((await runs.list('u-1', { strategy: 'sma_cross', limit: 1 })).map((r) => r.id)).toEqual(['bt-3']);
  });

  it('adds, replaces, lists and removes a user’s uploaded strategies', async () => {
    const strategies = new SqlUserStrategyRepository(await withUsers(await engine.open()));
    expect(await strategies.save('u-1', 'mine', 'v1', 1_000)).toBe(true);
    expect(await strategies.save('u-1', 'mine', 'v2', 2_000)).toBe(false);
    expect(await strategies.save('u-1', 'alpha', 'a', 3_000)).toBe(true);
    expect(await strategies.get('u-1', 'mine')).toEqual({ name: 'mine', source: 'v2', createdAt: 1_000, updatedAt: 2_000 });
    expect(await strategies.get('u-2', 'mine')).toBeUndefined();
    expect((await strategies.list('u-1')).map((s) => s.name)).toEqual(['alpha', 'mine']);
    expect(await strategies.remove('u-1', 'mine')).toBe(true);
    expect(await strategies.remove('u-1', 'mine')).toBe(false);
    expect(await strategies.list('u-2')).toEqual([]);
  });
});
