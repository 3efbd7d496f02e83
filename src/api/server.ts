// The HTTP server: Fastify with the dialects mounted, OpenAPI generated from the route schemas, docs, 404 envelopes,
// limits, and the operational endpoints (/health, /ready, /metrics).
import type { DestinationStream } from 'pino';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { CorsConfig } from '../config.js';
import type { LatencyRecorder } from '../gateway/latency-recorder.js';
import type { TrafficLog } from '../gateway/traffic-log.js';
import { redactSecrets } from '../gateway/redaction.js';
import { type AdminErrorCode, adminErrorBody } from './admin/errors.js';
import type { AdminDeps } from './admin/admin-context.js';
import { adminApi, authApi } from './admin/plugin.js';
import { type BacktestApiDeps, backtestApi } from './backtest/plugin.js';
import { clientErrorHandler } from './client-errors.js';
import { registerCors } from './cors.js';
import { errorBodyFor, isNative } from './error-envelope.js';
import { requireHostHeader } from './host-header.js';
import { requestLimits } from './request-limits.js';
import { registerMetrics } from './observability/metrics.js';
import { type ReadinessCheck, registerReadiness } from './observability/readiness.js';
import { requestIdOf } from './observability/request-id.js';
import { lazyRequestLogger } from './observability/request-logger.js';
import { addResponseHeaders } from './observability/response-headers.js';
import { registerTrafficLog } from './observability/traffic-log.js';
import { sendAnswersInBursts } from './turn-answers.js';
import { openAlgoV1 } from './openalgo/plugin.js';
import { type OpenAlgoDeps, openAlgoDepsOf } from './openalgo/route-context.js';
import { openAlgoValidatorCompiler } from './openalgo/request-validation.js';
import { OPENALGO_AJV_OPTIONS } from './openalgo/validation-errors.js';

export interface HttpServerOptions extends OpenAlgoDeps {
  logLevel: string;
  /** Where log lines go; standard output when absent (tests capture them here). */
  logStream?: DestinationStream;
  version: string;
  /** The dependencies /ready checks, by name (for example store, broker). */
  readiness: Record<string, ReadinessCheck>;
  /** Which browser origins may call the API (off: no CORS headers at all). */
  cors: CorsConfig;
  /** The native API: logins under /api/auth, management under /api/admin. */
  admin: AdminDeps;
  /** The backtest API under /api/backtest (with the admin API's callers and scope). */
  backtests: Omit<BacktestApiDeps, 'admin'>;
  /** Times the order calls; its monitor also feeds /metrics. */
  latency: LatencyRecorder;
  /** Receives every answered request but the operational endpoints'. */
  traffic: TrafficLog;
  /** How long a client may take to send one whole request, headers and body (408 after it). */
  requestTimeoutMs: number;
}

/** A basket of a hundred legs is under 20 KiB; nothing legitimate comes near this. */
export const BODY_LIMIT = 1024 * 1024;

