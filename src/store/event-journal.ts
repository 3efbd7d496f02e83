// The event journal over SQLite: an append-only table of encoded events, numbered per account, read back in
// commit order to rebuild the exchange's state at start.
import { decodeEvent, encodeEvent, type ExchangeEvent, type JournaledEvent } from '../domain/events.js';
import type { Database } from './database.js';
import type { StoreJournal } from './store.js';

interface EventRow {
  account_id: string;
  seq: number;
  type: string;
  at: number;
  body: string;
}

/**
 * The next sequence number of each account is kept in memory, so an append does no reads. This assumes one
 * writing process; if another connection appended meanwhile, the (account_id, seq) unique constraint rejects the
 * batch, the numbers are reloaded from the table and the batch is tried once more.
 */
export class SqliteEventJournal implements StoreJournal {
  private readonly nextSeq = new Map<string, number>();
  private readonly insertEvent;
  private readonly selectAll;
  private readonly countAll;
  private readonly selectLastSeqs;
  private readonly insertBatch;

  constructor(db: Database) {
    this.insertEvent = db.prepare<[EventRow]>(
      'INSERT INTO events (account_id, seq, type, at, body) VALUES (@account_id, @seq, @type, @at, @body)',
    );
    this.selectAll = db.prepare<[], Pick<EventRow, 'seq' | 'body'>>('SELECT seq, body FROM events ORDER BY position');
    this.countAll = db.prepare<[], number>('SELECT COUNT(*) FROM events').pluck();
    this.selectLastSeqs = db.prepare<[], { account_id: string; seq: number }>(
      'SELECT account_id, MAX(seq) AS seq FROM events GROUP BY account_id',
    );
    this.insertBatch = db.transaction((rows: readonly EventRow[]) => {
      for (const row of rows) this.insertEvent.run(row);
    });
    this.loadSeqs();
  }

  /** Returns after the commit; on any failure nothing of the batch is stored and the sequence numbers are unchanged. */
  append(events: readonly ExchangeEvent[]): JournaledEvent[] {
    if (events.length === 0) return [];
    try {
      return this.appendOnce(events);
    } catch (error) {
      if (!isSeqConflict(error)) throw error;
      this.loadSeqs();
      return this.appendOnce(events);
    }
  }

  /**
   * Every event in commit order, decoded, with its sequence number. Rows are streamed: finish (or break out of)
   * the iteration before writing through the same connection, which is busy until then.
   */
  *readAll(): Generator<JournaledEvent> {
    for (const row of this.selectAll.iterate()) {
      yield { ...decodeEvent(row.body), seq: row.seq };
    }
  }

  count(): number {
    return this.countAll.get() ?? 0;
  }

  private appendOnce(events: readonly ExchangeEvent[]): JournaledEvent[] {
    const claimed = new Map<string, number>();
    const journaled: JournaledEvent[] = [];
    const rows: EventRow[] = [];
    for (const event of events) {
      const seq = claimed.get(event.accountId) ?? this.nextSeq.get(event.accountId) ?? 1;
      claimed.set(event.accountId, seq + 1);
      journaled.push({ ...event, seq });
      rows.push({ account_id: event.accountId, seq, type: event.type, at: event.at, body: encodeEvent(event) });
    }
    // IMMEDIATE takes the write lock up front, so a concurrent writer makes us wait (busy_timeout) instead of fail.
    this.insertBatch.immediate(rows);
    for (const [accountId, next] of claimed) this.nextSeq.set(accountId, next);
    return journaled;
  }

  private loadSeqs(): void {
    this.nextSeq.clear();
    for (const { account_id, seq } of this.selectLastSeqs.iterate()) this.nextSeq.set(account_id, seq + 1);
  }
}

function isSeqConflict(error: unknown): boolean {
  return (
    error instanceof Error &&
    'code' in error &&
    error.code === 'SQLITE_CONSTRAINT_UNIQUE' &&
    error.message.includes('events.account_id')
  );
}
