// The analyzer log, on SQLite or PostgreSQL (Kysely): every request/response pair of an account in analyzer (sandbox)
// mode, append-only, listed newest first and read back oldest first for export.
import type { Kysely, Selectable } from 'kysely';
import type { AnalyzerLogsTable, Schema } from './schema.js';
import type { AnalyzerLogEntry, AnalyzerLogQuery, AnalyzerLogRecord, AnalyzerLogRepository } from './store.js';

type Row = Selectable<AnalyzerLogsTable>;

/** Rows per query while exporting: one page in memory at a time. */
export const EXPORT_PAGE_SIZE = 500;

const COLUMNS = ['position', 'account_id', 'at', 'path', 'status_code', 'request', 'response'] as const;

export class SqlAnalyzerLogRepository implements AnalyzerLogRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async append(entry: AnalyzerLogEntry): Promise<void> {
    await this.db
      .insertInto('analyzer_logs')
      .values({
        account_id: entry.accountId,
        at: entry.at,
        path: entry.path,
        status_code: entry.statusCode,
        request: entry.request,
        response: entry.response,
      })
      .execute();
  }

  async count(accountId: string): Promise<number> {
    const row = await this.db
      .selectFrom('analyzer_logs')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow();
    return row.count;
  }

  async list(accountId: string, query: AnalyzerLogQuery): Promise<AnalyzerLogRecord[]> {
    let select = this.db.selectFrom('analyzer_logs').select(COLUMNS).where('account_id', '=', accountId);
    if (query.before !== undefined) select = select.where('position', '<', query.before);
    if (query.since !== undefined) select = select.where('at', '>=', query.since);
    const rows = await select.orderBy('position', 'desc').limit(query.limit).execute();
    return rows.map(recordOf);
  }

  /**
   * Keyset pages rather than one cursor: a cursor held open across a slow client's awaits would keep a connection
   * busy (SQLite's only one, refusing every other query of the process meanwhile). Entries appended after the start
   * are left out, so the export is the log as it stood when it began.
   */
  async *entries(accountId: string): AsyncGenerator<AnalyzerLogRecord> {
    const bound = await this.db
      .selectFrom('analyzer_logs')
      .select((eb) => eb.fn.max('position').as('last'))
      .where('account_id', '=', accountId)
      .executeTakeFirst();
    const last = bound?.last;
    if (last === null || last === undefined) return;
    let after = 0;
    for (;;) {
      const page = await this.db
        .selectFrom('analyzer_logs')
        .select(COLUMNS)
        .where('account_id', '=', accountId)
        .where('position', '>', after)
        .where('position', '<=', last)
        .orderBy('position')
        .limit(EXPORT_PAGE_SIZE)
        .execute();
      for (const row of page) yield recordOf(row);
      const tail = page.at(-1);
      if (page.length < EXPORT_PAGE_SIZE || tail === undefined) return;
      after = tail.position;
    }
  }
}

function recordOf(row: Row): AnalyzerLogRecord {
  return {
    id: row.position,
    accountId: row.account_id,
    at: row.at,
    path: row.path,
    statusCode: row.status_code,
    request: row.request,
    response: row.response,
  };
}
