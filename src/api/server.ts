// The HTTP server: Fastify with the dialects mounted, OpenAPI generated from the route schemas, docs, 404 envelopes.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { type OpenAlgoDeps, openAlgoV1 } from './openalgo/plugin.js';
import { OPENALGO_AJV_OPTIONS } from './openalgo/validation-errors.js';

export interface HttpServerOptions extends OpenAlgoDeps {
  logLevel: string;
  version: string;
}

export async function buildHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: options.logLevel,
      // API keys may arrive in a query string; they never reach a log line.
      serializers: {
        req: (request) => ({ method: request.method, url: redactUrl(request.url), reqId: request.id }),
      },
    },
    routerOptions: { ignoreTrailingSlash: true },
    requestIdHeader: 'x-request-id',
    ajv: { customOptions: OPENALGO_AJV_OPTIONS },
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Ordergate',
        version: options.version,
        description:
          'Trading API gateway. `/api/v1` is wire-compatible with OpenAlgo: POST JSON bodies carrying `apikey`, ' +
          'numeric fields as numbers or numeric strings, `{"status":"success"|"error"}` envelopes.',
      },
      tags: [
        { name: 'orders', description: 'Order entry (OpenAlgo v1)' },
        { name: 'account', description: 'Orders, trades, positions and funds (OpenAlgo v1)' },
        { name: 'market data', description: 'Quotes and depth (OpenAlgo v1)' },
        { name: 'symbols', description: 'The instrument master (OpenAlgo v1)' },
        { name: 'system', description: 'Service endpoints' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get(
    '/health',
    { schema: { summary: 'Liveness', tags: ['system'], response: { 200: { type: 'object', properties: { status: { type: 'string' } } } } } },
    async () => ({ status: 'ok' }),
  );

  const { trading, verifier, instruments, smartOrderLock, splitPause, idempotency } = options;
  await app.register(openAlgoV1, {
    prefix: '/api/v1',
    trading,
    verifier,
    instruments,
    smartOrderLock,
    splitPause,
    idempotency,
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ status: 'error', message: 'Not found', path: request.url.split('?')[0] }),
  );
  return app;
}

/** The URL with the values of secret query parameters replaced. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:apikey|api_key|token)=)[^&]*/gi, '$1[redacted]');
}
