// analyzer, analyzer/toggle: the caller's account's analyzer (sandbox) mode, read and switched.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AnalyzerMode } from '../../../gateway/analyzer-mode.js';
import { type OpenAlgoDeps, type V1RouteConfig, principalOf } from '../route-context.js';
import {
  AnalyzerBody,
  AnalyzerResponse,
  AnalyzerToggleBody,
  AnalyzerToggleResponse,
  ErrorResponse,
  RateLimitedResponse,
} from '../schemas.js';

const errors = { 400: ErrorResponse, 403: ErrorResponse, 429: RateLimitedResponse };

export async function analyzerRoutes(fastify: FastifyInstance, { analyzer }: OpenAlgoDeps): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

  app.post(
    '/analyzer',
    {
      config: { style: 'order', scope: 'read' } satisfies V1RouteConfig,
      schema: {
        summary: "The caller's account's analyzer (sandbox) mode and its log count",
        tags: ['analyzer'],
        body: AnalyzerBody,
        response: { 200: AnalyzerResponse, ...errors },
      },
    },
    async (request) => ({ status: 'success' as const, data: await analyzerState(analyzer, principalOf(request).accountId) }),
  );

  app.post(
    '/analyzer/toggle',
    {
      config: { style: 'order', scope: 'trade' } satisfies V1RouteConfig,
      schema: {
        summary: "Switches the caller's account between analyzer (sandbox) and live mode",
        tags: ['analyzer'],
        body: AnalyzerToggleBody,
        response: { 200: AnalyzerToggleResponse, ...errors },
      },
    },
    async (request) => {
      const { accountId } = principalOf(request);
      await analyzer.set(accountId, request.body.mode);
      const state = await analyzerState(analyzer, accountId);
      return { status: 'success' as const, data: { ...state, message: `Analyzer mode switched to ${state.mode}` } };
    },
  );
}

// The switch as refreshed when the request was authenticated (or just set).
async function analyzerState(analyzer: AnalyzerMode, accountId: string) {
  const on = analyzer.isOn(accountId);
  return { analyze_mode: on, mode: on ? ('analyze' as const) : ('live' as const), total_logs: await analyzer.totalLogs(accountId) };
}
