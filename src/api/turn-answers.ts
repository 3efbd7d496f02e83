// Answers leave in bursts. Each socket write on loopback wakes the client's process; in a VM, waking a process whose
// virtual CPU sleeps costs the writer an inter-processor interrupt, which made `writev` a third of the HTTP thread's
// time when answers left one by one, as each request finished in its own I/O callback. Written back to back, the
// first wakes the client and the rest find it awake. So an answer made alone in its callback (a quote, a book) waits
// for the end of the event loop's turn (`setImmediate`, after the poll phase that read the turn's requests) and
// leaves with the turn's others; answers made together (the orders of one group commit, released by one message
// from the journal's thread) are a burst already and leave at once, with whatever waits. Measured in
// docs/performance.md: ping +25–90 %, quotes +30–50 %, placeorder unchanged.
import type { FastifyInstance } from 'fastify';

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

  app.addHook('onSend', (_request, _reply, _payload, done) => {
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
