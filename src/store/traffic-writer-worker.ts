// The traffic writer's thread (store/traffic-writer.ts starts it): appends each batch it is sent to traffic.db over
// a connection of its own, in one transaction, and purges expired entries when asked; says which is done or why not.
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { openTrafficDatabase } from './traffic-database.js';
import { SqliteTrafficAppender } from './traffic-log-repository.js';
import type { FromTrafficWriter, ToTrafficWriter } from './traffic-writer.js';

const port: MessagePort = parentPort ?? notAWorker();
const db = openTrafficDatabase((workerData as { file: string }).file);
const traffic = new SqliteTrafficAppender(db);
const post = (message: FromTrafficWriter) => port.postMessage(message);

port.on('message', (message: ToTrafficWriter) => {
  if (message.kind === 'close') {
    db.close();
    port.close();
    return;
  }
  try {
    if (message.kind === 'purge') {
      post({ kind: 'purged', id: message.id, count: traffic.purgeBefore(message.before) });
    } else {
      traffic.appendPacked(message.values);
      post({ kind: 'written', id: message.id });
    }
  } catch (error) {
    post({ kind: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error) });
  }
});
post({ kind: 'ready' });

function notAWorker(): never {
  throw new Error('store/traffic-writer-worker.ts runs as a worker thread (TrafficWriter starts it)');
}
