// Writes traffic-log batches on a thread of its own (store/traffic-writer-worker.ts), into traffic.db: the inserts,
// a few microseconds per answered request, leave the thread that serves HTTP. Batches are written in the order given.
// Should the thread fail, batches are written here instead, through `fallback`, so the log goes on.
import { StoreThread } from './store-thread.js';
import type { TrafficEntry, TrafficLogRepository } from './store.js';

/** To the writer thread. */
export type ToTrafficWriter = { kind: 'append'; id: number; entries: readonly TrafficEntry[] } | { kind: 'close' };

/** From the writer thread. */
export type FromTrafficWriter =
  | { kind: 'ready' }
  | { kind: 'written'; id: number }
  | { kind: 'failed'; id: number; message: string };

const ENTRY = new URL('./traffic-writer-worker.ts', import.meta.url);

export class TrafficWriter {
  /** Receives a batch's failure with the number of entries lost (the gateway logs it). */
  onError: (error: unknown, lost: number) => void = () => {};

  private readonly thread: StoreThread<Exclude<FromTrafficWriter, { kind: 'ready' }>>;
  private readonly inFlight = new Map<number, number>();
  private nextId = 1;
  private failed: Error | undefined;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  private constructor(
    file: string,
    private readonly fallback: Pick<TrafficLogRepository, 'appendMany'>,
  ) {
    this.thread = new StoreThread(
      ENTRY,
      { file },
      'the traffic writer thread',
      (message) => {
        const lost = this.inFlight.get(message.id) ?? 0;
        this.inFlight.delete(message.id);
        if (message.kind === 'failed') this.onError(new Error(`traffic log write failed: ${message.message}`), lost);
        this.wakeIfIdle();
      },
      (error) => this.fail(error),
    );
  }

  /** Starts the thread; resolves once it has traffic.db open. */
  static async start(file: string, fallback: Pick<TrafficLogRepository, 'appendMany'>): Promise<TrafficWriter> {
    const writer = new TrafficWriter(file, fallback);
    await writer.thread.started;
    return writer;
  }

  /** Hands a batch to the thread (or writes it here, if the thread is gone); never throws for a store failure. */
  appendMany(entries: readonly TrafficEntry[]): void {
    if (entries.length === 0) return;
    if (this.failed || this.closed) {
      try {
        this.fallback.appendMany(entries);
      } catch (error) {
        this.onError(error, entries.length);
      }
      return;
    }
    const id = this.nextId++;
    this.inFlight.set(id, entries.length);
    this.thread.post({ kind: 'append', id, entries } satisfies ToTrafficWriter);
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
    const lost = [...this.inFlight.values()].reduce((a, b) => a + b, 0);
    this.inFlight.clear();
    this.onError(error, lost);
    this.wakeIfIdle();
  }

  private wakeIfIdle(): void {
    if (this.inFlight.size > 0) return;
    for (const wake of this.idleWaiters.splice(0)) wake();
  }
}
