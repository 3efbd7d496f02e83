// chart: the account's chart preferences, read and written.
import type { FastifyInstance } from 'fastify';
import type { OpenAlgoDeps } from '../route-context.js';

export async function chartRoutes(_fastify: FastifyInstance, _deps: OpenAlgoDeps): Promise<void> {}
