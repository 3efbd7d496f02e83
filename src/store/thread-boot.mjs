// Starts one of the store's writer threads (traffic-writer.ts, journal-writer.ts): the module named by
// `workerData.entry` runs through Ordergate's TypeScript hooks (bin/typescript.mjs), as bin/ordergate.js does for the
// CLI: a worker thread does not inherit the module hooks of the thread that started it.
import { workerData } from 'node:worker_threads';
import '../../bin/typescript.mjs';

await import(workerData.entry);
