// Reads the bundled OHLCV series (src/exchange/history/series/*.csv) into columns for the indicator tests; times are
// read as UTC.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { allocateBars, type BarColumns } from '../../../src/domain/backtest/bars.js';

export type BundledSeries = 'GOOG' | 'EURUSD' | 'BTCUSD';

export function readBundledSeries(name: BundledSeries): BarColumns {
  const url = new URL(`../../../src/exchange/history/series/${name}.csv`, import.meta.url);
  const lines = readFileSync(fileURLToPath(url), 'utf8').trim().split('\n').slice(1);
  const bars = allocateBars(lines.length);
  lines.forEach((line, i) => {
    const [time = '', open, high, low, close, volume] = line.split(',');
    bars.time[i] = Date.parse(time.length === 10 ? `${time}T00:00:00Z` : `${time.replace(' ', 'T')}Z`);
    bars.open[i] = Number(open);
    bars.high[i] = Number(high);
    bars.low[i] = Number(low);
    bars.close[i] = Number(close);
    bars.volume[i] = Number(volume);
  });
  return bars;
}
