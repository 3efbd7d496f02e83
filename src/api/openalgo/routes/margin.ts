// margin: what a basket of positions needs.
import type { FastifyInstance } from 'fastify';
import type { OpenAlgoDeps } from '../route-context.js';

export async function marginRoutes(_fastify: FastifyInstance, _deps: OpenAlgoDeps): Promise<void> {}
