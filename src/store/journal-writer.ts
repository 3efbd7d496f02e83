// Commits the order journal's batches on a thread of its own (store/journal-writer-worker.ts), over a connection of
// its own to the journal's file: the inserts and the fsync of each group commit leave the thread that serves HTTP,
// which goes on deciding the next orders while a batch is written. Batches commit in the order given; after the
// first failure none is written any more (a later batch may depend on the failed one), and every promise rejects.
import { StoreThread } from './store-thread.js';

/** One journal row, by position: account id, sequence number, event type, time (epoch ms), encoded event. */
export type EventRow = readonly [accountId: string, seq: number, type: string, at: number, body: string];
/** An EventRow as a statement's parameters. */
export type EventRowValues = [accountId: string, seq: number, type: string, at: number, body: string];

/** How a row is stored, here and on the writer thread. */
export const INSERT_EVENT_SQL = 'INSERT INTO events (account_id, seq, type, at, body) VALUES (?, ?, ?, ?, ?)';

/** To the writer thread. */
export type ToJournalWriter = { kind: 'commit'; id: number; rows: readonly EventRow[] } | { kind: 'close' };

/** From the writer thread: batches are answered in order, several at once when they were committed together. */
export type FromJournalWriter =
  | { kind: 'ready' }
  | { kind: 'committed'; through: number }
  | { kind: 'failed'; from: number; message: string };

const ENTRY = new URL('./journal-writer-worker.ts', import.meta.url);

interface InFlight {
  resolve: () => void;
  reject: (error: Error) => void;
}

export class JournalWriter {
  private readonly thread: StoreThread<Exclude<FromJournalWriter, { kind: 'ready' }>>;
  /** Batches handed over and not yet answered, in the order sent (a Map iterates in insertion order). */
  private readonly inFlight = new Map<number, InFlight>();
  private nextId = 1;
  private failure: Error | undefined;
  private closing = false;
  /** Set by `close` while it waits for the batches in flight. */
  private wakeWhenIdle: () => void = () => {};

  private constructor(file: string, synchronous: 'full' | 'normal', entry: URL) {
    this.thread = new StoreThread(
      entry,
      { file, synchronous },
      "the order journal's writer thread",
      (message) => {
        if (message.kind === 'committed') this.settle(message.through);
        else this.fail(new Error(`order journal commit failed: ${message.message}`));
      },
      (error) => this.fail(error),
    );
  }

  /**
   * Starts the thread; resolves once it has the journal's file open. `entry` is the thread's module:
   * journal-writer-worker.ts, or a test's stand-in that fails on purpose.
   */
  static async start(file: string, synchronous: 'full' | 'normal', entry: URL = ENTRY): Promise<JournalWriter> {
    const writer = new JournalWriter(file, synchronous, entry);
    await writer.thread.started;
    return writer;
  }

  /** Hands a batch to the thread; resolves once it is committed (durable as the file's `synchronous` says). */
  commit(rows: readonly EventRow[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const done = new Promise<void>((resolve, reject) => this.inFlight.set(id, { resolve, reject }));
    this.thread.post({ kind: 'commit', id, rows } satisfies ToJournalWriter);
    return done;
  }

  /** Ends the thread once every batch handed over is answered. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.inFlight.size > 0) await new Promise<void>((resolve) => (this.wakeWhenIdle = resolve));
    await this.thread.end(this.failure !== undefined);
  }

  private settle(through: number): void {
    for (const [id, entry] of this.inFlight) {
      if (id > through) break;
      this.inFlight.delete(id);
      entry.resolve();
    }
    if (this.inFlight.size === 0) this.wakeWhenIdle();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const entry of this.inFlight.values()) entry.reject(this.failure);
    this.inFlight.clear();
    this.wakeWhenIdle();
  }
}
