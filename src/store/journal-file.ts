// The commits of the order journals that share one SQLite file: journal.db holds the paper exchange's `events` and the
// core's `order_events`, analyzer.db the same two for the sandbox. With group commit, whatever any of them staged in one
// turn of the event loop is committed in one transaction, so the core's record of a request and the exchange's reach
// the disk in one fsync, or neither does. The file is closed once every journal of it is.
import type { Database } from './database.js';
import { type EventRow, type PendingCommit, pendingCommit } from './journal-numbering.js';

/** A journal as its file sees it: where its rows go, and how it hears of their commit. */
export interface JournalMember {
  insert(row: EventRow): void;
  committed(commit: PendingCommit, rows: number): void;
  failed(commit: PendingCommit, error: unknown): void;
}

interface StagedCommit extends PendingCommit {
  /** Each journal's rows, in the order it appended them. */
  parts: Map<JournalMember, EventRow[]>;
}

export class SqliteJournalFile {
  private readonly members = new Set<JournalMember>();
  /** The commit gathering this turn's rows. */
  private pending: StagedCommit | null = null;
  /** One transaction (IMMEDIATE: it takes the write lock up front, so a concurrent writer makes it wait, not fail). */
  private readonly commitParts: (parts: Map<JournalMember, EventRow[]>) => void;

  constructor(readonly db: Database) {
    const transaction = db.transaction((parts: Map<JournalMember, EventRow[]>) => {
      for (const [member, rows] of parts) for (const row of rows) member.insert(row);
    });
    this.commitParts = transaction.immediate;
  }

  /** A journal of this file from now until it `leave`s. */
  join(member: JournalMember): void {
    this.members.add(member);
  }

  /** The journal is closed; the file closes with the last of them. */
  leave(member: JournalMember): void {
    if (!this.members.delete(member)) return;
    if (this.members.size === 0) this.db.close();
  }

  /** Stages `rows` for the commit at the end of this turn; the commit it returns tells when they are durable. */
  stage(member: JournalMember, rows: EventRow[]): PendingCommit {
    const staged = this.pending ?? this.gather();
    const part = staged.parts.get(member);
    if (part) part.push(...rows);
    else staged.parts.set(member, rows);
    return staged;
  }

  /** Commits what is staged, here and now: every journal's rows in one transaction. */
  send(): void {
    const staged = this.pending;
    if (!staged) return;
    this.pending = null;
    try {
      this.commitParts(staged.parts);
    } catch (error) {
      // Rolled back whole: every journal with rows in it has lost them.
      for (const member of staged.parts.keys()) member.failed(staged, error);
      staged.reject(error);
      return;
    }
    for (const [member, rows] of staged.parts) member.committed(staged, rows.length);
    staged.resolve();
  }

  private gather(): StagedCommit {
    const staged: StagedCommit = { ...pendingCommit(), parts: new Map() };
    this.pending = staged;
    setImmediate(() => {
      if (this.pending === staged) this.send();
    });
    return staged;
  }
}
