// What every engine's order journal shares: numbering events per account before they are stored (kept in memory, so
// an append does no reads), and the groups of staged rows that one commit stores and one promise reports on.
import { copyWith } from '../domain/objects.js';
import { BrokerUnavailable } from '../domain/errors.js';
import { encodeEvent, type ExchangeEvent, type JournaledEvent } from '../domain/events.js';

/** One journal row, by position: account id, sequence number, event type, time (epoch ms), encoded event. */
export type EventRow = readonly [accountId: string, seq: number, type: string, at: number, body: string];
/** An EventRow as a statement's parameters. */
export type EventRowValues = [accountId: string, seq: number, type: string, at: number, body: string];

export class AccountSequences {
  private readonly next = new Map<string, number>();
  /** The numbers an append claims before its rows are stored (one map, cleared per append: appends never nest). */
  private readonly claimed = new Map<string, number>();

  /** Starts over from each account's last stored number. */
  reset(last: Iterable<{ account_id: string; seq: number }>): void {
    this.next.clear();
    for (const { account_id, seq } of last) this.next.set(account_id, seq + 1);
  }

  /** Numbers the events, hands their rows to `store`, and keeps the numbers only if `store` did not throw. */
  number(events: readonly ExchangeEvent[], store: (rows: EventRow[]) => void): JournaledEvent[] {
    const claimed = this.claimed;
    claimed.clear();
    const journaled: JournaledEvent[] = [];
    const rows: EventRow[] = [];
    for (const event of events) {
      const seq = claimed.get(event.accountId) ?? this.next.get(event.accountId) ?? 1;
      claimed.set(event.accountId, seq + 1);
      journaled.push(copyWith(event, { seq }));
      rows.push([event.accountId, seq, event.type, event.at, encodeEvent(event)]);
    }
    store(rows);
    for (const [accountId, next] of claimed) this.next.set(accountId, next);
    return journaled;
  }
}

/** One commit to come, and the promise that tells its waiters when it is done. */
export interface PendingCommit {
  done: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Rows staged for one commit, and the promise that tells their appenders when it is done. */
export interface Group extends PendingCommit {
  rows: EventRow[];
}

export function pendingCommit(): PendingCommit {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const done = new Promise<void>((yes, no) => {
    resolve = yes;
    // A waiter answers a client: it hears the domain's 503, the database's own error being the log's (onCommitError).
    reject = (error) => no(Object.assign(new BrokerUnavailable(JOURNAL_FAILED_MESSAGE), { cause: error }));
  });
  // Waiters handle the rejection; this keeps an unobserved failure from crashing the process as unhandled.
  done.catch(() => undefined);
  return { done, resolve, reject };
}

export function newGroup(): Group {
  return { rows: [], ...pendingCommit() };
}

/** What a request is told while its journal is failed (503): the gateway recovers it once the database answers. */
export const JOURNAL_FAILED_MESSAGE =
  'The order journal failed to commit; Ordergate resumes taking orders once its database answers again';
