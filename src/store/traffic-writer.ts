// Writes traffic-log batches on a thread of its own (store/traffic-writer-worker.ts), into traffic.db: the inserts,
// a few microseconds per answered request, leave the thread that serves HTTP, and so do the purges of expired entries
// (an hour's worth of a busy gateway is millions of rows to delete). Batches and purges run in the order given.
// Should the thread fail, they run here instead, through `fallback`, so the log goes on.
import { StoreThread } from './store-thread.js';
import type { TrafficEntry, TrafficLogRepository } from './store.js';
import { type PackedEntries, packEntries } from './traffic-log-repository.js';

/** To the writer thread. */
export type ToTrafficWriter =
  | { kind: 'append'; id: number; values: PackedEntries }
  | { kind: 'purge'; id: number; before: number }
  | { kind: 'close' };

/** From the writer thread. */
export type FromTrafficWriter =
  | { kind: 'ready' }
  | { kind: 'written'; id: number }
  | { kind: 'purged'; id: number; count: number }
  | { kind: 'failed'; id: number; message: string };

const ENTRY = new URL('./traffic-writer-worker.ts', import.meta.url);

export class TrafficWriter {
  /** Receives a batch's failure with the number of entries lost (the gateway logs it). */
  onError: (error: unknown, lost: number) => void = () => {};

  private readonly thread: StoreThread<Exclude<FromTrafficWriter, { kind: 'ready' }>>;
  /** Work handed over and not yet answered: the entries a batch would lose, or the purge waiting for its count. */
  private readonly inFlight = new Map<number, InFlight>();
  private nextId = 1;
  private failed: Error | undefined;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  private constructor(
    file: string,
    private readonly fallback: Pick<TrafficLogRepository, 'appendMany' | 'purgeBefore'>,
  ) {
    this.thread = new StoreThread(
      ENTRY,
      { file },
      'the traffic writer thread',
      (message) => {
        const work = this.inFlight.get(message.id);
        this.inFlight.delete(message.id);
        if (message.kind === 'purged') work?.purged?.resolve(message.count);
        if (message.kind === 'failed') {
          const error = new Error(`traffic log ${work?.purged ? 'purge' : 'write'} failed: ${message.message}`);
          if (work?.purged) work.purged.reject(error);
          else this.onError(error, work?.lost ?? 0);
        }
        this.wakeIfIdle();
      },
      (error) => this.fail(error),
    );
  }

  /** Starts the thread; resolves once it has traffic.db open. */
  static async start(file: string, fallback: Pick<TrafficLogRepository, 'appendMany' | 'purgeBefore'>): Promise<TrafficWriter> {
    const writer = new TrafficWriter(file, fallback);
    await writer.thread.started;
    return writer;
  }

  /**
   * Hands a batch to the thread, or writes it here if the thread is gone (the returned promise then settles with that
   * write; TrafficLog reports its failure). Never throws for a store failure.
   */
  appendMany(entries: readonly TrafficEntry[]): void | Promise<void> {
    if (entries.length === 0) return;
    if (this.failed || this.closed) return this.fallback.appendMany(entries);
    const id = this.nextId++;
    this.inFlight.set(id, { lost: entries.length });
    this.thread.post({ kind: 'append', id, values: packEntries(entries) } satisfies ToTrafficWriter);
  }

  /** Deletes the entries that arrived before `before` (epoch ms) after the batches handed over; resolves with how many. */
  purge(before: number): Promise<number> {
    if (this.failed || this.closed) return this.fallback.purgeBefore(before);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.inFlight.set(id, { lost: 0, purged: { resolve, reject } });
      this.thread.post({ kind: 'purge', id, before } satisfies ToTrafficWriter);
    });
  }

  /** Resolves once every batch handed over so far is written (or reported failed). */
  idle(): Promise<void> {
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Waits for the batches in flight, then closes the thread's connection and ends it. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.idle();
    this.closed = true;
    if (this.failed) return;
    await this.thread.end(false);
  }

  private fail(error: Error): void {
    if (this.failed) return;
    this.failed = error;
    const lost = [...this.inFlight.values()].reduce((sum, work) => sum + work.lost, 0);
    for (const work of this.inFlight.values()) work.purged?.reject(error);
    this.inFlight.clear();
    this.onError(error, lost);
    this.wakeIfIdle();
  }

  private wakeIfIdle(): void {
    if (this.inFlight.size > 0) return;
    for (const wake of this.idleWaiters.splice(0)) wake();
  }
}

interface InFlight {
  /** The entries lost if this fails (0 for a purge). */
  lost: number;
  /** Set on a purge: settles with its count. */
  purged?: { resolve: (count: number) => void; reject: (error: Error) => void };
}
