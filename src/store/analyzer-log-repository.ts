// The analyzer log over SQLite: every request/response pair of an account in analyzer (sandbox) mode, append-only.
import type { Database } from './database.js';
import type { AnalyzerLogEntry, AnalyzerLogRepository } from './store.js';

export class SqliteAnalyzerLogRepository implements AnalyzerLogRepository {
  private readonly insertEntry;
  private readonly countForAccount;

  constructor(db: Database) {
    this.insertEntry = db.prepare<[AnalyzerLogEntry]>(
      'INSERT INTO analyzer_logs (account_id, at, path, status_code, request, response) ' +
        'VALUES (@accountId, @at, @path, @statusCode, @request, @response)',
    );
    this.countForAccount = db
      .prepare<[string], number>('SELECT COUNT(*) FROM analyzer_logs WHERE account_id = ?')
      .pluck();
  }

  append(entry: AnalyzerLogEntry): void {
    this.insertEntry.run(entry);
  }

  count(accountId: string): number {
    return this.countForAccount.get(accountId) ?? 0;
  }
}
