// An order journal over SQLite: an append-only table of encoded events, numbered per account, read back in commit
// order to rebuild state at start (the paper exchange's `events`, the core's `order_events`). Appends can be grouped:
// the batches of the requests handled in one turn of the event loop are written in one transaction at its end, with
// those of the file's other journal (journal-file.ts), so many acknowledgements share one fsync.
// (A writer thread of its own used to commit them beside the thread that serves HTTP; side by side it no longer
// measured faster, and cost 15 % more CPU per order: docs/performance.md.)
import { copyWith } from '../domain/objects.js';
import { BrokerUnavailable } from '../domain/errors.js';
import { decodeEvent, type ExchangeEvent, type JournaledEvent } from '../domain/events.js';
import { AccountSequences, type EventRow, type EventRowValues, JOURNAL_FAILED_MESSAGE, type PendingCommit } from './journal-numbering.js';
import type { Database } from './database.js';
import { type JournalMember, SqliteJournalFile } from './journal-file.js';
import type { StoreJournal } from './store.js';

export interface EventJournalOptions {
  /**
   * `each`: every append is its own transaction, committed before `append` returns. `group`: appends are staged and
   * committed together on the next turn of the event loop (`setImmediate`); `whenDurable` tells when.
   */
  commit?: 'each' | 'group';
  /** Where a failed group commit is reported (the journal then refuses further appends). */
  onCommitError?: (error: unknown) => void;
}

/** The journal tables of a SQLite file: the paper exchange's `events` and the core's `order_events`. */
export type SqliteJournalTable = 'events' | 'order_events';

export interface SqliteEventJournalOptions extends EventJournalOptions {
  /** Default `events`. */
  table?: SqliteJournalTable;
  /** The file's other journals, to share their group commits and their connection (default: a file of its own). */
  file?: SqliteJournalFile;
}

/**
 * The next sequence number of each account is kept in memory, so an append does no reads. This assumes one writing
 * process; the `(account_id, seq)` unique constraint turns a second writer into a failed commit, never a duplicate:
 * `each` then renumbers from the table and retries once; `group` has already answered with its numbers, so it stops.
 */
export class SqliteEventJournal implements StoreJournal {
  private readonly sequences = new AccountSequences();
  private readonly table: SqliteJournalTable;
  private readonly file: SqliteJournalFile;
  private readonly member: JournalMember;
  private readonly selectAll;
  private readonly countAll;
  private readonly selectLastSeqs;
  /** One transaction of this journal's rows alone (`each`; IMMEDIATE: a concurrent writer makes it wait, not fail). */
  private readonly commitRows: (rows: readonly EventRow[]) => void;
  private readonly grouped: boolean;
  private readonly onCommitError: (error: unknown) => void;
  /** The newest commit holding rows of this journal, until it is done. */
  private latest: PendingCommit | null = null;
  private failure: unknown = undefined;
  /** Commits holding its rows (one per group, or per append with `each`) and the events they held, since it opened. */
  readonly stats = { commits: 0, events: 0 };

  constructor(
    private readonly db: Database,
    options: SqliteEventJournalOptions = {},
  ) {
    this.table = options.table ?? 'events';
    this.file = options.file ?? new SqliteJournalFile(db);
    if (this.file.db !== db) throw new Error('a journal shares the commits of its own file only');
    this.grouped = options.commit === 'group';
    this.onCommitError = options.onCommitError ?? (() => undefined);
    const table = this.table;
    // Positional parameters: binding by name costs a property lookup per column on every row.
    const insertEvent = db.prepare<EventRowValues>(`INSERT INTO ${table} (account_id, seq, type, at, body) VALUES (?, ?, ?, ?, ?)`);
    this.selectAll = db.prepare<[], { seq: number; body: string }>(`SELECT seq, body FROM ${table} ORDER BY position`);
    this.countAll = db.prepare<[], number>(`SELECT COUNT(*) FROM ${table}`).pluck();
    this.selectLastSeqs = db.prepare<[], { account_id: string; seq: number }>(
      `SELECT account_id, MAX(seq) AS seq FROM ${table} GROUP BY account_id`,
    );
    this.member = {
      insert: (row) => insertEvent.run(...row),
      committed: (commit, rows) => this.committed(commit, rows),
      failed: (_commit, error) => this.commitFailed(error),
    };
    const insertBatch = db.transaction((rows: readonly EventRow[]) => {
      for (const row of rows) insertEvent.run(...row);
    }).immediate;
    this.commitRows = (rows) => {
      insertBatch(rows);
      this.stats.commits += 1;
      this.stats.events += rows.length;
    };
    this.loadSeqs();
    this.file.join(this.member);
  }

