"""Times backtesting.py on the bench's workloads, for the ratio `npm run bench:backtest` prints where Python runs.

Prints one JSON line: {"run_ms": one SmaCross(10, 20) run over EURUSD.csv (median of 5 after a warm-up),
"sweep_ms": the 10 x 10 grid optimize() over EURUSD.csv (fast 5-50 by 5, slow 10-100 by 10, fast < slow)}.
Needs pandas and numpy, and backtesting.py on PYTHONPATH; without bokeh it uses the stand-in beside this script.
"""

from __future__ import annotations

import importlib.util
import json
import statistics
import sys
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
EURUSD = HERE.parent.parent / 'src' / 'exchange' / 'history' / 'series' / 'EURUSD.csv'

if importlib.util.find_spec('bokeh') is None:
    sys.path.append(str(HERE / 'fakebokeh'))

import pandas as pd  # noqa: E402
from backtesting import Backtest, Strategy  # noqa: E402
from backtesting.lib import crossover  # noqa: E402


def rolling_mean(values, length):
    return pd.Series(values).rolling(length).mean()


class SmaCross(Strategy):
    fast = 10
    slow = 20

    def init(self):
        self.fast_line = self.I(rolling_mean, self.data.Close, self.fast)
        self.slow_line = self.I(rolling_mean, self.data.Close, self.slow)

    def next(self):
        if crossover(self.fast_line, self.slow_line):
            self.position.close()
            self.buy()
        elif crossover(self.slow_line, self.fast_line):
            self.position.close()
            self.sell()


def main() -> None:
    warnings.simplefilter('ignore')
    bars = pd.read_csv(EURUSD, index_col=0, parse_dates=True)
    backtest = Backtest(bars, SmaCross, cash=10_000, commission=0.0002)
    backtest.run(fast=10, slow=20)
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        backtest.run(fast=10, slow=20)
        runs.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    backtest.optimize(fast=range(5, 51, 5), slow=range(10, 101, 10), constraint=lambda p: p.fast < p.slow,
                      maximize='Equity Final [$]')
    sweep_ms = (time.perf_counter() - started) * 1000
    print(json.dumps({'run_ms': round(statistics.median(runs), 3), 'sweep_ms': round(sweep_ms, 3)}))


if __name__ == '__main__':
    main()
