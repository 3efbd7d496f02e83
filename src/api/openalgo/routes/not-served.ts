// the OpenAlgo routes Ordergate does not serve, answered 501 in OpenAlgo's envelope.
import type { FastifyInstance } from 'fastify';
import type { OpenAlgoDeps } from '../route-context.js';

export async function notServedRoutes(_fastify: FastifyInstance, _deps: OpenAlgoDeps): Promise<void> {}
