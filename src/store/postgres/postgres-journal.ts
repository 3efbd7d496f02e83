// The order journal on PostgreSQL: events are numbered in memory and staged; the appends of one turn of the event loop
// are committed in one transaction, and while a commit is in flight the next group gathers, so a busy gateway commits
// as fast as the server's fsync allows and every commit carries many requests (group commit). `synchronous_commit`
// stays on (`relaxed`: off, so a crash of the PostgreSQL server may lose the last moments, a crash of Ordergate nothing).
import type pg from 'pg';
import { BrokerUnavailable } from '../../domain/errors.js';
import { copyWith } from '../../domain/objects.js';
import { decodeEvent, type ExchangeEvent, type JournaledEvent } from '../../domain/events.js';
import { AccountSequences, type EventRow, type Group, JOURNAL_FAILED_MESSAGE, newGroup } from '../journal-numbering.js';
import type { StoreJournal } from '../store.js';

/** The journal tables: the paper exchange's (`events`, `sandbox_events`) and the core's (`order_events`, `sandbox_order_events`). */
export type PostgresJournalTable = 'events' | 'sandbox_events' | 'order_events' | 'sandbox_order_events';

export interface PostgresJournalOptions {
  table: PostgresJournalTable;
  /** `each`: one transaction per append; `group` (default): one per group of concurrent appends. */
  commit?: 'each' | 'group';
  /** `off` for ORDERGATE_DURABILITY=relaxed. */
  synchronousCommit?: 'on' | 'off';
  onCommitError?: (error: unknown) => void;
}

/** Rows per INSERT statement: five parameters each, well under PostgreSQL's 65,535. */
const ROWS_PER_STATEMENT = 1000;
/** Rows read per page by `readAll`. */
const PAGE_ROWS = 5000;

export class PostgresEventJournal implements StoreJournal {
  private readonly sequences = new AccountSequences();
  private readonly table: PostgresJournalTable;
  private readonly each: boolean;
  private readonly synchronousCommit: 'on' | 'off';
  private readonly onCommitError: (error: unknown) => void;
  /** Appends waiting for the next commit. */
  private pending: Group | null = null;
  /** The group being committed; at most one at a time, so groups commit in order. */
  private inFlight: Group | null = null;
  /** Groups of `each` appends waiting their turn, in order. */
  private readonly queue: Group[] = [];
  private failure: unknown = undefined;
  readonly stats = { commits: 0, events: 0 };

  private constructor(
    private readonly pool: pg.Pool,
    options: PostgresJournalOptions,
  ) {
    this.table = options.table;
    this.each = options.commit === 'each';
    this.synchronousCommit = options.synchronousCommit ?? 'on';
    this.onCommitError = options.onCommitError ?? (() => undefined);
  }

  static async open(pool: pg.Pool, options: PostgresJournalOptions): Promise<PostgresEventJournal> {
    const journal = new PostgresEventJournal(pool, options);
    await journal.loadSeqs();
    return journal;
  }

  append(events: readonly ExchangeEvent[]): JournaledEvent[] {
    if (this.failure !== undefined) throw new BrokerUnavailable(JOURNAL_FAILED_MESSAGE);
    if (events.length === 0) return [];
    return this.sequences.number(events, (rows) => this.stage(rows));
  }

  whenDurable(): Promise<void> | null {
    return (this.pending ?? this.queue.at(-1) ?? this.inFlight)?.done ?? null;
  }

  get failed(): boolean {
    return this.failure !== undefined;
  }

  async settle(): Promise<void> {
    const last = this.pending ?? this.queue.at(-1) ?? this.inFlight;
    this.sendNext();
    await last?.done;
  }

  async close(): Promise<void> {
    await this.settle();
  }

  async *readAll(): AsyncGenerator<JournaledEvent> {
    let after = 0;
    for (;;) {
      const page = await this.pool.query<{ position: number; seq: number; body: string }>(
        `SELECT position, seq, body FROM ${this.table} WHERE position > $1 ORDER BY position LIMIT ${PAGE_ROWS}`,
        [after],
      );
      for (const row of page.rows) yield copyWith(decodeEvent(row.body), { seq: row.seq });
      if (page.rows.length < PAGE_ROWS) return;
      after = page.rows.at(-1)!.position;
    }
  }

  async count(): Promise<number> {
    const result = await this.pool.query<{ count: number }>(`SELECT COUNT(*) AS count FROM ${this.table}`);
    return result.rows[0]?.count ?? 0;
  }

  async recover(): Promise<void> {
    if (this.failure === undefined) return;
    if (this.inFlight) await this.inFlight.done.catch(() => undefined);
    await this.loadSeqs();
    this.pending = null;
    this.queue.length = 0;
  }

  resume(): void {
    this.failure = undefined;
  }

  private async loadSeqs(): Promise<void> {
    const result = await this.pool.query<{ account_id: string; seq: number }>(
      `SELECT account_id, MAX(seq) AS seq FROM ${this.table} GROUP BY account_id`,
    );
    this.sequences.reset(result.rows);
  }

  private stage(rows: EventRow[]): void {
    if (this.each) {
      const group = newGroup();
      group.rows = rows;
      this.queue.push(group);
      this.sendNext();
      return;
    }
    let group = this.pending;
    if (!group) {
      group = newGroup();
      this.pending = group;
      const staged = group;
      setImmediate(() => {
        if (this.pending === staged) this.sendNext();
      });
    }
    group.rows.push(...rows);
  }

  /** Starts the next commit unless one is in flight (its end starts the next). */
  private sendNext(): void {
    if (this.inFlight) return;
    const group = this.queue.shift() ?? this.pending;
    if (!group) return;
    if (group === this.pending) this.pending = null;
    this.inFlight = group;
    this.commit(group.rows).then(
      () => {
        this.stats.commits += 1;
        this.stats.events += group.rows.length;
        this.inFlight = null;
        group.resolve();
        this.sendNext();
      },
      (error: unknown) => {
        this.inFlight = null;
        this.fail(group, error);
      },
    );
  }

  private fail(group: Group, error: unknown): void {
    const first = this.failure === undefined;
    this.failure ??= error;
    group.reject(error);
    // What waited behind it may depend on it: none of it is written, and every appender hears so.
    for (const waiting of this.queue.splice(0)) waiting.reject(error);
    this.pending?.reject(error);
    this.pending = null;
    if (first) this.onCommitError(error);
  }

  private async commit(rows: readonly EventRow[]): Promise<void> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      if (this.synchronousCommit === 'off') await client.query('SET LOCAL synchronous_commit = off');
      for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
        const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
        const values: unknown[] = [];
        const tuples = chunk.map((row, i) => {
          values.push(...row);
          const p = i * 5;
          return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5})`;
        });
        await client.query(`INSERT INTO ${this.table} (account_id, seq, type, at, body) VALUES ${tuples.join(', ')}`, values);
      }
      await client.query('COMMIT');
    } catch (error) {
      broken = error as Error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      // A client that failed mid-transaction is dropped, not reused: its connection may be the one that died.
      client.release(broken);
    }
  }
}
