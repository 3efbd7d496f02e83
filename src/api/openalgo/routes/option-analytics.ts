// optionsymbol, optionchain and syntheticfuture: option symbols resolved by offset, and the chain around the money.
import type { FastifyInstance } from 'fastify';
import type { OpenAlgoDeps } from '../route-context.js';

export async function optionAnalyticsRoutes(_fastify: FastifyInstance, _deps: OpenAlgoDeps): Promise<void> {}
