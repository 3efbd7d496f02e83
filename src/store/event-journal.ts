// The event journal over SQLite: an append-only table of encoded events, numbered per account, read back in
// commit order to rebuild the exchange's state at start. Appends can be grouped: the batches of the requests handled
// in one turn of the event loop are written in one transaction at its end, so many acknowledgements share one fsync.
// (A writer thread of its own used to commit them beside the thread that serves HTTP; side by side it no longer
// measured faster, and cost 15 % more CPU per order: docs/performance.md.)
import { copyWith } from '../domain/objects.js';
import { BrokerUnavailable } from '../domain/errors.js';
import { decodeEvent, type ExchangeEvent, type JournaledEvent } from '../domain/events.js';
import {
  AccountSequences,
  type EventRow,
  type EventRowValues,
  type Group,
  JOURNAL_FAILED_MESSAGE,
  newGroup,
} from './journal-numbering.js';
import type { Database } from './database.js';
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

/**
 * The next sequence number of each account is kept in memory, so an append does no reads. This assumes one writing
 * process; the `(account_id, seq)` unique constraint turns a second writer into a failed commit, never a duplicate:
 * `each` then renumbers from the table and retries once; `group` has already answered with its numbers, so it stops.
 */
export class SqliteEventJournal implements StoreJournal {
  private readonly sequences = new AccountSequences();
  private readonly insertEvent;
  private readonly selectAll;
  private readonly countAll;
  private readonly selectLastSeqs;
  private readonly insertBatch;
  /** One transaction (IMMEDIATE: it takes the write lock up front, so a concurrent writer makes it wait, not fail). */
  private readonly commitRows: (rows: readonly EventRow[]) => void;
  private readonly grouped: boolean;
  private readonly onCommitError: (error: unknown) => void;
  /** The group gathering appends. */
  private pending: Group | null = null;
  /** The newest group not yet committed: groups commit in order. */
  private latest: Group | null = null;
  private failure: unknown = undefined;
  /** Commits (one per group, or per append with `each`) and the events they held, since the journal was opened. */
  readonly stats = { commits: 0, events: 0 };

  constructor(
    private readonly db: Database,
    options: EventJournalOptions = {},
  ) {
    this.grouped = options.commit === 'group';
    this.onCommitError = options.onCommitError ?? (() => undefined);
    // Positional parameters: binding by name costs a property lookup per column on every row.
    this.insertEvent = db.prepare<EventRowValues>('INSERT INTO events (account_id, seq, type, at, body) VALUES (?, ?, ?, ?, ?)');
    this.selectAll = db.prepare<[], { seq: number; body: string }>('SELECT seq, body FROM events ORDER BY position');
    this.countAll = db.prepare<[], number>('SELECT COUNT(*) FROM events').pluck();
    this.selectLastSeqs = db.prepare<[], { account_id: string; seq: number }>(
      'SELECT account_id, MAX(seq) AS seq FROM events GROUP BY account_id',
    );
    this.insertBatch = db.transaction((rows: readonly EventRow[]) => {
      for (const row of rows) this.insertEvent.run(...row);
    });
    const counted = this.insertBatch.immediate;
    this.commitRows = (rows) => {
      counted(rows);
      this.stats.commits += 1;
      this.stats.events += rows.length;
    };
    this.loadSeqs();
  }

  /**
   * Numbers the batch and stores it atomically: at once (`each`; on failure nothing is stored and the numbers are
   * unchanged) or with the other batches of this turn (`group`).
   */
  append(events: readonly ExchangeEvent[]): JournaledEvent[] {
    if (this.failure !== undefined) {
      throw new BrokerUnavailable(JOURNAL_FAILED_MESSAGE);
    }
    if (events.length === 0) return [];
    if (this.grouped) return this.sequences.number(events, (rows) => this.stage(rows));
    try {
      return this.sequences.number(events, this.commitRows);
    } catch (error) {
      // Another connection appended meanwhile: renumber from the table and try once more.
      if (!isSeqConflict(error)) throw error;
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

  /** Sends what is staged now instead of at the end of the turn; resolves once everything appended is durable. */
  settle(): Promise<void> {
    if (this.pending) this.send();
    return this.latest?.done ?? Promise.resolve();
  }

  /** Settles, then closes the file. Rejects if a commit failed; the file is closed either way. */
  async close(): Promise<void> {
    try {
      await this.settle();
    } finally {
      this.db.close();
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
   * After a failed commit: once the file answers again, drops what was staged (its requests were answered 503) and
   * re-reads the sequence numbers; `resume` then accepts appends again.
   */
  async recover(): Promise<void> {
    if (this.failure === undefined) return;
    this.db.prepare('SELECT 1').get();
    this.pending = null;
    this.latest = null;
    this.loadSeqs();
  }

  resume(): void {
    this.failure = undefined;
  }

  private loadSeqs(): void {
    this.sequences.reset(this.selectLastSeqs.iterate());
  }

  private stage(rows: EventRow[]): void {
    const group = this.pending ?? this.openGroup();
    group.rows.push(...rows);
  }

  private openGroup(): Group {
    const group = newGroup();
    this.pending = group;
    this.latest = group;
    setImmediate(() => {
      if (this.pending === group) this.send();
    });
    return group;
  }

  /** Commits the gathering group, here and now. */
  private send(): void {
    const group = this.pending;
    if (!group) return;
    this.pending = null;
    try {
      this.commitRows(group.rows);
    } catch (error) {
      this.commitFailed(group, error);
      return;
    }
    this.committed(group);
  }

  private committed(group: Group): void {
    if (this.latest === group) this.latest = null;
    group.resolve();
  }

  private commitFailed(group: Group, error: unknown): void {
    const first = this.failure === undefined;
    this.failure ??= error;
    group.reject(error);
    if (first) this.onCommitError(error);
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
