// The backtest use cases behind the native API: runs and sweeps of a built-in, file or uploaded strategy over bars
// from any source, each a job (answered at once when it is quick), every finished run stored in the user's history.
// The simulations themselves run on worker threads (BacktestRunner), never on the thread that serves requests.
import type { Clock } from '../../domain/clock.js';
import type { BarColumns } from '../../domain/backtest/bars.js';
import type { FillModel, SimulationSettings } from '../../domain/backtest/simulation.js';
import type { ParamSpec, ParamValues } from '../../domain/backtest/strategy.js';
import { BUILTIN_STRATEGIES } from '../../domain/backtest/strategies/builtin-strategies.js';
import type { GridSpec, ParamConstraint } from '../../domain/backtest/sweep-grid.js';
import type { BacktestRunRepository, BacktestRunSummaryRow, UserStrategyRepository } from '../../store/store.js';
import { BacktestJobs, type JobFailure, type JobView } from './backtest-jobs.js';
import {
  type BacktestRun,
  type BacktestRunSummary,
  type RunSettings,
  equityPointsOf,
  jsonStatistics,
  isoOf,
  storedSourceOf,
  tradeRecordsOf,
} from './backtest-record.js';
import { InvalidBacktest, UnknownStrategy } from './backtest-request-errors.js';
import { type BarSource, type BarSourceDeps, type BarWindow, loadBars } from './bar-sources.js';
import { type SweepResult, runSweep } from './sweep.js';
import { type UserStrategy, compileUserStrategy, loadStrategyFolder, prepareUserStrategy } from './user-strategies.js';
import { type BacktestPool, type ExchangeFill, type RunOutcome as PoolRunOutcome, shareBars } from './worker-pool.js';
import { seededRandom } from '../../domain/seeded-random.js';

/** A strategy as callers see it: where it comes from and what it takes. */
export interface StrategyInfo {
  readonly name: string;
  readonly description: string;
  readonly origin: 'builtin' | 'file' | 'upload';
  readonly params: readonly ParamSpec[];
}

/** How the `exchange` fill model trades the run's instrument (lots, ticks, product, charges). */
export interface ExchangeFillOptions {
  readonly product: 'CNC' | 'MIS' | 'NRML';
  readonly charges: boolean;
  readonly lotSize?: number;
  readonly tickSize?: number;
}

export interface RunRequest {
  readonly strategy: string;
  readonly params: ParamValues;
  readonly source: BarSource;
  readonly window: BarWindow;
  readonly settings: SimulationSettings;
  readonly fillModel: FillModel;
  readonly exchangeFill?: ExchangeFillOptions;
}

export interface SweepRequest extends Omit<RunRequest, 'params'> {
  /** Parameters not swept keep these values (or their defaults). */
  readonly fixed: ParamValues;
  readonly grid: GridSpec;
  readonly constraint?: ParamConstraint;
  /** Random search: this many parameter sets drawn from the grid; absent, the whole grid. */
  readonly samples?: number;
  readonly seed?: number;
  /** The statistic to maximise (a report name). */
  readonly maximize: string;
  /** Rows answered, best first. */
  readonly top: number;
}

/** The `exchange` fill model's spec for a run: the instrument's lot, tick and kind, the product and charges. */
export type ExchangeFillResolver = (source: BarSource, options: ExchangeFillOptions | undefined) => Promise<ExchangeFill>;

export type JobResult = { readonly kind: 'run'; readonly run: BacktestRun } | { readonly kind: 'sweep'; readonly sweep: SweepResult };

export interface BacktestServiceDeps {
  readonly runs: BacktestRunRepository;
  readonly uploads: UserStrategyRepository;
  readonly pool: BacktestPool;
  /** The operator's strategy files: the data folder's `strategies/`. */
  readonly strategiesFolder: string;
  readonly bars: BarSourceDeps;
  readonly exchangeFill: ExchangeFillResolver;
  readonly clock: Clock;
  /** A new id, time-ordered, after `prefix` (`bt` for a stored run, `job` for a job). */
  readonly newId: (prefix: 'bt' | 'job') => string;
  readonly failureOf: (error: unknown) => JobFailure;
  /** How long a finished job stays readable (ms). */
  readonly keepJobsMs: number;
}

export class BacktestService {
  private readonly jobs: BacktestJobs<JobResult>;

