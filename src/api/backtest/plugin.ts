// The backtest API, `/api/backtest`: runs and sweeps of strategies over history, CSV or bundled data, their jobs, the
// stored history of runs, and the strategies users upload. The same callers and scope as the admin API; a request its
// schema refuses is 422 naming the field.
import type { FastifyInstance } from 'fastify';
import type { BacktestService } from '../../core/backtest/backtest-service.js';
import type { AdminDeps } from '../admin/admin-context.js';
import { guardNativeRoutes, nativeErrorRenderer } from '../admin/plugin.js';
import { backtestRoutes } from './routes.js';

export interface BacktestApiDeps {
  readonly admin: AdminDeps;
  readonly backtests: BacktestService;
  /** How long a run or sweep may take before the answer is 202 with its job (ms). */
  readonly syncWaitMs: number;
}

export async function backtestApi(app: FastifyInstance, deps: BacktestApiDeps): Promise<void> {
  guardNativeRoutes(app, deps.admin, nativeErrorRenderer(422));
  await app.register(backtestRoutes, { backtests: deps.backtests, syncWaitMs: deps.syncWaitMs });
}
