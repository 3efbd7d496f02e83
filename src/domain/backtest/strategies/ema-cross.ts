// ema_cross: sma_cross with exponential moving averages, which follow the price sooner. Always in the market: long
// after the fast EMA of the close crosses above the slow one, short after it crosses below.
import { crossover, defineStrategy, type Line } from '../strategy.js';

export default defineStrategy<{ fast: number; slow: number }, { fast: Line; slow: Line }>({
  name: 'ema_cross',
  description: 'Goes long when the fast EMA crosses above the slow EMA and short when it crosses below.',
  params: [
    { name: 'fast', type: 'int', default: 10, min: 1, max: 200, step: 5, description: 'Bars in the fast EMA' },
    { name: 'slow', type: 'int', default: 20, min: 2, max: 500, step: 10, description: 'Bars in the slow EMA' },
  ],
  constraint: ({ fast, slow }) => fast < slow,

  init: ({ params, indicators }) => ({
    fast: indicators.ema(params.fast),
    slow: indicators.ema(params.slow),
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
