// placegttorder, modifygttorder, cancelgttorder, gttorderbook: good-till-triggered orders.
import type { FastifyInstance } from 'fastify';
import type { OpenAlgoDeps } from '../route-context.js';

export async function gttRoutes(_fastify: FastifyInstance, _deps: OpenAlgoDeps): Promise<void> {}
