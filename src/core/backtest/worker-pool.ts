// Backtests off the main thread: a pool of warm worker threads (backtest-worker.ts) that read the bars from one
// SharedArrayBuffer, never a copy. A task that runs too long, is cancelled or exhausts its worker's memory ends that
// worker (a fresh one takes its place) and fails alone: no other task and never the process.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { allocateBars, BAR_FIELDS, barBytes, type BarColumns } from '../../domain/backtest/bars.js';
import {
  BacktestCancelled,
  BacktestError,
  InsufficientBars,
  InvalidBacktestOrder,
  InvalidBacktestParams,
  InvalidBacktestSettings,
  InvalidStrategy,
} from '../../domain/backtest/errors.js';
import type { ClosedTrade, FillModel, SimulationSettings } from '../../domain/backtest/simulation.js';
import type { ParamSpec, ParamValues } from '../../domain/backtest/strategy.js';
import type { BacktestStatistics } from '../../domain/backtest/statistics.js';

export interface BacktestPoolOptions {
  /** Worker threads; every core by default. */
  readonly size?: number;
  /** How long one task may run before its worker is ended (default 60 s). */
  readonly timeLimitMs?: number;
  /** Each worker's heap (V8's old generation) limit in MB (default 512). */
  readonly memoryLimitMb?: number;
  /**
   * The module whose `exchangeFillModel(spec)` makes the `exchange` fill model (src/exchange/backtest/
   * exchange-fill-model.ts): app.ts names it, since core may not import the exchange. Without it, only `reference`.
   */
  readonly exchangeFillModule?: URL;
}

/** The `exchange` fill model's spec (ExchangeFillSpec): plain data, structured-cloned to the module that makes it. */
export type ExchangeFill = object;

export interface TaskOptions {
  readonly signal?: AbortSignal;
  /** The share of the task done (0–1), as the worker reports it. */
  readonly onProgress?: (fraction: number) => void;
  /** Overrides the pool's time limit for this task. */
  readonly timeLimitMs?: number;
}

/** Bars `from` to `to` (exclusive) of columns laid out by `allocateBars` in a SharedArrayBuffer. */
export interface SharedBars {
  readonly buffer: SharedArrayBuffer;
  readonly from: number;
  readonly to: number;
}

/** Which strategy a worker runs: a built-in by name, or a user's module as compileUserStrategy compiled it. */
export type StrategyRef =
  | { readonly kind: 'builtin'; readonly name: string }
  | { readonly kind: 'user'; readonly name: string; readonly file: string; readonly code: string };

/** What a worker can do. */
export type WorkerTask =
  | ({ readonly kind: 'run'; readonly bars: SharedBars; readonly strategy: StrategyRef; readonly params: ParamValues } & Simulated)
  | ({
      readonly kind: 'sweep';
      readonly bars: SharedBars;
      readonly strategy: StrategyRef;
      readonly paramSets: readonly ParamValues[];
      /** The statistics kept for each set. */
      readonly statistics: readonly string[];
    } & Simulated)
  | { readonly kind: 'inspect'; readonly strategy: StrategyRef }
  | { readonly kind: 'admissible'; readonly strategy: StrategyRef; readonly paramSets: readonly ParamValues[] };

/** How runs simulate: the settings and the fill model (`reference` by default). */
export interface Simulated {
  readonly settings: SimulationSettings;
  readonly fillModel?: FillModel;
  /** The `exchange` model's spec. */
  readonly exchangeFill?: ExchangeFill;
}

export interface RunRequest extends Simulated {
  readonly strategy: StrategyRef;
  readonly bars: BarColumns;
  readonly params: ParamValues;
}

/** One run's outcome. */
export interface RunOutcome {
  /** Every parameter's value in the run, defaults included. */
  readonly params: ParamValues;
  readonly statistics: BacktestStatistics;
  readonly equity: Float64Array;
  /** Drawdown at every bar's close, a fraction of the peak equity. */
  readonly drawdown: Float64Array;
  readonly trades: readonly ClosedTrade[];
  readonly warmup: number;
  readonly openTrades: number;
  /** What the fill model reports beyond fills (the exchange model's refusals, square-offs, charges). */
  readonly fillReport?: Readonly<Record<string, number>>;
}

/** One statistics row per parameter set of a sweep chunk; a set the engine refused has NaNs and its reason. */
export interface SweepChunkOutcome {
  readonly rows: readonly { readonly statistics: Readonly<Record<string, number>>; readonly error?: string }[];
}

