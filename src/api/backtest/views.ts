// The backtest API's answers built from the core's records: runs, history rows, jobs and sweeps in snake_case.
import { type BacktestRun, type BacktestRunSummary, alphaOracleStatistics, isoOf, jsonStatistics } from '../../core/backtest/backtest-record.js';
import type { JobResult, StrategyInfo } from '../../core/backtest/backtest-service.js';
import type { SweepResult } from '../../core/backtest/sweep.js';
import type { SweepRow } from '../../domain/backtest/sweep-grid.js';
import type { JobView } from '../../core/backtest/backtest-jobs.js';

export function runSummaryView(run: BacktestRunSummary) {
  const { settings } = run;
  return {
    id: run.id,
    strategy_name: run.strategy,
    params: { ...run.params },
    fill_model: settings.fillModel,
    data: sourceView(run.source),
    start_date: settings.startDate,
    end_date: settings.endDate,
    initial_capital: settings.cash,
    commission: settings.commission,
    settings: {
      spread: settings.spread,
      margin: settings.margin,
      trade_on_close: settings.tradeOnClose,
      hedging: settings.hedging,
      exclusive_orders: settings.exclusiveOrders,
      finalize_trades: settings.finalizeTrades,
    },
    bar_count: run.barCount,
    created_at: isoOf(run.createdAt),
    statistics: { ...run.statistics },
    ...alphaOracleStatistics(run.statistics),
    fill_report: run.fillReport === null ? null : { ...run.fillReport },
  };
}

export function runView(run: BacktestRun) {
  return { ...runSummaryView(run), equity: [...run.equity], trades: [...run.trades] };
}

export function jobView(job: JobView<JobResult>) {
  return {
    job_id: job.id,
    kind: job.kind,
    status: job.status,
    progress: job.progress,
    created_at: isoOf(job.createdAt),
    finished_at: job.finishedAt === undefined ? null : isoOf(job.finishedAt),
    ...(job.result !== undefined && { result: resultView(job.result) }),
    ...(job.error !== undefined && { error: { code: job.error.code, message: job.error.message } }),
  };
}

export function resultView(result: JobResult) {
  return result.kind === 'run' ? runView(result.run) : sweepView(result.sweep);
}

export function sweepView(sweep: SweepResult) {
  const row = (each: SweepRow) => ({ params: { ...each.params }, statistics: jsonStatistics(each.statistics) });
  const { heatmap } = sweep;
  return {
    maximize: sweep.maximize,
    combinations: sweep.combinations,
    best: sweep.best === null ? null : row(sweep.best),
    rows: sweep.rows.map(row),
    heatmap:
      heatmap === null
        ? null
        : {
            statistic: heatmap.statistic,
            x: { name: heatmap.x.name, values: [...heatmap.x.values] },
            y: { name: heatmap.y.name, values: [...heatmap.y.values] },
            z: heatmap.z.map((line) => [...line]),
          },
  };
}

function sourceView(source: BacktestRun['source']) {
  const { kind, ...rest } = source;
  return { source: kind, ...rest } as { source: string; name?: string | null; symbol?: string; exchange?: string; interval?: string };
}

export function strategyView(strategy: StrategyInfo) {
  return { name: strategy.name, description: strategy.description, origin: strategy.origin, params: strategy.params.map((spec) => ({ ...spec })) };
}

