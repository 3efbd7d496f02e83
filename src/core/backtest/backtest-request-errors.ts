// Why a backtest request is refused before any simulation runs: a field of it is invalid (422, naming the field), or
// it names a strategy or run the caller has none of (404).

/** A field of the request is invalid: the data source, the dates, the grid of a sweep. */
export class InvalidBacktest extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'InvalidBacktest';
  }
}

/** No built-in, file or uploaded strategy of the caller has this name. */
export class UnknownStrategy extends Error {
  constructor(
    readonly strategy: string,
    known: readonly string[],
  ) {
    super(`No strategy named '${strategy}'; known strategies: ${known.join(', ')}`);
    this.name = 'UnknownStrategy';
  }
}
