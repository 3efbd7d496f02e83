// The event journal over SQLite: an append-only table of encoded events, numbered per account, read back in
// commit order to rebuild the exchange's state at start. Appends can be grouped: the batches of the requests handled
// in one turn of the event loop are written in one transaction, so many acknowledgements share one fsync; with a
// writer thread (`startWriterThread`) that transaction runs beside the thread that serves HTTP, and a long turn sends
// its batch every GROUP_EVENTS events so that writing overlaps deciding.
import { copyWith } from '../domain/objects.js';
import { BrokerUnavailable } from '../domain/errors.js';
import { decodeEvent, encodeEvent, type ExchangeEvent, type JournaledEvent } from '../domain/events.js';
import type { Database } from './database.js';
import { type EventRow, type EventRowValues, INSERT_EVENT_SQL, JournalWriter } from './journal-writer.js';
import type { StoreJournal } from './store.js';

/**
 * With a writer thread, a group is sent once it holds this many events, even mid-turn (about 25 MARKET orders): its
 * commit then runs while this thread decides the rest of the turn. Measured against one group per turn, 50
 * connections: placeorder +7 % (docs/performance.md).
 */
export const GROUP_EVENTS = 50;

export interface EventJournalOptions {
  /**
   * `each`: every append is its own transaction, committed before `append` returns. `group`: appends are staged and
   * committed together on the next turn of the event loop (`setImmediate`), or by the writer thread once started;
   * `whenDurable` tells when.
   */
  commit?: 'each' | 'group';
  /** Where a failed group commit is reported (the journal then refuses further appends). */
  onCommitError?: (error: unknown) => void;
}

interface Group {
  rows: EventRow[];
  done: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The next sequence number of each account is kept in memory, so an append does no reads. This assumes one writing
 * process; the `(account_id, seq)` unique constraint turns a second writer into a failed commit, never a duplicate:
 * `each` then renumbers from the table and retries once; `group` has already answered with its numbers, so it stops.
 */
export class SqliteEventJournal implements StoreJournal {
  private readonly nextSeq = new Map<string, number>();
  /** The numbers an append claims before its rows are stored (one map, cleared per append: appends never nest). */
  private readonly claimed = new Map<string, number>();
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
  /** The newest group not yet committed (gathering or being written): groups commit in order. */
  private latest: Group | null = null;
  private writer: JournalWriter | null = null;
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
    this.insertEvent = db.prepare<EventRowValues>(INSERT_EVENT_SQL);
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
      throw new BrokerUnavailable('The order journal failed to commit; restart Ordergate to recover from the journal');
    }
    if (events.length === 0) return [];
    if (this.grouped) return this.number(events, (rows) => this.stage(rows));
    try {
      return this.number(events, this.commitRows);
    } catch (error) {
      // Another connection appended meanwhile: renumber from the table and try once more.
      if (!isSeqConflict(error)) throw error;
      this.loadSeqs();
      return this.number(events, this.commitRows);
    }
  }

  /** Numbers the events, hands their rows to `store`, and keeps the numbers only if `store` did not throw. */
  private number(events: readonly ExchangeEvent[], store: (rows: EventRow[]) => void): JournaledEvent[] {
    const claimed = this.claimed;
    claimed.clear();
    const journaled: JournaledEvent[] = [];
    const rows: EventRow[] = [];
    for (const event of events) {
      const seq = claimed.get(event.accountId) ?? this.nextSeq.get(event.accountId) ?? 1;
      claimed.set(event.accountId, seq + 1);
      journaled.push(copyWith(event, { seq }));
      rows.push([event.accountId, seq, event.type, event.at, encodeEvent(event)]);
    }
    store(rows);
    for (const [accountId, next] of claimed) this.nextSeq.set(accountId, next);
    return journaled;
  }

  whenDurable(): Promise<void> | null {
    return this.latest?.done ?? null;
  }

  /** True once a group commit failed: the journal refuses appends until the process restarts (the readiness check). */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /**
   * Group commit: from now on a thread of its own commits the groups, over its own connection to this journal's
   * file. Does nothing for a journal in memory (no other connection can see it) or one committing `each` append.
   */
  async startWriterThread(): Promise<void> {
    if (!this.grouped || this.writer || this.db.memory) return;
    const synchronous = this.db.pragma('synchronous', { simple: true }) === 1 ? 'normal' : 'full';
    this.writer = await JournalWriter.start(this.db.name, synchronous);
  }

  /** Sends what is staged now instead of at the end of the turn; resolves once everything appended is durable. */
  settle(): Promise<void> {
    if (this.pending) this.send();
    return this.latest?.done ?? Promise.resolve();
  }

  /** Settles, then ends the writer thread (shutdown). Rejects if a commit failed; the thread ends either way. */
  async close(): Promise<void> {
    try {
      await this.settle();
    } finally {
      await this.writer?.close();
    }
  }

  /**
   * Every event in commit order, decoded, with its sequence number. Rows are streamed: finish (or break out of)
   * the iteration before writing through the same connection, which is busy until then.
   */
  *readAll(): Generator<JournaledEvent> {
    for (const row of this.selectAll.iterate()) {
      yield copyWith(decodeEvent(row.body), { seq: row.seq });
    }
  }

  count(): number {
    return this.countAll.get() ?? 0;
  }

  private loadSeqs(): void {
    this.nextSeq.clear();
    for (const { account_id, seq } of this.selectLastSeqs.iterate()) this.nextSeq.set(account_id, seq + 1);
  }

  private stage(rows: EventRow[]): void {
    const group = this.pending ?? this.openGroup();
    group.rows.push(...rows);
    if (this.writer && group.rows.length >= GROUP_EVENTS) this.send();
  }

  private openGroup(): Group {
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const done = new Promise<void>((yes, no) => {
      resolve = yes;
      reject = no;
    });
    // Waiters handle the rejection; this keeps an unobserved failure from crashing the process as unhandled.
    done.catch(() => undefined);
    const group: Group = { rows: [], done, resolve, reject };
    this.pending = group;
    this.latest = group;
    setImmediate(() => {
      if (this.pending === group) this.send();
    });
    return group;
  }

  /** Commits the gathering group: on the writer thread, or here and now. */
  private send(): void {
    const group = this.pending;
    if (!group) return;
    this.pending = null;
    if (this.writer) {
      this.writer.commit(group.rows).then(
        () => this.committed(group),
        (error: unknown) => this.commitFailed(group, error),
      );
      return;
    }
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
    if (this.writer) {
      this.stats.commits += 1;
      this.stats.events += group.rows.length;
    }
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
