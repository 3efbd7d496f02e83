// sma_cross: backtesting.py's reference strategy (SmaCross). Always in the market: long after the fast SMA of the
// close crosses above the slow one, short after it crosses below.
import { crossover, defineStrategy, type Line } from '../strategy.js';

export default defineStrategy<{ fast: number; slow: number }, { fast: Line; slow: Line }>({
  name: 'sma_cross',
  description: 'Goes long when the fast SMA crosses above the slow SMA and short when it crosses below.',
  params: [
    { name: 'fast', type: 'int', default: 10, min: 1, max: 200, step: 5, description: 'Bars in the fast SMA' },
    { name: 'slow', type: 'int', default: 20, min: 2, max: 500, step: 10, description: 'Bars in the slow SMA' },
  ],
  constraint: ({ fast, slow }) => fast < slow,

  init: ({ params, indicators }) => ({
    fast: indicators.sma(params.fast),
    slow: indicators.sma(params.slow),
  }),

  onBar(ctx, { fast, slow }) {
    if (crossover(fast, slow)) {
      ctx.close();
      ctx.buy();
    } else if (crossover(slow, fast)) {
      ctx.close();
      ctx.sell();
    }
  },
});
