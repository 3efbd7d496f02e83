// A parameter sweep over the backtest pool: the grid (or a random sample of it) under the strategy's and the caller's
// constraints, cut into chunks that every worker takes in turn over the same shared bars, then ranked by the
// statistic to maximise, with a heatmap when two parameters are swept.
import type { BarColumns } from '../../domain/backtest/bars.js';
import { InvalidBacktestParams } from '../../domain/backtest/errors.js';
import type { FillModel, SimulationSettings } from '../../domain/backtest/simulation.js';
import { STATISTIC_NAMES } from '../../domain/backtest/statistics.js';
import { BUILTIN_STRATEGIES } from '../../domain/backtest/strategies/builtin-strategies.js';
import type { ParamSpec, ParamValues, StrategyDefinition } from '../../domain/backtest/strategy.js';
import { resolveParams } from '../../domain/backtest/strategy-params.js';
import {
  compileConstraint,
  type GridSpec,
  gridCombinations,
  type Heatmap,
  heatmap,
  type ParamConstraint,
  rankRows,
  sampleWithoutRepeats,
  type SweepRow,
  sweepAxes,
} from '../../domain/backtest/sweep-grid.js';
import type { UserStrategy } from './user-strategies.js';
import { type BacktestPool, BacktestTimeout, type ExchangeFill, shareBars, type StrategyRef } from './worker-pool.js';

export interface SweepTask {
  /** A built-in strategy's name, or a user's strategy as prepared for the pool. */
  readonly strategy: string | UserStrategy;
  readonly bars: BarColumns;
  readonly settings: SimulationSettings;
  readonly fillModel?: FillModel;
  readonly exchangeFill?: ExchangeFill;
  /** Values of the parameters not swept (the rest keep their defaults). */
  readonly fixed?: ParamValues;
  readonly grid: GridSpec;
  readonly constraint?: ParamConstraint;
  /** Random search: this many sets drawn from the grid without repeats, with `random`; absent, the whole grid. */
  readonly samples?: number;
  readonly random?: () => number;
  /** The statistic to maximise: a report name ("Sharpe Ratio", "Return [%]", …). */
  readonly maximize: string;
  /** The statistics each row keeps (the maximised one always); a useful few by default. */
  readonly statistics?: readonly string[];
}

export interface SweepControl {
  readonly signal?: AbortSignal;
  /** The share of the sweep's runs done (0–1). */
  readonly onProgress?: (fraction: number) => void;
  /** The whole sweep's time limit; the pool's by default. */
  readonly timeLimitMs?: number;
}

export interface SweepResult {
  readonly maximize: string;
  /** The parameter sets run. */
  readonly combinations: number;
  /** Every run, best first. */
  readonly rows: readonly SweepRow[];
  readonly best: SweepRow | null;
  /** The maximised statistic over the two swept parameters (null unless exactly two are swept). */
  readonly heatmap: Heatmap | null;
}

export const DEFAULT_SWEEP_STATISTICS = ['Return [%]', 'Sharpe Ratio', 'Max. Drawdown [%]', 'Win Rate [%]', '# Trades', 'Equity Final [$]'];

/** Chunks per worker: enough that a worker finishing early takes more, few enough that messages cost nothing. */
const CHUNKS_PER_WORKER = 4;

const NUMERIC_STATISTICS: readonly string[] = STATISTIC_NAMES.filter((name) => name !== 'Start' && name !== 'End');

/**
 * Runs the sweep. Throws InvalidBacktestParams for a grid, constraint, fixed value or statistic that does not fit
 * the strategy (before any run), and fails as a chunk fails: a user strategy's error, BacktestTimeout past the time
 * limit, BacktestCancelled on `signal`.
 */
export async function runSweep(pool: BacktestPool, task: SweepTask, control: SweepControl = {}): Promise<SweepResult> {
  const strategy = strategyOf(task.strategy);
  const statistics = statisticsOf(task);
  const base = resolveParams({ ...strategy.shape, constraint: undefined }, task.fixed ?? {});
  const axes = sweepAxes(strategy.shape.params, task.grid);
  for (const axis of axes) {
    if (task.fixed && Object.hasOwn(task.fixed, axis.name)) {
      throw new InvalidBacktestParams(axis.name, `Parameter '${axis.name}' is both swept and fixed`);
    }
  }
  const callers = task.constraint ? compileConstraint(task.constraint, strategy.shape.params) : () => true;
  const own = strategy.shape.constraint;
  let candidates = gridCombinations(axes, base, own ? (params) => callers(params) && own(params) : callers);
  if (strategy.checkInWorker) {
    const check = { kind: 'admissible', strategy: strategy.ref, paramSets: candidates } as const;
    const admissible = await pool.submit(check, `The constraint of ${strategy.ref.name}`, control);
    candidates = candidates.filter((_, index) => admissible[index]);
  }
  if (task.samples !== undefined) {
    if (!task.random) throw new InvalidBacktestParams('samples', 'A random search needs a random source');
    candidates = sampleWithoutRepeats(candidates, task.samples, task.random);
  }
  if (candidates.length === 0) throw new InvalidBacktestParams('constraint', 'No parameter set of the grid meets the constraints');

  const rows = await runChunks(pool, strategy.ref, candidates, statistics, task, control);
  const ranked = rankRows(rows, task.maximize);
  return {
    maximize: task.maximize,
    combinations: candidates.length,
    rows: ranked,
    best: ranked[0] ?? null,
    heatmap: axes.length === 2 ? heatmap(axes[0]!, axes[1]!, rows, task.maximize) : null,
  };
}