  constructor(private readonly deps: BacktestServiceDeps) {
    this.jobs = new BacktestJobs<JobResult>({
      clock: deps.clock,
      newId: () => deps.newId('job'),
      failureOf: deps.failureOf,
      keepFinishedMs: deps.keepJobsMs,
    });
  }

  /** Every strategy the user can run: built-ins, then the data folder's files, then the user's uploads. */
  async strategies(userId: string): Promise<StrategyInfo[]> {
    const files = (await this.files()).map((each) => infoOf(each, 'file'));
    const uploads = await Promise.all((await this.deps.uploads.list(userId)).map(async (upload) => infoOf(await this.prepare(upload.name, upload.source), 'upload')));
    return [...BUILTINS, ...files, ...uploads];
  }

  /**
   * Stores a user's strategy after reading it in a worker: a syntax error, a bad shape, or a name taken by a built-in
   * or file strategy is refused with the reason. True when it is new.
   */
  async saveStrategy(userId: string, source: string): Promise<{ created: boolean; strategy: StrategyInfo }> {
    // Read once under a neutral file name to learn the module's own name, then prepared under it.
    const code = await compileUserStrategy('upload', source);
    const { name } = await this.deps.pool.submit({ kind: 'inspect', strategy: { kind: 'user', name: 'upload', file: 'upload.ts', code } }, 'The uploaded strategy');
    const strategy = await this.prepare(name, source);
    if ((await this.files()).some((each) => each.name === name)) {
      throw new InvalidBacktest('source', `the name '${name}' is taken by a strategy file of the data folder`);
    }
    const created = await this.deps.uploads.save(userId, name, source, this.deps.clock.now());
    return { created, strategy: infoOf(strategy, 'upload') };
  }

  async removeStrategy(userId: string, name: string): Promise<boolean> {
    return this.deps.uploads.remove(userId, name);
  }

  /** Starts a run as a job; UnknownStrategy (404) or InvalidBacktest (422) before any work when the request is wrong. */
  async startRun(userId: string, request: RunRequest): Promise<string> {
    const strategy = await this.strategyOf(userId, request.strategy);
    const bars = await loadBars(request.source, request.window, this.deps.bars);
    const exchangeFill = request.fillModel === 'exchange' ? await this.deps.exchangeFill(request.source, request.exchangeFill) : undefined;
    return this.jobs.start(userId, 'run', async (control) => {
      const outcome = await this.deps.pool.submit(
        {
          kind: 'run',
          bars: shareBars(bars),
          strategy: typeof strategy === 'string' ? { kind: 'builtin', name: strategy } : strategy.ref,
          params: request.params,
          settings: request.settings,
          fillModel: request.fillModel,
          exchangeFill,
        },
        `The run of ${request.strategy}`,
        { signal: control.signal, onProgress: (fraction) => control.progress(fraction) },
      );
      const run = this.recordOf(request, bars, outcome);
      await this.deps.runs.add(rowOf(userId, run));
      return { kind: 'run', run };
    });
  }

  async startSweep(userId: string, request: SweepRequest): Promise<string> {
    const strategy = await this.strategyOf(userId, request.strategy);
    const bars = await loadBars(request.source, request.window, this.deps.bars);
    const exchangeFill = request.fillModel === 'exchange' ? await this.deps.exchangeFill(request.source, request.exchangeFill) : undefined;
    return this.jobs.start(userId, 'sweep', async (control) => {
      const sweep = await runSweep(
        this.deps.pool,
        {
          strategy,
          bars,
          settings: request.settings,
          fillModel: request.fillModel,
          exchangeFill,
          fixed: request.fixed,
          grid: request.grid,
          constraint: request.constraint,
          samples: request.samples,
          random: seededRandom(request.seed ?? 1),
          maximize: request.maximize,
        },
        { signal: control.signal, onProgress: (fraction) => control.progress(fraction) },
      );
      return { kind: 'sweep', sweep: { ...sweep, rows: sweep.rows.slice(0, request.top) } };
    });
  }

  job(userId: string, id: string): JobView<JobResult> | undefined {
    return this.jobs.view(userId, id);
  }

  /** Waits up to `ms` for the job to finish. */
  settle(userId: string, id: string, ms: number): Promise<JobView<JobResult> | undefined> {
    return this.jobs.settle(userId, id, ms);
  }

