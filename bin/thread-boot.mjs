// Starts a worker thread whose module, named by `workerData.entry`, is TypeScript: the store's writer threads
// (src/store/store-thread.ts) and the backtest pool's workers (src/core/backtest/worker-pool.ts). It registers
// Ordergate's TypeScript hooks (typescript.mjs) first, as bin/ordergate.js does for the CLI: a worker thread does not
// inherit the module hooks of the thread that started it.
import { workerData } from 'node:worker_threads';
import './typescript.mjs';

await import(workerData.entry);
