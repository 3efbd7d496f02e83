// Readiness on /ready: 200 when every dependency answers, 503 naming the ones that do not (liveness is /health).
import type { FastifyInstance } from 'fastify';

/** Returns when its dependency is usable; throws (or rejects) with the reason when it is not. */
export type ReadinessCheck = () => void | Promise<void>;

const ReadinessBody = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ready', 'not_ready'] },
    checks: { type: 'object', additionalProperties: { type: 'string' }, description: '"ok" or why the check failed' },
  },
} as const;

export function registerReadiness(app: FastifyInstance, checks: Record<string, ReadinessCheck>): void {
  app.get(
    '/ready',
    {
      schema: {
        summary: 'Readiness: the store and the broker answer',
        tags: ['system'],
        response: { 200: ReadinessBody, 503: ReadinessBody },
      },
    },
    async (_request, reply) => {
      const results = await runChecks(checks);
      const ready = Object.values(results).every((result) => result === 'ok');
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks: results });
    },
  );
}

async function runChecks(checks: Record<string, ReadinessCheck>): Promise<Record<string, string>> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]): Promise<[string, string]> => {
      try {
        await check();
        return [name, 'ok'];
      } catch (error) {
        return [name, error instanceof Error ? error.message : String(error)];
      }
    }),
  );
  return Object.fromEntries(entries);
}
