// The life of one of the store's writer threads (traffic-writer.ts): started through
// bin/thread-boot.mjs (a worker thread does not inherit the TypeScript loader of the thread that started it), ready once
// it says so, failed on an error or an exit nobody asked for, ended by a `close` message once its owner is done.
import { Worker } from 'node:worker_threads';

const BOOT = new URL('../../bin/thread-boot.mjs', import.meta.url);

/** What every writer thread says besides its own answers. */
export type ThreadReady = { kind: 'ready' };

export class StoreThread<Answer> {
  /** Resolves once the thread has said it is ready; rejects if it failed or exited first. */
  readonly started: Promise<void>;
  private readonly worker: Worker;
  private ending = false;

  /**
   * Runs `entry` (a module URL) with `data` (plus `entry`) as its `workerData`. `onAnswer` gets every message but
   * the ready one; `onFailure` gets the thread's error, or its exit when `end` did not ask for it (`name` says whose).
   */
  constructor(
    entry: URL,
    data: Record<string, unknown>,
    name: string,
    onAnswer: (answer: Answer) => void,
    onFailure: (error: Error) => void,
  ) {
    this.worker = new Worker(BOOT, { workerData: { ...data, entry: entry.href } });
    let ready!: () => void;
    let failedToStart!: (error: Error) => void;
    this.started = new Promise<void>((resolve, reject) => {
      ready = resolve;
      failedToStart = reject;
    });
    this.worker.on('message', (message: Answer | ThreadReady) => {
      if ((message as ThreadReady).kind === 'ready') ready();
      else onAnswer(message as Answer);
    });
    this.worker.on('error', (error) => {
      failedToStart(error);
      onFailure(error);
    });
    this.worker.on('exit', (code) => {
      const error = new Error(`${name} exited (code ${code})`);
      failedToStart(error);
      if (!this.ending) onFailure(error);
    });
  }

  post(message: unknown): void {
    this.worker.postMessage(message);
  }

  /** Asks the thread to close its connection and end (`{ kind: 'close' }`); a thread that failed is just stopped. */
  async end(failed: boolean): Promise<void> {
    this.ending = true;
    if (failed) {
      await this.worker.terminate();
      return;
    }
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage({ kind: 'close' });
    await exited;
  }
}
