// The analyzer log over SQLite: every request/response pair of an account in analyzer (sandbox) mode, append-only,
// listed newest first and read back oldest first for export.
import type { Database } from './database.js';
import type { AnalyzerLogEntry, AnalyzerLogQuery, AnalyzerLogRecord, AnalyzerLogRepository } from './store.js';

interface Row {
  position: number;
  account_id: string;
  at: number;
  path: string;
  status_code: number;
  request: string;
  response: string;
}

/** Rows per query while exporting: one page in memory at a time. */
export const EXPORT_PAGE_SIZE = 500;

const COLUMNS = 'position, account_id, at, path, status_code, request, response';

export class SqliteAnalyzerLogRepository implements AnalyzerLogRepository {
  private readonly insertEntry;
  private readonly countForAccount;
  private readonly lastPosition;
  private readonly pageAfter;

  constructor(private readonly db: Database) {
    this.insertEntry = db.prepare<[AnalyzerLogEntry]>(
      'INSERT INTO analyzer_logs (account_id, at, path, status_code, request, response) ' +
        'VALUES (@accountId, @at, @path, @statusCode, @request, @response)',
    );
    this.countForAccount = db
      .prepare<[string], number>('SELECT COUNT(*) FROM analyzer_logs WHERE account_id = ?')
      .pluck();
    this.lastPosition = db
      .prepare<[string], number | null>('SELECT MAX(position) FROM analyzer_logs WHERE account_id = ?')
      .pluck();
    this.pageAfter = db.prepare<[string, number, number, number], Row>(
      `SELECT ${COLUMNS} FROM analyzer_logs WHERE account_id = ? AND position > ? AND position <= ?
       ORDER BY position LIMIT ?`,
    );
  }

  append(entry: AnalyzerLogEntry): void {
    this.insertEntry.run(entry);
  }

  count(accountId: string): number {
    return this.countForAccount.get(accountId) ?? 0;
  }

  list(accountId: string, query: AnalyzerLogQuery): AnalyzerLogRecord[] {
    const conditions = ['account_id = ?'];
    const parameters: Array<string | number> = [accountId];
    if (query.before !== undefined) {
      conditions.push('position < ?');
      parameters.push(query.before);
    }
    if (query.since !== undefined) {
      conditions.push('at >= ?');
      parameters.push(query.since);
    }
    return this.db
      .prepare<Array<string | number>, Row>(
        `SELECT ${COLUMNS} FROM analyzer_logs WHERE ${conditions.join(' AND ')} ORDER BY position DESC LIMIT ?`,
      )
      .all(...parameters, query.limit)
      .map(recordOf);
  }

  /**
   * Keyset pages rather than one `iterate()`: better-sqlite3 keeps the connection busy while a statement iterates,
   * so an export held open across a slow client's awaits would refuse every other query of the process. Entries
   * appended after the start are left out, so the export is the log as it stood when it began.
   */
  *entries(accountId: string): Generator<AnalyzerLogRecord> {
    const last = this.lastPosition.get(accountId);
    if (last === null || last === undefined) return;
    let after = 0;
    for (;;) {
      const page = this.pageAfter.all(accountId, after, last, EXPORT_PAGE_SIZE);
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
