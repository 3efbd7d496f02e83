// Starts one of the store's writer threads (traffic-writer.ts, journal-writer.ts): the module named by
// `workerData.entry` runs through tsx's loader, as bin/ordergate.js does for the CLI (a worker thread does not
// inherit the loader of the thread that started it).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
