// Why a backtest refuses to run or stops: typed errors with stable codes that the API maps to 422 answers (and a
// cancelled job), each message naming what was wrong.

export type BacktestErrorCode =
  | 'INVALID_BACKTEST_PARAMS'
  | 'INVALID_BACKTEST_SETTINGS'
  | 'INSUFFICIENT_BARS'
  | 'INVALID_BACKTEST_ORDER'
  | 'INVALID_STRATEGY'
  | 'BACKTEST_CANCELLED';

export class BacktestError extends Error {
  constructor(
    readonly code: BacktestErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A strategy parameter is unknown, of the wrong type or out of its range, or the set breaks the strategy's constraint. */
export class InvalidBacktestParams extends BacktestError {
  /** The parameter at fault (`params` when the whole set breaks the constraint). */
  constructor(
    readonly param: string,
    message: string,
  ) {
    super('INVALID_BACKTEST_PARAMS', message);
  }
}

/** A simulation setting is out of its range (cash ≤ 0, margin outside (0, 1], commission outside [−10 %, 10 %)). */
export class InvalidBacktestSettings extends BacktestError {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super('INVALID_BACKTEST_SETTINGS', message);
  }
}

/** The data ends before the strategy's indicators leave their warm-up: no bar is left to trade on. */
export class InsufficientBars extends BacktestError {
  constructor(
    readonly needed: number,
    readonly given: number,
  ) {
    super('INSUFFICIENT_BARS', `The strategy's indicators need at least ${needed} bars, but the data has ${given}`);
  }
}

/** The strategy placed an order the simulation cannot take (a size that is neither a fraction nor whole units, prices in the wrong order). */
export class InvalidBacktestOrder extends BacktestError {
  constructor(message: string) {
    super('INVALID_BACKTEST_ORDER', message);
  }
}

/** The strategy asked for something the engine cannot do (e.g. an indicator over a line it did not get from the kit). */
export class InvalidStrategy extends BacktestError {
  constructor(message: string) {
    super('INVALID_STRATEGY', message);
  }
}

/** The caller asked the run to stop (`shouldStop`) before it finished. */
export class BacktestCancelled extends BacktestError {
  constructor(readonly atBar: number) {
    super('BACKTEST_CANCELLED', `The backtest was cancelled at bar ${atBar}`);
  }
}
