// Backtest jobs: a run or a sweep working in the background, with its progress, then its result or its error, until
// it is read back or forgotten. Jobs live in the memory of the gateway that runs them (the result of a run is also
// stored, so the history serves it from any gateway); each belongs to the user who started it.
import type { Clock } from '../../domain/clock.js';

export type JobKind = 'run' | 'sweep';
export type JobStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';

/** Why a job failed, as the API shows it: a stable code, a message and the HTTP status a synchronous call would get. */
export interface JobFailure {
  readonly code: string;
  readonly message: string;
  readonly status: number;
}

export interface JobView<R> {
  readonly id: string;
  readonly kind: JobKind;
  readonly status: JobStatus;
  /** 0 to 1. */
  readonly progress: number;
  readonly createdAt: number;
  readonly finishedAt?: number;
  readonly result?: R;
  readonly error?: JobFailure;
}

/** What a job's work is given: its progress to report and the signal that it was cancelled. */
export interface JobControl {
  readonly signal: AbortSignal;
  progress(fraction: number): void;
}

interface Job<R> {
  readonly id: string;
  readonly userId: string;
  readonly kind: JobKind;
  readonly createdAt: number;
  readonly abort: AbortController;
  /** Settles once the work has ended, whichever way. */
  done?: Promise<void>;
  status: JobStatus;
  progress: number;
  finishedAt?: number;
  result?: R;
  error?: JobFailure;
}

export interface BacktestJobsOptions {
  clock: Clock;
  newId: () => string;
  /** Maps what a job's work threw to what its caller sees. */
  failureOf: (error: unknown) => JobFailure;
  /** How long a finished job stays readable (ms). */
  keepFinishedMs: number;
}

export class BacktestJobs<R> {
  private readonly jobs = new Map<string, Job<R>>();

  constructor(private readonly options: BacktestJobsOptions) {}

  /** Starts `work` as a job of `userId` and returns its id at once. */
  start(userId: string, kind: JobKind, work: (control: JobControl) => Promise<R>): string {
    this.forgetExpired();
    const abort = new AbortController();
    const id = this.options.newId();
    const job: Job<R> = {
      id,
      userId,
      kind,
      createdAt: this.options.clock.now(),
      abort,
      status: 'running',
      progress: 0,
    };
    const control: JobControl = {
      signal: abort.signal,
      progress: (fraction) => {
        if (job.status === 'running') job.progress = Math.max(job.progress, Math.min(1, fraction));
      },
    };
    job.done = work(control).then(
      (result) => this.finish(job, 'succeeded', { result }),
      (error: unknown) => {
        if (job.status === 'cancelled') return;
        this.finish(job, 'failed', { error: this.options.failureOf(error) });
      },
    );
    this.jobs.set(id, job);
    return id;
  }

  /** The job as its user sees it; undefined for an unknown job or another user's. */
  view(userId: string, id: string): JobView<R> | undefined {
    const job = this.jobs.get(id);
    if (job === undefined || job.userId !== userId) return undefined;
    return {
      id: job.id,
      kind: job.kind,
      status: job.status,
      progress: job.progress,
      createdAt: job.createdAt,
      ...(job.finishedAt !== undefined && { finishedAt: job.finishedAt }),
      ...(job.result !== undefined && { result: job.result }),
      ...(job.error !== undefined && { error: job.error }),
    };
  }

  /**
   * Waits up to `ms` for the job to finish (a timer of the event loop, not the clock: it bounds how long a caller is
   * held) and gives its view then, finished or not.
   */
  async settle(userId: string, id: string, ms: number): Promise<JobView<R> | undefined> {
    const job = this.jobs.get(id);
    if (job === undefined || job.userId !== userId) return undefined;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([job.done ?? Promise.resolve(), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
    clearTimeout(timer);
    return this.view(userId, id);
  }

  /** Cancels a running job; its view afterwards, or undefined for an unknown job or another user's. */
  cancel(userId: string, id: string): JobView<R> | undefined {
    const job = this.jobs.get(id);
    if (job === undefined || job.userId !== userId) return undefined;
    if (job.status === 'running') {
      this.finish(job, 'cancelled', {});
      job.abort.abort();
    }
    return this.view(userId, id);
  }

  /** Cancels every running job (the gateway is stopping). */
  cancelAll(): void {
    for (const job of this.jobs.values()) {
      if (job.status !== 'running') continue;
      this.finish(job, 'cancelled', {});
      job.abort.abort();
    }
  }

  private finish(job: Job<R>, status: JobStatus, outcome: { result?: R; error?: JobFailure }): void {
    if (job.status !== 'running') return;
    job.status = status;
    job.finishedAt = this.options.clock.now();
    if (status === 'succeeded') job.progress = 1;
    if (outcome.result !== undefined) job.result = outcome.result;
    if (outcome.error !== undefined) job.error = outcome.error;
  }

  private forgetExpired(): void {
    const before = this.options.clock.now() - this.options.keepFinishedMs;
    for (const [id, job] of this.jobs) {
      if (job.finishedAt !== undefined && job.finishedAt < before) this.jobs.delete(id);
    }
  }
}
