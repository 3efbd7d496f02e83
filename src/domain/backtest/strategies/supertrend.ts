// supertrend: follows the Supertrend's direction. Long when it turns up; when it turns down, close the long and (with
// `short` on, the default) go short.
import { crossover, crossunder, defineStrategy, type Line } from '../strategy.js';

export default defineStrategy<{ length: number; multiplier: number; short: boolean }, { direction: Line }>({
  name: 'supertrend',
  description: 'Goes long when the Supertrend turns up; closes (and goes short) when it turns down.',
  params: [
    { name: 'length', type: 'int', default: 10, min: 1, max: 100, step: 1, description: 'Bars in the ATR' },
    { name: 'multiplier', type: 'float', default: 3, min: 0.5, max: 10, step: 0.5, description: 'Band width in ATRs' },
    { name: 'short', type: 'bool', default: true, description: 'Go short when the trend turns down' },
  ],

  init: ({ params, indicators }) => ({
    direction: indicators.supertrend(params.length, params.multiplier).direction,
  }),

  onBar(ctx, { direction }) {
    // The direction is +1 in an uptrend and −1 in a downtrend, so a turn is a cross of 0.
    if (crossover(direction, 0)) {
      ctx.close();
      ctx.buy();
    } else if (crossunder(direction, 0)) {
      ctx.close();
      if (ctx.params.short) ctx.sell();
    }
  },
});
