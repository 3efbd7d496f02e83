// A strategy's parameter values for one run: the caller's values checked against the declared specs (name, type,
// range) and the strategy's constraint, with defaults for the rest.
import { InvalidBacktestParams } from './errors.js';
import type { ParamSpec, ParamValue, ParamValues, StrategyDefinition } from './strategy.js';

/** The full parameter set of a run; throws InvalidBacktestParams naming the first parameter at fault. */
export function resolveParams<P extends ParamValues>(strategy: StrategyDefinition<P, unknown>, given: ParamValues): P {
  const specs = new Map(strategy.params.map((spec) => [spec.name, spec]));
  for (const name of Object.keys(given)) {
    if (!specs.has(name)) {
      const known = strategy.params.map((spec) => spec.name).join(', ') || 'none';
      throw new InvalidBacktestParams(name, `Strategy '${strategy.name}' has no parameter '${name}' (its parameters: ${known})`);
    }
  }
  const values: Record<string, ParamValue> = {};
  for (const spec of strategy.params) {
    const value = Object.hasOwn(given, spec.name) ? given[spec.name] : spec.default;
    checkParam(spec, value);
    values[spec.name] = value as ParamValue;
  }
  const params = values as P;
  if (strategy.constraint && !strategy.constraint(params)) {
    const shown = strategy.params.map((spec) => `${spec.name}=${String(values[spec.name])}`).join(', ');
    throw new InvalidBacktestParams('params', `Parameters ${shown} break the constraint of strategy '${strategy.name}'`);
  }
  return params;
}

function checkParam(spec: ParamSpec, value: unknown): void {
  const fail = (reason: string): never => {
    throw new InvalidBacktestParams(spec.name, `Parameter '${spec.name}' ${reason}, got ${JSON.stringify(value) ?? String(value)}`);
  };
  if (spec.type === 'bool') {
    if (typeof value !== 'boolean') fail('must be true or false');
    return;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return fail('must be a number');
  if (spec.type === 'int' && !Number.isInteger(value)) fail('must be a whole number');
  if (spec.min !== undefined && value < spec.min) fail(`must be at least ${spec.min}`);
  if (spec.max !== undefined && value > spec.max) fail(`must be at most ${spec.max}`);
}
