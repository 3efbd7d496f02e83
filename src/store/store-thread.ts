// Starts one of the store's writer threads (traffic-writer.ts, journal-writer.ts) on the module `entry`, through
// thread-boot.mjs: a worker thread does not inherit the TypeScript loader of the thread that started it.
import { Worker } from 'node:worker_threads';

const BOOT = new URL('./thread-boot.mjs', import.meta.url);

/** A worker thread running `entry` (a module URL next to this one) with `data` as its `workerData` (plus `entry`). */
export function startStoreThread(entry: URL, data: Record<string, unknown>): Worker {
  return new Worker(BOOT, { workerData: { ...data, entry: entry.href } });
}