async function runChunks(
  pool: BacktestPool,
  ref: StrategyRef,
  sets: readonly ParamValues[],
  statistics: readonly string[],
  task: SweepTask,
  control: SweepControl,
): Promise<SweepRow[]> {
  const bars = shareBars(task.bars);
  const { settings, fillModel, exchangeFill } = task;
  const chunks = chunksOf(sets, Math.min(sets.length, pool.size * CHUNKS_PER_WORKER));
  const done = chunks.map(() => 0);
  const report = () => control.onProgress?.(done.reduce((sum, fraction, index) => sum + fraction * chunks[index]!.length, 0) / sets.length);

  // One deadline for the whole sweep; the caller's abort and a failed chunk stop the other chunks too.
  const stop = new AbortController();
  const limit = control.timeLimitMs ?? pool.timeLimitMs;
  const timer = Number.isFinite(limit) ? setTimeout(() => stop.abort(new BacktestTimeout(`The sweep of ${ref.name}`, limit)), limit) : undefined;
  const forward = () => stop.abort(control.signal?.reason);
  if (control.signal?.aborted) forward();
  control.signal?.addEventListener('abort', forward, { once: true });
  try {
    const outcomes = await Promise.all(
      chunks.map((paramSets, index) =>
        pool
          .submit(
            { kind: 'sweep', bars, strategy: ref, paramSets, settings, fillModel, exchangeFill, statistics },
            `The sweep of ${ref.name}`,
            {
              signal: stop.signal,
              timeLimitMs: Number.POSITIVE_INFINITY,
              onProgress: (fraction) => {
                done[index] = fraction;
                report();
              },
            },
          )
          .catch((error: unknown) => {
            stop.abort(error);
            throw error;
          }),
      ),
    );
    return outcomes.flatMap((outcome, index) =>
      outcome.rows.map((row, at) => ({ params: chunks[index]![at]!, ...row })),
    );
  } finally {
    clearTimeout(timer);
    control.signal?.removeEventListener('abort', forward);
  }
}

/** `items` cut into `count` runs of consecutive items, sizes differing by at most one. */
function chunksOf<T>(items: readonly T[], count: number): T[][] {
  const chunks: T[][] = [];
  let from = 0;
  for (let index = 0; index < count; index++) {
    const to = from + Math.floor((items.length - from) / (count - index));
    chunks.push(items.slice(from, to));
    from = to;
  }
  return chunks;
}

interface SweptStrategy {
  readonly ref: StrategyRef;
  /** What this thread may read and call: the parameters, and a built-in's own constraint. */
  readonly shape: StrategyDefinition;
  /** A user's constraint runs only in a worker. */
  readonly checkInWorker: boolean;
}

function strategyOf(strategy: string | UserStrategy): SweptStrategy {
  if (typeof strategy === 'string') {
    const builtin = BUILTIN_STRATEGIES.get(strategy);
    if (!builtin) throw new InvalidBacktestParams('strategy', `No built-in strategy '${strategy}'`);
    return { ref: { kind: 'builtin', name: strategy }, shape: builtin, checkInWorker: false };
  }
  const shape: StrategyDefinition = {
    name: strategy.name,
    description: strategy.description,
    params: strategy.params as ParamSpec[],
    init: () => undefined,
    onBar: () => {},
  };
  return { ref: strategy.ref, shape, checkInWorker: strategy.hasConstraint };
}

function statisticsOf(task: SweepTask): string[] {
  const check = (field: string, name: string) => {
    if (!NUMERIC_STATISTICS.includes(name)) {
      throw new InvalidBacktestParams(field, `No statistic '${name}' to rank or show (the statistics: ${NUMERIC_STATISTICS.join(', ')})`);
    }
  };
  check('maximize', task.maximize);
  for (const name of task.statistics ?? []) check('statistics', name);
  return [...new Set([task.maximize, ...(task.statistics ?? DEFAULT_SWEEP_STATISTICS)])];
}
