// The strategies Ordergate ships, by name. Each is an ordinary strategy module, the same shape a user's file has.
import type { ParamValues, StrategyDefinition } from '../strategy.js';
import bollingerBreakout from './bollinger-breakout.js';
import emaCross from './ema-cross.js';
import rsiReversion from './rsi-reversion.js';
import smaCross from './sma-cross.js';
import supertrend from './supertrend.js';

export const BUILTIN_STRATEGIES: ReadonlyMap<string, StrategyDefinition> = new Map(
  [registered(smaCross), registered(emaCross), registered(rsiReversion), registered(supertrend), registered(bollingerBreakout)].map(
    (strategy) => [strategy.name, strategy],
  ),
);

/**
 * A strategy typed with its own parameters, seen as one taking any. Sound because every run resolves the values it is
 * given against the strategy's declared specs (resolveParams) before the strategy sees them.
 */
function registered<P extends ParamValues, S>(strategy: StrategyDefinition<P, S>): StrategyDefinition {
  return strategy as unknown as StrategyDefinition;
}
