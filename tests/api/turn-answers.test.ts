// sendAnswersInBursts: an answer made alone in its callback is written at the end of the event loop's turn, with the
// turn's others; answers made together in one callback are written at once. Observed on a real socket: the order of
// each response's hand-over to its socket (`end`) and a setImmediate queued just before the answers were made.
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { HOLD_LIMIT, sendAnswersInBursts } from '../../src/api/turn-answers.js';

let app: FastifyInstance | undefined;

afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** Marks when the reply's response is handed to its socket. */
function markWrite(reply: FastifyReply, marks: string[]): void {
  const response = reply.raw;
  const end = response.end.bind(response) as (...args: unknown[]) => typeof response;
  response.end = ((...args: unknown[]) => {
    marks.push('written');
    return end(...args);
  }) as typeof response.end;
}

async function serve(register: (app: FastifyInstance, marks: string[]) => void): Promise<{ url: string; marks: string[] }> {
  const marks: string[] = [];
  app = Fastify();
  sendAnswersInBursts(app);
  register(app, marks);
  return { url: await app.listen({ host: '127.0.0.1', port: 0 }), marks };
}

describe('sendAnswersInBursts', () => {
  it('writes an answer made alone after the rest of its turn', async () => {
    const { url, marks } = await serve((server, marks) => {
      server.get('/alone', (_request, reply) => {
        markWrite(reply, marks);
        setImmediate(() => marks.push('end of turn'));
        void reply.send({ ok: true });
      });
    });
    const response = await fetch(`${url}/alone`);
    expect(await response.json()).toEqual({ ok: true });
    expect(marks).toEqual(['end of turn', 'written']);
  });

  it('writes a large answer made alone at once', async () => {
    const text = 'x'.repeat(HOLD_LIMIT);
    const { url, marks } = await serve((server, marks) => {
      server.get('/large', (_request, reply) => {
        markWrite(reply, marks);
        setImmediate(() => marks.push('end of turn'));
        void reply.send({ text });
      });
    });
    const response = await fetch(`${url}/large`);
    expect(await response.json()).toEqual({ text });
    expect(marks).toEqual(['written', 'end of turn']);
  });

  it('writes answers made together at once, before the end of their turn', async () => {
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    let waiting = 0;
    const { url, marks } = await serve((server, marks) => {
      server.get('/together', async (_request, reply) => {
        markWrite(reply, marks);
        waiting += 1;
        await gate;
        return { ok: true };
      });
    });
    const answers = [1, 2, 3].map(() => fetch(`${url}/together`).then((response) => response.json()));
    while (waiting < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    setImmediate(() => marks.push('end of turn'));
    open();
    expect(await Promise.all(answers)).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(marks.slice(0, 3)).toEqual(['written', 'written', 'written']);
  });

  it('answers a reply made during the end of a turn, and error replies', async () => {
    const { url } = await serve((server) => {
      server.get('/late', (_request, reply) => {
        setImmediate(() => void reply.send({ late: true }));
      });
      server.get('/fails', async () => {
        throw new Error('nope');
      });
    });
    expect(await (await fetch(`${url}/late`)).json()).toEqual({ late: true });
    expect((await fetch(`${url}/fails`)).status).toBe(500);
  });
});