  cancel(userId: string, id: string): JobView<JobResult> | undefined {
    return this.jobs.cancel(userId, id);
  }

  /** Stops every running job (the gateway is closing). */
  close(): void {
    this.jobs.cancelAll();
  }

  async history(userId: string, filter: { strategy?: string; limit: number }): Promise<BacktestRunSummary[]> {
    return (await this.deps.runs.list(userId, filter)).map(summaryOfRow);
  }

  async run(userId: string, id: string): Promise<BacktestRun | undefined> {
    const row = await this.deps.runs.get(userId, id);
    return row && { ...summaryOfRow(row), equity: JSON.parse(row.equity) as BacktestRun['equity'], trades: JSON.parse(row.trades) as BacktestRun['trades'] };
  }

  /** A built-in's name, or the user's strategy from the data folder or their uploads; UnknownStrategy otherwise. */
  private async strategyOf(userId: string, name: string): Promise<string | UserStrategy> {
    if (BUILTIN_STRATEGIES.has(name)) return name;
    const file = (await this.files()).find((each) => each.name === name);
    if (file !== undefined) return file;
    const upload = await this.deps.uploads.get(userId, name);
    if (upload !== undefined) return this.prepare(upload.name, upload.source);
    throw new UnknownStrategy(name, (await this.strategies(userId)).map((each) => each.name));
  }

  /** The data folder's strategy files, read again on each call, so a file added while the gateway runs is seen. */
  private async files(): Promise<readonly UserStrategy[]> {
    return (await loadStrategyFolder(this.deps.pool, this.deps.strategiesFolder)).strategies;
  }

  private prepare(name: string, source: string): Promise<UserStrategy> {
    return prepareUserStrategy(this.deps.pool, name, source);
  }

  private recordOf(request: RunRequest, bars: BarColumns, outcome: PoolRunOutcome): BacktestRun {
    const settings: RunSettings = {
      ...request.settings,
      fillModel: request.fillModel,
      startDate: request.window.from === undefined ? null : isoOf(request.window.from),
      endDate: request.window.to === undefined ? null : isoOf(request.window.to),
    };
    return {
      id: this.deps.newId('bt'),
      strategy: request.strategy,
      params: outcome.params,
      source: storedSourceOf(request.source),
      settings,
      statistics: jsonStatistics(outcome.statistics),
      equity: equityPointsOf(bars, outcome.equity, outcome.drawdown),
      trades: tradeRecordsOf(outcome.trades),
      barCount: bars.length,
      createdAt: this.deps.clock.now(),
      fillReport: outcome.fillReport ?? null,
    };
  }
}

function rowOf(userId: string, run: BacktestRun) {
  return {
    id: run.id,
    userId,
    strategy: run.strategy,
    fillModel: run.settings.fillModel,
    params: JSON.stringify(run.params),
    dataSource: JSON.stringify(run.source),
    settings: JSON.stringify(run.settings),
    statistics: JSON.stringify(run.statistics),
    equity: JSON.stringify(run.equity),
    trades: JSON.stringify(run.trades),
    fillReport: run.fillReport === null ? null : JSON.stringify(run.fillReport),
    barCount: run.barCount,
    createdAt: run.createdAt,
  };
}

const BUILTINS: readonly StrategyInfo[] = [...BUILTIN_STRATEGIES.values()].map((strategy) => ({
  name: strategy.name,
  description: strategy.description,
  origin: 'builtin' as const,
  params: strategy.params,
}));

function infoOf(strategy: UserStrategy, origin: 'file' | 'upload'): StrategyInfo {
  return { name: strategy.name, description: strategy.description, origin, params: strategy.params };
}


/** A stored run as the history lists it, its JSON columns read back. */
function summaryOfRow(row: BacktestRunSummaryRow): BacktestRunSummary {
  return {
    id: row.id,
    strategy: row.strategy,
    params: JSON.parse(row.params) as BacktestRun['params'],
    source: JSON.parse(row.dataSource) as BacktestRun['source'],
    settings: JSON.parse(row.settings) as BacktestRun['settings'],
    statistics: JSON.parse(row.statistics) as BacktestRun['statistics'],
    barCount: row.barCount,
    createdAt: row.createdAt,
    fillReport: row.fillReport === null ? null : (JSON.parse(row.fillReport) as BacktestRun['fillReport']),
  };
}
