// rsi_reversion: buys weakness and sells strength, long only. When flat, buy with everything once the RSI crosses
// below `lower` (oversold); when long, close once it crosses above `upper` (overbought).
import { crossover, crossunder, defineStrategy, type Line } from '../strategy.js';

export default defineStrategy<{ length: number; lower: number; upper: number }, { rsi: Line }>({
  name: 'rsi_reversion',
  description: 'Buys when the RSI crosses below the lower level while flat and sells when it crosses above the upper level.',
  params: [
    { name: 'length', type: 'int', default: 14, min: 2, max: 100, step: 2, description: 'Bars in the RSI' },
    { name: 'lower', type: 'float', default: 30, min: 1, max: 50, step: 5, description: 'Oversold level: buy below it' },
    { name: 'upper', type: 'float', default: 70, min: 50, max: 99, step: 5, description: 'Overbought level: sell above it' },
  ],
  constraint: ({ lower, upper }) => lower < upper,

  init: ({ params, indicators }) => ({ rsi: indicators.rsi(params.length) }),

  onBar(ctx, { rsi }) {
    const { lower, upper } = ctx.params;
    if (ctx.position.size === 0 && crossunder(rsi, lower)) {
      ctx.buy();
    } else if (ctx.position.isLong && crossover(rsi, upper)) {
      ctx.close();
    }
  },
});
