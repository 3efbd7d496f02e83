// A backtest pool's worker thread (worker-pool.ts starts it through bin/thread-boot.mjs): runs one task at a time
// over bars it reads from the pool's SharedArrayBuffer, reports progress, and answers with the outcome or the error
// as data. Users' strategy code runs here and only here.
import { parentPort, workerData } from 'node:worker_threads';
import { type BarColumns, barsOfBuffer, sliceBars } from '../../domain/backtest/bars.js';
import { type BrokerFactory, runSimulation } from '../../domain/backtest/engine.js';
import { BacktestError, InvalidBacktestSettings, InvalidStrategy } from '../../domain/backtest/errors.js';
import { computeStatistics, drawdownCurve } from '../../domain/backtest/statistics.js';
import { BUILTIN_STRATEGIES } from '../../domain/backtest/strategies/builtin-strategies.js';
import type { StrategyDefinition } from '../../domain/backtest/strategy.js';
import { resolveParams } from '../../domain/backtest/strategy-params.js';
import { describeStrategy, evaluateUserStrategy, userError } from './user-strategies.js';
import type {
  BacktestWorkerData,
  ExchangeFill,
  RunOutcome,
  SharedBars,
  Simulated,
  StrategyRef,
  SweepChunkOutcome,
  TaskMessage,
  TaskOutcomes,
  WireError,
  WorkerMessage,
  WorkerTask,
} from './worker-pool.js';

/** A sweep chunk reports progress at most once per this share of it. */
const PROGRESS_STEP = 0.01;

const port = parentPort;
if (!port) throw new Error('backtest-worker.ts runs as a thread of a BacktestPool');

/** The `exchange` fill model's maker, from the module the pool was given (core does not import the exchange). */
const { exchangeFillModule } = workerData as BacktestWorkerData;
const exchangeFillModel = exchangeFillModule
  ? ((await import(exchangeFillModule)) as { exchangeFillModel: (spec: ExchangeFill) => BrokerFactory }).exchangeFillModel
  : undefined;

port.on('message', ({ id, task }: TaskMessage) => {
  const progress = (fraction: number) => port.postMessage({ kind: 'progress', id, fraction } satisfies WorkerMessage);
  try {
    const { outcome, transfer } = perform(task, progress);
    port.postMessage({ kind: 'done', id, outcome } satisfies WorkerMessage, transfer);
  } catch (error) {
    port.postMessage({ kind: 'failed', id, error: wireOf(error, task.strategy) } satisfies WorkerMessage);
  }
});
port.postMessage({ kind: 'ready' } satisfies WorkerMessage);

function perform(task: WorkerTask, progress: (fraction: number) => void): { outcome: TaskOutcomes[WorkerTask['kind']]; transfer: ArrayBuffer[] } {
  switch (task.kind) {
    case 'run': {
      const outcome = run(task, progress);
      return { outcome, transfer: [outcome.equity.buffer as ArrayBuffer, outcome.drawdown.buffer as ArrayBuffer] };
    }
    case 'sweep':
      return { outcome: sweep(task, progress), transfer: [] };
    case 'inspect':
      return { outcome: describeStrategy(strategyOf(task.strategy)), transfer: [] };
    case 'admissible': {
      const { constraint } = strategyOf(task.strategy);
      return { outcome: task.paramSets.map((params) => constraint?.(params) ?? true), transfer: [] };
    }
  }
}

function run(task: Extract<WorkerTask, { kind: 'run' }>, progress: (fraction: number) => void): RunOutcome {
  const bars = barsOf(task.bars);
  const strategy = strategyOf(task.strategy);
  const result = runSimulation(bars, strategy, task.params, task.settings, { onProgress: progress, broker: brokerOf(task) });
  // Copies, so that the transferred buffers hold exactly these values and nothing the engine may keep.
  const equity = result.equity.slice();
  return {
    params: resolveParams(strategy, task.params),
    statistics: computeStatistics({ bars, result }),
    equity,
    drawdown: drawdownCurve(equity),
    trades: result.trades,
    warmup: result.warmup,
    openTrades: result.openTrades,
    ...(result.fillReport && { fillReport: result.fillReport }),
  };
}

/** Each parameter set's statistics; a set the engine refuses (too few bars for it, say) gets NaNs and the reason. */
function sweep(task: Extract<WorkerTask, { kind: 'sweep' }>, progress: (fraction: number) => void): SweepChunkOutcome {
  const bars = barsOf(task.bars);
  const strategy = strategyOf(task.strategy);
  const broker = brokerOf(task);
  const count = task.paramSets.length;
  let reported = 0;
  const rows = task.paramSets.map((params, index) => {
    const report = (fraction: number) => {
      const done = (index + fraction) / count;
      if (done - reported < PROGRESS_STEP && done < 1) return;
      reported = done;
      progress(done);
    };
    try {
      const result = runSimulation(bars, strategy, params, task.settings, { onProgress: report, broker });
      const statistics = computeStatistics({ bars, result }) as unknown as Readonly<Record<string, unknown>>;
      return { statistics: pick(statistics, task.statistics) };
    } catch (error) {
      if (!(error instanceof BacktestError)) throw error;
      return { statistics: pick({}, task.statistics), error: error.message };
    }
  });
  return { rows };
}

function pick(statistics: Readonly<Record<string, unknown>>, names: readonly string[]): Record<string, number> {
  const picked: Record<string, number> = {};
  for (const name of names) {
    const value = statistics[name];
    picked[name] = typeof value === 'number' ? value : Number.NaN;
  }
  return picked;
}

function barsOf(shared: SharedBars): BarColumns {
  const bars = barsOfBuffer(shared.buffer);
  return shared.from === 0 && shared.to === bars.length ? bars : sliceBars(bars, shared.from, shared.to);
}

function brokerOf(task: Simulated): BrokerFactory | undefined {
  if ((task.fillModel ?? 'reference') === 'reference') return undefined;
  if (task.fillModel !== 'exchange') throw new InvalidBacktestSettings('fillModel', `No fill model '${String(task.fillModel)}'`);
  if (!exchangeFillModel) throw new InvalidBacktestSettings('fillModel', 'The exchange fill model is not available to this backtest pool');
  if (!task.exchangeFill) throw new InvalidBacktestSettings('exchangeFill', 'The exchange fill model needs the instrument and product to fill');
  return exchangeFillModel(task.exchangeFill);
}

function strategyOf(ref: StrategyRef): StrategyDefinition {
  if (ref.kind === 'user') return evaluateUserStrategy(ref);
  const strategy = BUILTIN_STRATEGIES.get(ref.name);
  if (!strategy) throw new InvalidStrategy(`No built-in strategy '${ref.name}'`);
  return strategy;
}

/**
 * The error as data for the pool. The engine's typed errors keep their class and fields; anything a user's strategy
 * threw becomes UserStrategyError with the line in their file.
 */
function wireOf(error: unknown, strategy: StrategyRef): WireError {
  if (!(error instanceof BacktestError) && strategy.kind === 'user') return wireOf(userError(strategy, error), strategy);
  if (error instanceof BacktestError) {
    const { param, setting, needed, given, atBar, file, line } = error as Partial<WireError>;
    return { name: error.name, code: error.code, message: error.message, param, setting, needed, given, atBar, file, line };
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { name: 'Error', message };
}

