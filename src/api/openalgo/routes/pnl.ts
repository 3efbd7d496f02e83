// pnl/symbols: the sandbox's P&L per symbol.
import type { FastifyInstance } from 'fastify';
import type { OpenAlgoDeps } from '../route-context.js';

export async function pnlRoutes(_fastify: FastifyInstance, _deps: OpenAlgoDeps): Promise<void> {}
