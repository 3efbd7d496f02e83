// The order journal's writer thread (store/journal-writer.ts starts it): commits the batches it is sent over a
// connection of its own. Batches that arrive in one turn of this thread's event loop share one transaction and one
// fsync, and are answered together. After a failed commit it writes nothing more.
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './database.js';
import {
  type EventRow,
  type EventRowValues,
  type FromJournalWriter,
  INSERT_EVENT_SQL,
  type ToJournalWriter,
} from './journal-writer.js';

const port: MessagePort = parentPort ?? notAWorker();
const { file, synchronous } = workerData as { file: string; synchronous: 'full' | 'normal' };
const db = openDatabase(file, { synchronous });
const insert = db.prepare<EventRowValues>(INSERT_EVENT_SQL);
const commitAll = db
  .transaction((batches: ReadonlyArray<readonly EventRow[]>) => {
    for (const rows of batches) for (const row of rows) insert.run(...row);
  })
  // IMMEDIATE: takes the write lock up front, so another writer makes it wait, not fail.
  .immediate;
const post = (message: FromJournalWriter) => port.postMessage(message);

let queued: Array<readonly EventRow[]> = [];
let firstQueued = 0;
let lastQueued = 0;
let failed: string | undefined;

port.on('message', (message: ToJournalWriter) => {
  if (message.kind === 'close') {
    db.close();
    port.close();
    return;
  }
  if (failed !== undefined) return post({ kind: 'failed', from: message.id, message: failed });
  if (queued.length === 0) {
    firstQueued = message.id;
    setImmediate(commitQueued);
  }
  queued.push(message.rows);
  lastQueued = message.id;
});
post({ kind: 'ready' });

function commitQueued(): void {
  const batches = queued;
  queued = [];
  try {
    commitAll(batches);
    post({ kind: 'committed', through: lastQueued });
  } catch (error) {
    failed = error instanceof Error ? error.message : String(error);
    post({ kind: 'failed', from: firstQueued, message: failed });
  }
}

function notAWorker(): never {
  throw new Error('store/journal-writer-worker.ts runs as a worker thread (JournalWriter starts it)');
}