export async function buildHttpServer(options: HttpServerOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: options.logLevel,
      stream: options.logStream,
      // API keys may arrive in a query string; they never reach a log line.
      serializers: {
        req: (request) => ({ method: request.method, url: redactSecrets(request.url), reqId: request.id }),
      },
    },
    routerOptions: { ignoreTrailingSlash: true },
    // The client's X-Request-Id is taken only when sane (requestIdOf); Fastify would take any value.
    requestIdHeader: false,
    genReqId: requestIdOf,
    // A path Fastify cannot decode (`%E0%A4`) never reaches a route: answer it in the envelope of the API it aimed at.
    frameworkErrors: (error, request, reply: FastifyReply) => {
      const message = error.code === 'FST_ERR_BAD_URL' ? 'The request path is not valid URL encoding' : error.message;
      void reply.code(400).send(errorBodyFor(request.url, 400, message));
    },
    // Requests the HTTP parser refuses (malformed, oversize headers, too slow) get the envelope too.
    clientErrorHandler: clientErrorHandler(options.requestTimeoutMs),
    // request.log is made on its first line, not for every request.
    childLoggerFactory: lazyRequestLogger,
    bodyLimit: BODY_LIMIT,
    // A client must send its whole request, headers included, within requestTimeoutMs (slow-header and slow-body
    // attacks): given to Node's server as it is made (request-limits.ts), and to Fastify, which sets it again after.
    // Node's Host check answers without a body: requireHostHeader() makes it instead. An idle socket closes after
    // 2 min; keep-alive outlasts the 60 s idle timeout of common load balancers, so they never reuse a socket closed
    // here.
    http: { ...requestLimits(options.requestTimeoutMs), requireHostHeader: false },
    requestTimeout: options.requestTimeoutMs,
    connectionTimeout: 120_000,
    keepAliveTimeout: 72_000,
    ajv: { customOptions: OPENALGO_AJV_OPTIONS },
  });
  // Before any plugin, so that every route (and the 404 handler) gets the hooks and the error handler.
  addResponseHeaders(app);
  sendAnswersInBursts(app);
  registerMetrics(app, options.latency.monitor);
  registerTrafficLog(app, options.traffic, options.verifier);
  requireHostHeader(app);
  app.setErrorHandler(renderError);
  await registerCors(app, options.cors);

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
        { name: 'gtt', description: 'Good-till-triggered orders: resting triggers that place an order when the price crosses them (OpenAlgo v1)' },
        { name: 'account', description: 'Orders, trades, positions and funds (OpenAlgo v1)' },
        { name: 'market data', description: 'Quotes and depth (OpenAlgo v1)' },
        { name: 'symbols', description: 'The instrument master (OpenAlgo v1)' },
        { name: 'analyzer', description: 'Analyzer (sandbox) mode of the account (OpenAlgo v1)' },
        { name: 'calendar', description: "The exchanges' holidays and trading sessions (OpenAlgo v1)" },
        { name: 'chart', description: "A charting UI's preferences, kept per account (OpenAlgo v1)" },
        { name: 'portfolio', description: 'Portfolio backtests, tear sheets and holdings analysis (OpenAlgo v1)' },
        { name: 'sip', description: 'SIP (systematic investment plan) backtests (OpenAlgo v1)' },
        { name: 'not served', description: 'OpenAlgo routes Ordergate answers 501: the Telegram bot and WhatsApp notifications' },
        { name: 'auth', description: 'Login sessions for the native API (JWT access tokens, rotating refresh tokens)' },
        { name: 'admin', description: 'Native API: accounts, API keys, logs and monitors of the caller' },
        { name: 'backtest', description: 'Native API: strategy backtests and parameter sweeps, their jobs and stored history, uploaded strategies' },
        { name: 'system', description: 'Service endpoints' },
      ],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Access token from POST /api/auth/login' },
          adminKey: { type: 'apiKey', in: 'header', name: 'X-API-KEY', description: "An API key with the 'admin' scope (its account only)" },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get(
    '/health',
    { schema: { summary: 'Liveness', tags: ['system'], response: { 200: { type: 'object', properties: { status: { type: 'string' } } } } } },
    async () => ({ status: 'ok' }),
  );
  registerReadiness(app, options.readiness);

  // The v1 dialect validates with validators of its own (every failing field reported at once, as marshmallow does);
  // the native API keeps the root's, which stop at the first.
  await app.register(
    async (v1) => {
      v1.setValidatorCompiler(openAlgoValidatorCompiler());
      await v1.register(openAlgoV1, openAlgoDepsOf(options));
    },
    { prefix: '/api/v1' },
  );
  await app.register(authApi, { prefix: '/api/auth', ...options.admin });
  await app.register(adminApi, { prefix: '/api/admin', ...options.admin });
  await app.register(backtestApi, { prefix: '/api/backtest', admin: options.admin, ...options.backtests });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? request.url;
    // A path served under another method (a GET of a v1 POST route, say) is 405 with the methods it takes; a
    // preflight (OPTIONS) with CORS off stays a 404, like any unknown OPTIONS request.
    const allowed = request.method === 'OPTIONS' ? [] : methodsServing(app, path);
    // In the envelope of the API the path aims at: the native one carries a code.
    const envelope = (code: AdminErrorCode, message: string) =>
      isNative(path) ? { ...adminErrorBody(code, message), path } : { status: 'error', message, path };
    if (allowed.length > 0) {
      return reply
        .code(405)
        .header('allow', allowed.join(', '))
        .send(envelope('method_not_allowed', `Method ${request.method} is not allowed here; use ${allowed.join(' or ')}`));
    }
    return reply.code(404).send(envelope('not_found', 'Not found'));
  });
  return app;
}

/**
 * Errors outside a dialect (the dialects render their own), in the same envelope: client errors keep their message
 * (an oversize body is a 413), anything else is a logged 500 whose details stay in the log.
 */
function renderError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return reply.code(status).send({ status: 'error', message: error.message });
  request.log.error({ err: error }, 'unexpected error');
  return reply.code(500).send({ status: 'error', message: 'An unexpected error occurred' });
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** The methods a route of this exact path answers (static paths; the router ignores a trailing slash). */
function methodsServing(app: FastifyInstance, path: string): string[] {
  const url = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  return METHODS.filter((method) => app.hasRoute({ method, url }));
}
