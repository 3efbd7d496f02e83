// The backtest loop: computes the strategy's indicators over the whole series, then walks the bars after the warm-up
// (orders, then equity, then the strategy, as backtesting.py does) through a fill model: `reference` (the library's
// broker) or any other SimulationBroker. Nothing is allocated per bar unless an order is placed or filled.
import type { BarColumns } from './bars.js';
import { BacktestCancelled, InsufficientBars } from './errors.js';
import type { BrokerFactory, FillListener, SimulationBroker } from './fill-model.js';
import { referenceBroker } from './reference-broker.js';
import { Cursor, SeriesBarsView, SeriesIndicatorKit } from './series-lines.js';
import type { SimulationResult, SimulationSettings } from './simulation.js';
import type {
  BarsView,
  FillView,
  OrderRequest,
  ParamValues,
  PositionView,
  StrategyContext,
  StrategyDefinition,
} from './strategy.js';
import { resolveParams } from './strategy-params.js';

export type { BrokerFactory, FillListener, SimulationBroker } from './fill-model.js';

export interface SimulationOptions {
  /** The fill model; `reference` (backtesting.py's) by default. */
  readonly broker?: BrokerFactory;
  /** Called every 65,536 bars and at the end with the share of the loop done (0–1). */
  readonly onProgress?: (fraction: number) => void;
  /** Polled every 65,536 bars; true stops the run with BacktestCancelled. */
  readonly shouldStop?: () => boolean;
}

const PROGRESS_EVERY = 0xffff;

/**
 * Runs `strategy` over `bars`. Throws InvalidBacktestParams for parameters the strategy refuses, InsufficientBars
 * when no bar is left after the warm-up, and whatever the strategy itself throws.
 */
export function runSimulation<P extends ParamValues, S>(
  bars: BarColumns,
  strategy: StrategyDefinition<P, S>,
  params: ParamValues,
  settings: SimulationSettings,
  options: SimulationOptions = {},
): SimulationResult {
  const resolved = resolveParams(strategy, params);
  const n = bars.length;
  const cursor = new Cursor();
  const view = new SeriesBarsView(bars, cursor);
  const kit = new SeriesIndicatorKit(bars, cursor);
  // init sees the whole series, as in the library; the cursor rests on the last bar.
  cursor.index = Math.max(0, n - 1);
  const state = strategy.init({ params: resolved, indicators: kit, bars: view });
  const warmup = kit.warmup;
  // The library starts one bar after the warm-up so that every indicator has a previous value to cross.
  const start = warmup + 1;
  if (start >= n || kit.lacksValues) throw new InsufficientBars(warmup + 2, n);

  const fills: FillView[] = [];
  const onFill = strategy.onFill;
  const listener: FillListener | undefined = onFill ? (size, price, tag) => fills.push({ size, price, tag }) : undefined;
  const broker = (options.broker ?? referenceBroker)(bars, settings, listener);
  const ctx = new RunContext(resolved, view, broker);
  const { onProgress, shouldStop } = options;

  let completed = true;
  for (let i = start; i < n; i++) {
    cursor.index = i;
    broker.processOrders(i);
    if (!broker.recordEquity(i)) {
      completed = false;
      break;
    }
    if (fills.length !== 0) {
      for (const fill of fills) onFill?.call(strategy, ctx, fill, state);
      fills.length = 0;
    }
    strategy.onBar(ctx, state);
    if ((i & PROGRESS_EVERY) === 0) {
      if (shouldStop?.()) throw new BacktestCancelled(i);
      onProgress?.((i - start) / (n - start));
    }
  }
  if (completed && settings.finalizeTrades) broker.finalize(n - 1);
  onProgress?.(1);

  const equity = broker.equityCurve;
  // Bars before the loop take the first recorded value (the library's back-fill).
  equity.fill(equity[start] as number, 0, start);
  const fillReport = broker.report?.();
  return { warmup, equity, trades: broker.closedTrades, openTrades: broker.openTrades, ...(fillReport && { fillReport }) };
}

/** What the strategy sees: the same object at every bar, reading the broker and the cursor live. */
class RunContext<P extends ParamValues> implements StrategyContext<P> {
  constructor(
    readonly params: P,
    readonly bars: BarsView,
    private readonly broker: SimulationBroker,
  ) {}

  get position(): PositionView {
    return this.broker.position;
  }

  get equity(): number {
    return this.broker.equity;
  }

  get cash(): number {
    return this.broker.cash;
  }

  buy(order?: OrderRequest): void {
    this.broker.placeOrder(1, order);
  }

  sell(order?: OrderRequest): void {
    this.broker.placeOrder(-1, order);
  }

  close(): void {
    this.broker.closePosition();
  }
}
