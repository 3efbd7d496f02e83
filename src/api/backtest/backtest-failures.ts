// What a backtest's failure looks like to its caller: the status and code of the native envelope. The caller's own
// mistakes (a field, a parameter, data too short, a strategy that throws, loops or exhausts its memory) are 422 with
// the reason; a strategy or run that does not exist is 404; anything else is a bug (500).
import { BacktestError } from '../../domain/backtest/errors.js';
import { InvalidBacktest, UnknownStrategy } from '../../core/backtest/backtest-request-errors.js';
import { BacktestWorkerError } from '../../core/backtest/worker-pool.js';
import type { JobFailure } from '../../core/backtest/backtest-jobs.js';

export function backtestFailureOf(error: unknown): JobFailure {
  if (error instanceof UnknownStrategy) return { code: 'not_found', message: error.message, status: 404 };
  if (error instanceof InvalidBacktest || error instanceof BacktestError || error instanceof BacktestWorkerError) {
    return { code: 'unprocessable', message: error.message, status: 422 };
  }
  return { code: 'internal', message: 'An unexpected error occurred', status: 500 };
}
