// Answers leave in bursts. Each socket write on loopback wakes the client's process; in a VM, waking a process whose
// virtual CPU sleeps costs the writer an inter-processor interrupt, which made `writev` a third of the HTTP thread's
// time when answers left one by one, as each request finished in its own I/O callback. Written back to back, the
// first wakes the client and the rest find it awake. So an answer made alone in its callback (a quote, a ping) waits
// for the end of the event loop's turn (`setImmediate`, after the poll phase that read the turn's requests) and
// leaves with the turn's others; answers made together (the orders of one group commit, released by one message
// from the journal's thread) are a burst already and leave at once, with whatever waits. Measured in
// docs/performance.md: ping +58 %, quotes +52 %, placeorder unchanged. A large answer (an order book of a
// thousand rows) leaves at once: a wake-up is nothing beside its own cost, and held answers that size, a turn's worth,
// would outlive the young generation and load the collector (orderbook ran at half its rate when they were held).
import type { FastifyInstance } from 'fastify';

/** Answers longer than this (characters or bytes) are written at once. */
export const HOLD_LIMIT = 16 * 1024;

/** Holds each reply's write as above (an onSend hook on the root, so every route and error reply has it). */
export function sendAnswersInBursts(app: FastifyInstance): void {
  let waiting: Array<() => void> = [];
  /** Answers made since the last look at the end of a callback. */
  let madeTogether = 0;
  let endOfCallbackScheduled = false;
  let endOfTurnScheduled = false;

  const release = () => {
    const now = waiting;
    waiting = [];
    for (const send of now) send();
  };
  // A nextTick queued from a promise job runs once the callback's microtasks are drained: every answer its burst
  // released has reached this hook by then.
  const endOfCallback = () => {
    endOfCallbackScheduled = false;
    if (madeTogether > 1) release();
    madeTogether = 0;
  };
  const endOfTurn = () => {
    endOfTurnScheduled = false;
    release();
  };

  app.addHook('onSend', (_request, _reply, payload, done) => {
    if ((typeof payload === 'string' || Buffer.isBuffer(payload)) && payload.length > HOLD_LIMIT) {
      done();
      return;
    }
    waiting.push(done);
    madeTogether += 1;
    if (!endOfCallbackScheduled) {
      endOfCallbackScheduled = true;
      process.nextTick(endOfCallback);
    }
    if (!endOfTurnScheduled) {
      endOfTurnScheduled = true;
      setImmediate(endOfTurn);
    }
  });
}