  /**
   * Numbers the batch and stores it atomically: at once (`each`; on failure nothing is stored and the numbers are
   * unchanged) or with the other batches of this turn, this file's other journal's included (`group`).
   */
  append(events: readonly ExchangeEvent[]): JournaledEvent[] {
    if (this.failure !== undefined) {
      throw new BrokerUnavailable(JOURNAL_FAILED_MESSAGE);
    }
    if (events.length === 0) return [];
    if (this.grouped) return this.sequences.number(events, (rows) => (this.latest = this.file.stage(this.member, rows)));
    try {
      return this.sequences.number(events, this.commitRows);
    } catch (error) {
      // Another connection appended meanwhile: renumber from the table and try once more.
      if (!this.isSeqConflict(error)) throw error;
      this.loadSeqs();
      return this.sequences.number(events, this.commitRows);
    }
  }

  whenDurable(): Promise<void> | null {
    return this.latest?.done ?? null;
  }

  /** True from a failed group commit until `resume`: the journal refuses appends meanwhile (the readiness check). */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /**
   * Sends what is staged now (this file's other journal's rows with it) instead of at the end of the turn; resolves
   * once everything appended is durable.
   */
  settle(): Promise<void> {
    this.file.send();
    return this.latest?.done ?? Promise.resolve();
  }

  /**
   * Settles, then leaves the file, which closes with the last of its journals. Rejects if a commit failed; leaves
   * either way.
   */
  async close(): Promise<void> {
    try {
      await this.settle();
    } finally {
      this.file.leave(this.member);
    }
  }

  /**
   * Every event in commit order, decoded, with its sequence number. Rows are streamed: finish (or break out of)
   * the iteration before writing through the same connection, which is busy until then.
   */
  async *readAll(): AsyncGenerator<JournaledEvent> {
    for (const row of this.selectAll.iterate()) {
      yield copyWith(decodeEvent(row.body), { seq: row.seq });
    }
  }

  async count(): Promise<number> {
    return this.countAll.get() ?? 0;
  }

  /**
   * After a failed commit: once the file answers again, forgets the failed commit (its requests were answered 503)
   * and re-reads the sequence numbers; `resume` then accepts appends again.
   */
  async recover(): Promise<void> {
    if (this.failure === undefined) return;
    this.db.prepare('SELECT 1').get();
    this.latest = null;
    this.loadSeqs();
  }

  resume(): void {
    this.failure = undefined;
  }

  private loadSeqs(): void {
    this.sequences.reset(this.selectLastSeqs.iterate());
  }

  private committed(commit: PendingCommit, rows: number): void {
    this.stats.commits += 1;
    this.stats.events += rows;
    if (this.latest === commit) this.latest = null;
  }

  private commitFailed(error: unknown): void {
    const first = this.failure === undefined;
    this.failure ??= error;
    if (first) this.onCommitError(error);
  }

  private isSeqConflict(error: unknown): boolean {
    return (
      error instanceof Error &&
      'code' in error &&
      error.code === 'SQLITE_CONSTRAINT_UNIQUE' &&
      error.message.includes(` ${this.table}.account_id`)
    );
  }
}
