// The traffic log's writer: answered requests are buffered in memory and handed over in one batch per flush (every
// second, or as soon as a batch is full, always outside the request that fills it) to be written in one transaction;
// entries past retention are purged at start and hourly. Writes run in the background: none is awaited by a request.
import type { Clock } from '../domain/clock.js';
import type { TrafficEntry, TrafficLogRepository } from '../store/store.js';

/** Where batches go: the repository itself, or a writer that commits them elsewhere (store/traffic-writer.ts). */
export interface TrafficSink {
  /**
   * Takes a batch; a store failure may throw here, reject the returned promise (the log reports it as a thrown one),
   * or be reported later by the sink itself.
   */
  appendMany(entries: readonly TrafficEntry[]): void | Promise<void>;
  /** Resolves once every batch taken so far is written. */
  idle?(): Promise<void>;
  /** Deletes entries older than `before` off the caller's thread (the repository's purge runs on it otherwise). */
  purge?(before: number): Promise<number>;
  close?(): Promise<void>;
}

export interface TrafficLogOptions {
  /** Purges, and takes the batches unless `sink` is given. */
  repository: TrafficLogRepository;
  sink?: TrafficSink;
  /** Stamps arrivals and decides what retention has expired. */
  clock: Clock;
  /** Entries older than this many days are purged. */
  retentionDays: number;
  flushIntervalMs?: number;
  /** A full batch is written at once rather than at the next interval. */
  batchSize?: number;
  purgeIntervalMs?: number;
}

const DAY_MS = 24 * 3600 * 1000;

export class TrafficLog {
  /** Receives write and purge failures (the gateway logs them); the failed batch is dropped, not retried. */
  onError: (error: unknown, lost: number) => void = () => {};

  private buffer: TrafficEntry[] = [];
  /** The batches handed to the sink whose write has not ended yet, each reporting its own failure. */
  private readonly writing = new Set<Promise<void>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private flushScheduled = false;
  private closed = false;
  private readonly clock: Clock;
  private readonly repository: TrafficLogRepository;
  private readonly sink: TrafficSink;
  private readonly retentionMs: number;
  private readonly flushIntervalMs: number;
  private readonly batchSize: number;
  private readonly purgeIntervalMs: number;

  constructor(options: TrafficLogOptions) {
    this.repository = options.repository;
    this.sink = options.sink ?? options.repository;
    this.clock = options.clock;
    this.retentionMs = options.retentionDays * DAY_MS;
    this.flushIntervalMs = options.flushIntervalMs ?? 1000;
    this.batchSize = options.batchSize ?? 500;
    this.purgeIntervalMs = options.purgeIntervalMs ?? 3600 * 1000;
  }

  /** Purges expired entries now, then starts the flush and purge timers (which never keep the process alive). */
  start(): void {
    if (this.timers.length > 0 || this.closed) return;
    this.purgeSafely();
    this.timers.push(
      setInterval(() => this.flushSafely(), this.flushIntervalMs).unref(),
      setInterval(() => this.purgeSafely(), this.purgeIntervalMs).unref(),
    );
  }

  /** Epoch ms on the log's clock: what a request's `at` is stamped with on arrival. */
  now(): number {
    return this.clock.now();
  }

  /** Buffers one entry; a full batch is written on the next turn of the event loop, not inside the caller. */
  record(entry: TrafficEntry): void {
    if (this.closed) return;
    this.buffer.push(entry);
    if (this.buffer.length >= this.batchSize && !this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flushSafely();
      });
    }
  }

  /**
   * Hands everything buffered to the sink as one batch; returns how many entries. A failure the sink throws
   * propagates; one it rejects with goes to `onError`, with the batch's size.
   */
  flush(): number {
    const batch = this.buffer;
    if (batch.length === 0) return 0;
    // Swapped out first: a failed write loses this batch rather than growing the buffer without bound.
    this.buffer = [];
    const written = this.sink.appendMany(batch);
    if (written) this.follow(written, batch.length);
    return batch.length;
  }

  /** Flushes, then resolves once everything recorded so far is written (what a reader of the log waits for). */
  async settle(): Promise<void> {
    this.flushSafely();
    await Promise.all(this.writing);
    await this.sink.idle?.();
  }

  /** Forgets entries older than the retention, through the sink when it can (its thread); resolves with how many. */
  async purge(): Promise<number> {
    const before = this.clock.now() - this.retentionMs;
    return this.sink.purge ? this.sink.purge(before) : this.repository.purgeBefore(before);
  }

  /**
   * Stops the timers, writes what is buffered and closes the sink; later records are ignored. A failed write is
   * reported, never thrown (shutdown goes on).
   */
  async close(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    this.closed = true;
    this.flushSafely();
    await Promise.all(this.writing);
    await this.sink.close?.();
  }

  /** Keeps a batch's write until it ends, and reports its failure as a thrown one would be. */
  private follow(written: Promise<void>, size: number): void {
    const ended: Promise<void> = written
      .catch((error: unknown) => this.onError(error, size))
      .finally(() => this.writing.delete(ended));
    this.writing.add(ended);
  }

  private flushSafely(): void {
    const pending = this.buffer.length;
    try {
      this.flush();
    } catch (error) {
      this.onError(error, pending);
    }
  }

  private purgeSafely(): void {
    this.purge().catch((error: unknown) => this.onError(error, 0));
  }
}
