// Assembles the backtests: a pool of worker threads (which load the paper exchange's fill model for `exchange` runs),
// the bars' sources (the paper exchange's history, CSVs, the bundled series) and the service behind /api/backtest.
import crypto from 'node:crypto';
import path from 'node:path';
import type { Broker } from './brokers/broker.js';
import type { Config } from './config.js';
import { BacktestService, type ExchangeFillOptions } from './core/backtest/backtest-service.js';
import type { BarSource } from './core/backtest/bar-sources.js';
import { BacktestPool } from './core/backtest/worker-pool.js';
import type { Clock } from './domain/clock.js';
import { toString } from './domain/decimal.js';
import { isFuture, isOption } from './domain/instrument.js';
import type { ExchangeFillSpec } from './exchange/backtest/exchange-fill-model.js';
import { BUNDLED_REPLAYS } from './exchange/history/replay-series.js';
import type { Store } from './store/store.js';
import { backtestFailureOf } from './api/backtest/backtest-failures.js';

/** The paper exchange's fill model, which the workers load for `exchange` runs (core may not import the exchange). */
export const EXCHANGE_FILL_MODULE = new URL('./exchange/backtest/exchange-fill-model.ts', import.meta.url);

/** A finished job stays readable this long. */
const KEEP_JOBS_MS = 60 * 60 * 1000;

export interface Backtests {
  readonly service: BacktestService;
  readonly pool: BacktestPool;
  close(): Promise<void>;
}

export function createBacktests(options: { config: Config; store: Store; paper: Broker; clock: Clock }): Backtests {
  const { config, store, paper, clock } = options;
  const pool = new BacktestPool({
    size: config.backtest.workers,
    timeLimitMs: config.backtest.timeLimitMs,
    memoryLimitMb: config.backtest.memoryLimitMb,
    exchangeFillModule: EXCHANGE_FILL_MODULE,
  });
  const service = new BacktestService({
    runs: store.backtestRuns,
    uploads: store.userStrategies,
    pool,
    strategiesFolder: path.join(config.dataDir, 'strategies'),
    bars: {
      bundledNames: BUNDLED_REPLAYS.map((replay) => replay.symbol),
      bundledSeries: (name) => BUNDLED_REPLAYS.find((replay) => replay.symbol === name)?.read(),
      history: (symbol, exchange) => paper.getHistory(symbol, exchange),
      now: () => clock.now(),
    },
    exchangeFill: async (source, fill) => exchangeFillSpec(paper, source, fill),
    clock,
    newId: backtestIds(clock),
    failureOf: backtestFailureOf,
    keepJobsMs: KEEP_JOBS_MS,
  });
  return {
    service,
    pool,
    async close() {
      service.close();
      await pool.close();
    },
  };
}

/**
 * Time-ordered ids after a prefix (`bt_` for runs, `job_` for jobs): the clock's time and this process's count in
 * base 36, then randomness (gateways sharing a database never make the same id); ids of one millisecond still sort in
 * the order they were made.
 */
function backtestIds(clock: Clock): (prefix: string) => string {
  let count = 0;
  return (prefix) => {
    count += 1;
    return `${prefix}_${clock.now().toString(36).padStart(9, '0')}${count.toString(36).padStart(6, '0')}${crypto.randomBytes(4).toString('hex')}`;
  };
}

/**
 * The `exchange` model's terms: an exchange instrument's own lot, tick and kind; CSV and bundled data trade as an NSE
 * equity in lots of 1 and ticks of 0.01, unless the request says otherwise.
 */
function exchangeFillSpec(paper: Broker, source: BarSource, fill: ExchangeFillOptions | undefined): ExchangeFillSpec {
  const product = fill?.product ?? 'CNC';
  const charges = fill?.charges ?? true;
  if (source.kind !== 'history') return csvExchangeFill({ product, charges, lotSize: fill?.lotSize, tickSize: fill?.tickSize });
  const instrument = paper.instruments.require(source.symbol, source.exchange);
  return {
    exchange: instrument.exchange,
    kind: isOption(instrument) ? 'option' : isFuture(instrument) ? 'future' : 'equity',
    ...(instrument.strike !== undefined && { strike: toString(instrument.strike) }),
    lotSize: fill?.lotSize ?? toString(instrument.lotSize),
    tickSize: fill?.tickSize ?? toString(instrument.tickSize),
    product,
    charges,
  };
}

/** CSV and bundled bars trade as an NSE equity, in lots of 1 and ticks of 0.01 unless told otherwise. */
export function csvExchangeFill(fill: ExchangeFillOptions): ExchangeFillSpec {
  return { exchange: 'NSE', kind: 'equity', lotSize: fill.lotSize ?? 1, tickSize: fill.tickSize ?? 0.01, product: fill.product, charges: fill.charges };
}