/** A strategy module as a worker found it: its declared name, description and parameters. */
export interface StrategyDescriptor {
  readonly name: string;
  readonly description: string;
  readonly params: readonly ParamSpec[];
  readonly hasConstraint: boolean;
}

export interface TaskOutcomes {
  run: RunOutcome;
  sweep: SweepChunkOutcome;
  inspect: StrategyDescriptor;
  admissible: boolean[];
}

/** A worker's `workerData`. */
export interface BacktestWorkerData {
  readonly entry: string;
  readonly exchangeFillModule: string | undefined;
}

/** To a worker. */
export interface TaskMessage {
  readonly id: number;
  readonly task: WorkerTask;
}

/** From a worker. */
export type WorkerMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'progress'; readonly id: number; readonly fraction: number }
  | { readonly kind: 'done'; readonly id: number; readonly outcome: TaskOutcomes[WorkerTask['kind']] }
  | { readonly kind: 'failed'; readonly id: number; readonly error: WireError };

/** An error as it crosses from a worker: its class name, message and the fields that class needs. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
  readonly param?: string;
  readonly setting?: string;
  readonly needed?: number;
  readonly given?: number;
  readonly atBar?: number;
  readonly file?: string;
  readonly line?: number;
}

export type BacktestWorkerErrorCode = 'BACKTEST_TIMEOUT' | 'BACKTEST_MEMORY_LIMIT' | 'BACKTEST_WORKER_FAILED';

/** A task failed because of its worker: too long, out of memory, or the thread died. */
export class BacktestWorkerError extends Error {
  constructor(
    readonly code: BacktestWorkerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class BacktestTimeout extends BacktestWorkerError {
  constructor(
    readonly label: string,
    readonly limitMs: number,
  ) {
    super('BACKTEST_TIMEOUT', `${label} ran longer than ${limitMs / 1000} s`);
  }
}

export class BacktestMemoryLimit extends BacktestWorkerError {
  constructor(
    readonly label: string,
    readonly limitMb: number,
  ) {
    super('BACKTEST_MEMORY_LIMIT', `${label} used more than the ${limitMb} MB of memory a backtest worker may use`);
  }
}

export class BacktestWorkerFailed extends BacktestWorkerError {
  constructor(message: string) {
    super('BACKTEST_WORKER_FAILED', message);
  }
}

/**
 * A user's strategy module failed: it does not compile, its default export is not a strategy, or its code threw
 * (the message then ends with the line in the user's file). Its code is INVALID_STRATEGY.
 */
export class UserStrategyError extends InvalidStrategy {
  constructor(
    message: string,
    readonly file: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

const BOOT = new URL('../../../bin/thread-boot.mjs', import.meta.url);
const ENTRY = new URL('./backtest-worker.ts', import.meta.url);

export const DEFAULT_TIME_LIMIT_MS = 60_000;
export const DEFAULT_MEMORY_LIMIT_MB = 512;

export class BacktestPool {
  readonly size: number;
  readonly timeLimitMs: number;
  readonly memoryLimitMb: number;
  private readonly exchangeFillModule: string | undefined;
  private readonly slots: (Slot | undefined)[];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: BacktestPoolOptions = {}) {
    this.size = Math.max(1, options.size ?? os.availableParallelism());
    this.timeLimitMs = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
    this.memoryLimitMb = options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB;
    this.exchangeFillModule = options.exchangeFillModule?.href;
    this.slots = Array.from({ length: this.size }, () => undefined);
  }

  /** Starts every worker now rather than at the first task; resolves once all are ready. */
  async warm(): Promise<void> {
    this.checkOpen();
    for (let index = 0; index < this.size; index++) this.slots[index] ??= this.start(index);
    await Promise.all(this.slots.map((slot) => slot?.ready));
  }

  /** One run of `strategy` over `bars` (shared with the worker, not copied, when already in a SharedArrayBuffer). */
  run(request: RunRequest, options: TaskOptions = {}): Promise<RunOutcome> {
    const { bars, ...rest } = request;
    return this.submit({ kind: 'run', bars: shareBars(bars), ...rest }, `The run of ${request.strategy.name}`, options);
  }

  /** Runs `task` on the next free worker; `label` names it in the errors it may fail with. */
  submit<K extends WorkerTask['kind']>(
    task: Extract<WorkerTask, { kind: K }>,
    label: string,
    options: TaskOptions = {},
  ): Promise<TaskOutcomes[K]> {
    return new Promise<TaskOutcomes[K]>((resolve, reject) => {
      if (this.closed) return reject(new BacktestWorkerFailed('The backtest pool is closed'));
      const { signal } = options;
      if (signal?.aborted) return reject(abortError(signal, 0));
      const job: Job = {
        id: this.nextId++,
        task,
        label,
        options,
        resolve: resolve as (outcome: unknown) => void,
        reject,
        fraction: 0,
        onAbort: () => this.abort(job),
      };
      signal?.addEventListener('abort', job.onAbort, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  /** Ends every worker; tasks still queued or running fail. */
  async close(): Promise<void> {
    this.closed = true;
    const error = new BacktestWorkerFailed('The backtest pool closed before the task ran');
    for (const job of this.queue.splice(0)) this.settle(job, error);
    const ending = this.slots.map((slot, index) => {
      if (!slot) return undefined;
      this.slots[index] = undefined;
      slot.dead = true;
      if (slot.job) this.settle(slot.job, new BacktestWorkerFailed(`The backtest pool closed while ${slot.job.label} ran`));
      return slot.worker.terminate();
    });
    await Promise.all(ending);
  }

  private checkOpen(): void {
    if (this.closed) throw new BacktestWorkerFailed('The backtest pool is closed');
  }

  /** Gives queued jobs to idle workers and starts workers (lazily, one per waiting job) up to the pool's size. */
  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot && slot.isReady && !slot.job) this.assign(slot, this.queue.shift()!);
    }
    let waiting = this.queue.length - this.slots.filter((slot) => slot && !slot.isReady).length;
    for (let index = 0; index < this.size && waiting > 0; index++) {
      if (this.slots[index]) continue;
      this.slots[index] = this.start(index);
      waiting--;
    }
  }

  private start(index: number): Slot {
    const worker = new Worker(BOOT, {
      workerData: { entry: ENTRY.href, exchangeFillModule: this.exchangeFillModule } satisfies BacktestWorkerData,
      resourceLimits: { maxOldGenerationSizeMb: this.memoryLimitMb },
    });
    let ready!: () => void;
    let failed!: (error: Error) => void;
    const slot: Slot = {
      index,
      worker,
      isReady: false,
      dead: false,
      ready: new Promise<void>((resolve, reject) => {
        ready = resolve;
        failed = reject;
      }),
    };
    // warm() awaits it; a start that fails is reported through the jobs it leaves waiting.
    slot.ready.catch(() => {});
    worker.on('message', (message: WorkerMessage) => {
      if (slot.dead) return;
      if (message.kind === 'ready') {
        slot.isReady = true;
        ready();
        this.idle(slot);
        return;
      }
      const job = slot.job;
      if (!job || job.id !== message.id) return;
      if (message.kind === 'progress') {
        job.fraction = message.fraction;
        job.options.onProgress?.(message.fraction);
        return;
      }
      slot.job = undefined;
      if (message.kind === 'done') this.settle(job, undefined, message.outcome);
      else this.settle(job, errorOfWire(message.error));
      this.idle(slot);
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const label = slot.job?.label ?? 'a backtest';
      const failure =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new BacktestMemoryLimit(label, this.memoryLimitMb)
          : new BacktestWorkerFailed(`${label} ended its worker: ${error.message}`);
      if (!slot.isReady) failed(failure);
      this.lose(slot, failure);
    });
    worker.on('exit', (code) => {
      const failure = new BacktestWorkerFailed(`${slot.job?.label ?? 'a backtest'} ended its worker (exit code ${code})`);
      if (!slot.isReady) failed(failure);
      this.lose(slot, failure);
    });
    return slot;
  }

  /** A worker waiting for work must not keep the process alive; it takes the next job if one waits. */
  private idle(slot: Slot): void {
    slot.worker.unref();
    this.pump();
  }

  private assign(slot: Slot, job: Job): void {
    slot.job = job;
    slot.worker.ref();
    const limit = job.options.timeLimitMs ?? this.timeLimitMs;
    if (Number.isFinite(limit)) job.timer = setTimeout(() => this.kill(slot, new BacktestTimeout(job.label, limit)), limit);
    slot.worker.postMessage({ id: job.id, task: job.task } satisfies TaskMessage);
  }

  private abort(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.settle(job, abortError(job.options.signal!, 0));
      return;
    }
    const slot = this.slots.find((candidate) => candidate?.job === job);
    if (slot) this.kill(slot, abortError(job.options.signal!, atBar(job)));
  }

  /** Ends a worker whose task must stop now (it may be in a loop that never returns) and fails that task. */
  private kill(slot: Slot, error: Error): void {
    if (slot.dead) return;
    void slot.worker.terminate();
    this.lose(slot, error);
  }

  /** The worker is gone: its task (if any) fails with `error`, and a fresh worker takes its place. */
  private lose(slot: Slot, error: Error): void {
    if (slot.dead) return;
    slot.dead = true;
    const job = slot.job;
    slot.job = undefined;
    if (this.slots[slot.index] === slot) this.slots[slot.index] = undefined;
    if (job) this.settle(job, error);
    if (this.closed) return;
    if (!slot.isReady) {
      // Every worker runs the same code: one that cannot start fails the work waiting rather than retrying forever.
      const failure = new BacktestWorkerFailed(`The backtest worker failed to start: ${error.message}`);
      for (const waiting of this.queue.splice(0)) this.settle(waiting, failure);
      return;
    }
    this.slots[slot.index] = this.start(slot.index);
    this.pump();
  }

  private settle(job: Job, error: Error | undefined, outcome?: unknown): void {
    if (job.timer) clearTimeout(job.timer);
    job.options.signal?.removeEventListener('abort', job.onAbort);
    if (error) job.reject(error);
    else job.resolve(outcome);
  }
}

/**
 * The bars as a worker reads them. Columns already laid out by `allocateBars` in a SharedArrayBuffer (or a slice of
 * them) are shared as they are; others are copied once into a new SharedArrayBuffer.
 */
export function shareBars(bars: BarColumns): SharedBars {
  const buffer = bars.time.buffer;
  if (buffer instanceof SharedArrayBuffer && buffer.byteLength % barBytes(1) === 0) {
    const total = buffer.byteLength / barBytes(1);
    const from = bars.time.byteOffset / 8;
    const laidOut = BAR_FIELDS.every((field, column) => {
      const values = bars[field];
      return values.buffer === buffer && values.byteOffset === (column * total + from) * 8 && values.length === bars.length;
    });
    if (laidOut) return { buffer, from, to: from + bars.length };
  }
  const shared = allocateBars(bars.length, new SharedArrayBuffer(barBytes(bars.length)));
  for (const field of BAR_FIELDS) shared[field].set(bars[field]);
  return { buffer: shared.time.buffer as SharedArrayBuffer, from: 0, to: bars.length };
}

/** The error a worker reported, as the class it was thrown as (a plain BacktestWorkerFailed for an unknown one). */
function errorOfWire(error: WireError): Error {
  switch (error.name) {
    case 'InvalidBacktestParams':
      return new InvalidBacktestParams(error.param ?? 'params', error.message);
    case 'InvalidBacktestSettings':
      return new InvalidBacktestSettings(error.setting ?? 'settings', error.message);
    case 'InsufficientBars':
      return new InsufficientBars(error.needed ?? 0, error.given ?? 0);
    case 'InvalidBacktestOrder':
      return new InvalidBacktestOrder(error.message);
    case 'InvalidStrategy':
      return new InvalidStrategy(error.message);
    case 'BacktestCancelled':
      return new BacktestCancelled(error.atBar ?? 0);
    case 'UserStrategyError':
      return new UserStrategyError(error.message, error.file ?? '', error.line);
    default:
      return withCode(error);
  }
}

/** Another BacktestError keeps its code; anything else is the worker failing. */
function withCode(error: WireError): Error {
  if (error.code) {
    const typed = new BacktestError(error.code as BacktestError['code'], error.message);
    typed.name = error.name;
    return typed;
  }
  return new BacktestWorkerFailed(error.message);
}

/** The abort's reason when it is one of ours (a sweep's deadline), else BacktestCancelled. */
function abortError(signal: AbortSignal, bar: number): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof BacktestError || reason instanceof BacktestWorkerError) return reason;
  return new BacktestCancelled(bar);
}

/** The bar a cancelled run had reached, from its last progress report. */
function atBar(job: Job): number {
  if (job.task.kind !== 'run') return 0;
  return Math.floor(job.fraction * (job.task.bars.to - job.task.bars.from));
}

interface Job {
  readonly id: number;
  readonly task: WorkerTask;
  readonly label: string;
  readonly options: TaskOptions;
  readonly resolve: (outcome: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly onAbort: () => void;
  fraction: number;
  timer?: NodeJS.Timeout;
}

interface Slot {
  readonly index: number;
  readonly worker: Worker;
  readonly ready: Promise<void>;
  isReady: boolean;
  dead: boolean;
  job?: Job;
}
