// The bundled daily GOOG series (backtesting.py's test data), read once per test file.
import fs from 'node:fs';
import { parseBarCsv } from '../../../src/domain/backtest/bar-csv.js';
import type { BarColumns } from '../../../src/domain/backtest/bars.js';

let goog: BarColumns | undefined;

export function googBars(): BarColumns {
  goog ??= parseBarCsv(fs.readFileSync(new URL('../../../src/exchange/history/series/GOOG.csv', import.meta.url), 'utf8'));
  return goog;
}
