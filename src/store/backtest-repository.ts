// Backtest runs and uploaded strategies, on SQLite or PostgreSQL (Kysely). The JSON columns are kept as the core gives
// them; listing leaves out the two large ones (equity, trades).
import type { Kysely, Selectable } from 'kysely';
import type { BacktestRunsTable, Schema, UserStrategiesTable } from './schema.js';
import type {
  BacktestRunRepository,
  BacktestRunRow,
  BacktestRunSummaryRow,
  UserStrategyRepository,
  UserStrategyRow,
} from './store.js';

const SUMMARY_COLUMNS = [
  'id',
  'user_id',
  'strategy',
  'fill_model',
  'params',
  'data_source',
  'settings',
  'statistics',
  'fill_report',
  'bar_count',
  'created_at',
] as const;

export class SqlBacktestRunRepository implements BacktestRunRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async add(run: BacktestRunRow): Promise<void> {
    await this.db
      .insertInto('backtest_runs')
      .values({
        id: run.id,
        user_id: run.userId,
        strategy: run.strategy,
        fill_model: run.fillModel,
        params: run.params,
        data_source: run.dataSource,
        settings: run.settings,
        statistics: run.statistics,
        equity: run.equity,
        trades: run.trades,
        fill_report: run.fillReport,
        bar_count: run.barCount,
        created_at: run.createdAt,
      })
      .execute();
  }

  async get(userId: string, id: string): Promise<BacktestRunRow | undefined> {
    const row = await this.db
      .selectFrom('backtest_runs')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row && { ...summaryOf(row), equity: row.equity, trades: row.trades };
  }

  async list(userId: string, filter: { strategy?: string; limit: number }): Promise<BacktestRunSummaryRow[]> {
    let query = this.db.selectFrom('backtest_runs').select(SUMMARY_COLUMNS).where('user_id', '=', userId);
    if (filter.strategy !== undefined) query = query.where('strategy', '=', filter.strategy);
    // The id breaks ties between runs stored in the same millisecond; ids are time-ordered (core's newRunId).
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
    return rows.map(summaryOf);
  }
}

function summaryOf(row: Omit<Selectable<BacktestRunsTable>, 'equity' | 'trades'>): BacktestRunSummaryRow {
  return {
    id: row.id,
    userId: row.user_id,
    strategy: row.strategy,
    fillModel: row.fill_model,
    params: row.params,
    dataSource: row.data_source,
    settings: row.settings,
    statistics: row.statistics,
    fillReport: row.fill_report,
    barCount: Number(row.bar_count),
    createdAt: Number(row.created_at),
  };
}

export class SqlUserStrategyRepository implements UserStrategyRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async save(userId: string, name: string, source: string, at: number): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('user_strategies')
        .set({ source, updated_at: at })
        .where('user_id', '=', userId)
        .where('name', '=', name)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) > 0) return false;
      await trx
        .insertInto('user_strategies')
        .values({ user_id: userId, name, source, created_at: at, updated_at: at })
        .onConflict((conflict) => conflict.columns(['user_id', 'name']).doUpdateSet({ source, updated_at: at }))
        .execute();
      return true;
    });
  }

  async get(userId: string, name: string): Promise<UserStrategyRow | undefined> {
    const row = await this.db
      .selectFrom('user_strategies')
      .selectAll()
      .where('user_id', '=', userId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row && strategyOf(row);
  }

  async list(userId: string): Promise<UserStrategyRow[]> {
    const rows = await this.db.selectFrom('user_strategies').selectAll().where('user_id', '=', userId).execute();
    // Sorted here, by code unit: the engines' text collations differ.
    return rows.map(strategyOf).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async remove(userId: string, name: string): Promise<boolean> {
    const removed = await this.db
      .deleteFrom('user_strategies')
      .where('user_id', '=', userId)
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(removed.numDeletedRows) > 0;
  }
}

function strategyOf(row: Selectable<UserStrategiesTable>): UserStrategyRow {
  return { name: row.name, source: row.source, createdAt: Number(row.created_at), updatedAt: Number(row.updated_at) };
}
