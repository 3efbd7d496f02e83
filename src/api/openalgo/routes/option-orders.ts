// optionsorder and optionsmultiorder: option orders placed by offset from the money.
import type { FastifyInstance } from 'fastify';
import type { OpenAlgoDeps } from '../route-context.js';

export async function optionOrderRoutes(_fastify: FastifyInstance, _deps: OpenAlgoDeps): Promise<void> {}
