// optiongreeks and multioptiongreeks: implied volatility and greeks from an option's price.
import type { FastifyInstance } from 'fastify';
import type { OpenAlgoDeps } from '../route-context.js';

export async function optionGreeksRoutes(_fastify: FastifyInstance, _deps: OpenAlgoDeps): Promise<void> {}
