// market/holidays and market/timings: the exchanges' calendar.
import type { FastifyInstance } from 'fastify';
import type { OpenAlgoDeps } from '../route-context.js';

export async function calendarRoutes(_fastify: FastifyInstance, _deps: OpenAlgoDeps): Promise<void> {}
