// bollinger_breakout: rides a breakout, long only. When flat, buy once the close crosses above the upper band; when
// long, close once the close crosses below the middle band (the SMA).
import { crossover, crossunder, defineStrategy, type Bands } from '../strategy.js';

export default defineStrategy<{ length: number; deviations: number }, { bands: Bands }>({
  name: 'bollinger_breakout',
  description: 'Buys when the close crosses above the upper Bollinger band and sells when it crosses below the middle band.',
  params: [
    { name: 'length', type: 'int', default: 20, min: 2, max: 200, step: 5, description: 'Bars in the middle band (an SMA)' },
    { name: 'deviations', type: 'float', default: 2, min: 0.5, max: 5, step: 0.5, description: 'Band width in standard deviations' },
  ],

  init: ({ params, indicators }) => ({ bands: indicators.bollinger(params.length, params.deviations) }),

  onBar(ctx, { bands }) {
    const close = ctx.bars.close;
    if (ctx.position.size === 0 && crossover(close, bands.upper)) {
      ctx.buy();
    } else if (ctx.position.isLong && crossunder(close, bands.middle)) {
      ctx.close();
    }
  },
});
