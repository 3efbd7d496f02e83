// The parameter sets of a sweep (every combination of a grid, or a random sample of them without repeats, kept only
// where the constraints hold) and what its results become: a ranked table and, over two parameters, a heatmap. Pure:
// the random source is passed in, and a caller's constraint is data (`{ fast: { lt: 'slow' } }`), never code.
import { InvalidBacktestParams } from './errors.js';
import type { ParamSpec, ParamValue, ParamValues } from './strategy.js';

/** Values from `min` to `max` (inclusive) by `step`; a missing field is the parameter's declared one. */
export interface ValueRange {
  readonly min?: number;
  readonly max?: number;
  readonly step?: number;
}

/** One swept parameter: its values as a list, or a range. */
export type AxisSpec = readonly ParamValue[] | ValueRange;

/** The swept parameters by name, in the order given (the first is a heatmap's x, the second its y). */
export type GridSpec = Readonly<Record<string, AxisSpec>>;

export interface SweepAxis {
  readonly name: string;
  readonly values: readonly ParamValue[];
}

export const COMPARISONS = ['lt', 'lte', 'gt', 'gte', 'eq', 'ne'] as const;
export type Comparison = (typeof COMPARISONS)[number];

/**
 * A caller's constraint as data: per parameter, comparisons with a number, a boolean or (a string) another
 * parameter, all of which must hold. `{ fast: { lt: 'slow' }, stop: { gte: 0.5 } }` keeps fast < slow and stop ≥ 0.5.
 */
export type ParamConstraint = Readonly<Record<string, Readonly<Partial<Record<Comparison, ParamValue | string>>>>>;

/** The most parameter sets a grid may hold (before constraints): beyond it a sweep would be hours of work. */
export const MAX_SWEEP_COMBINATIONS = 100_000;

/** One run of a sweep: its full parameter set and the statistics kept (NaN where a statistic has no value). */
export interface SweepRow {
  readonly params: ParamValues;
  readonly statistics: Readonly<Record<string, number>>;
  /** Why the engine refused this set (too few bars for its indicators, say); its statistics are then NaN. */
  readonly error?: string;
}

/** A statistic over two swept parameters: `z[y][x]`, null where no run was made or the statistic has no value. */
export interface Heatmap {
  readonly statistic: string;
  readonly x: SweepAxis;
  readonly y: SweepAxis;
  readonly z: (number | null)[][];
}

/**
 * The swept parameters and their values. An empty grid sweeps every parameter that declares a range. Lists lose
 * repeated values; ranges take the declared min, max and step where not given (whole numbers step by 1).
 */
export function sweepAxes(specs: readonly ParamSpec[], grid: GridSpec): SweepAxis[] {
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const names = Object.keys(grid);
  if (names.length === 0) {
    const ranged = specs.filter((spec) => spec.type !== 'bool' && spec.min !== undefined && spec.max !== undefined);
    if (ranged.length === 0) throw new InvalidBacktestParams('grid', 'The strategy declares no parameter range: name the values to sweep');
    return ranged.map((spec) => ({ name: spec.name, values: rangeValues(spec, {}) }));
  }
  const axes = names.map((name) => {
    const spec = byName.get(name);
    if (!spec) throw new InvalidBacktestParams(name, `The strategy has no parameter '${name}' (its parameters: ${known(specs)})`);
    const axis = grid[name]!;
    return { name, values: isValueList(axis) ? listValues(spec, axis) : rangeValues(spec, axis) };
  });
  checkSize(axes);
  return axes;
}

/** The number of parameter sets in the grid, before constraints. */
export function gridSize(axes: readonly SweepAxis[]): number {
  return axes.reduce((size, axis) => size * axis.values.length, 1);
}

/**
 * Every combination of the axes over `base` (the parameters not swept), the first axis varying slowest, kept where
 * `admissible` holds.
 */
export function gridCombinations(
  axes: readonly SweepAxis[],
  base: ParamValues,
  admissible: (params: ParamValues) => boolean = () => true,
): ParamValues[] {
  checkSize(axes);
  const combinations: ParamValues[] = [];
  const indices = axes.map(() => 0);
  const total = gridSize(axes);
  for (let n = 0; n < total; n++) {
    const params: Record<string, ParamValue> = { ...base };
    axes.forEach((axis, a) => (params[axis.name] = axis.values[indices[a]!]!));
    if (admissible(params)) combinations.push(params);
    for (let a = axes.length - 1; a >= 0; a--) {
      indices[a] = (indices[a]! + 1) % axes[a]!.values.length;
      if (indices[a] !== 0) break;
    }
  }
  return combinations;
}

/** `count` of `items` drawn without repeats (all of them, shuffled, if there are no more), in the order drawn. */
export function sampleWithoutRepeats<T>(items: readonly T[], count: number, random: () => number): T[] {
  if (!Number.isInteger(count) || count < 1) {
    throw new InvalidBacktestParams('samples', `The number of samples must be a whole number of at least 1, got ${count}`);
  }
  const pool = items.slice();
  const taken = Math.min(count, pool.length);
  for (let i = 0; i < taken; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, taken);
}

/** The caller's constraint as a predicate, once checked against the parameters' names and types. */
export function compileConstraint(constraint: ParamConstraint, specs: readonly ParamSpec[]): (params: ParamValues) => boolean {
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const checks: ((params: ParamValues) => boolean)[] = [];
  if (typeof constraint !== 'object' || constraint === null || Array.isArray(constraint)) {
    throw new InvalidBacktestParams('constraint', 'The constraint must be an object keyed by parameter names');
  }
  for (const [name, comparisons] of Object.entries(constraint)) {
    const spec = byName.get(name);
    if (!spec) throw new InvalidBacktestParams('constraint', `The constraint names no parameter '${name}' (the parameters: ${known(specs)})`);
    if (typeof comparisons !== 'object' || comparisons === null || Array.isArray(comparisons)) {
      throw new InvalidBacktestParams('constraint', `The constraint on '${name}' must be an object of comparisons (${COMPARISONS.join(', ')})`);
    }
    for (const [op, operand] of Object.entries(comparisons)) {
      checks.push(comparison(spec, op, operand, byName, specs));
    }
  }
  return (params) => checks.every((check) => check(params));
}

/** The rows best first by `statistic` (higher is better), rows without a value last, ties in the order given. */
export function rankRows(rows: readonly SweepRow[], statistic: string): SweepRow[] {
  const scored = rows.map((row, index) => ({ row, index, value: row.statistics[statistic] ?? Number.NaN }));
  scored.sort((a, b) => {
    const aMissing = Number.isNaN(a.value);
    if (aMissing !== Number.isNaN(b.value)) return aMissing ? 1 : -1;
    if (!aMissing && a.value !== b.value) return a.value > b.value ? -1 : 1;
    return a.index - b.index;
  });
  return scored.map((entry) => entry.row);
}

/** `statistic` over the two axes: a cell per combination, null where no row has a value for it. */
export function heatmap(x: SweepAxis, y: SweepAxis, rows: readonly SweepRow[], statistic: string): Heatmap {
  const z = y.values.map(() => x.values.map((): number | null => null));
  const column = new Map(x.values.map((value, index) => [value, index]));
  const line = new Map(y.values.map((value, index) => [value, index]));
  for (const row of rows) {
    const xi = column.get(row.params[x.name]!);
    const yi = line.get(row.params[y.name]!);
    const value = row.statistics[statistic];
    if (xi === undefined || yi === undefined || typeof value !== 'number' || Number.isNaN(value)) continue;
    z[yi]![xi] = value;
  }
  return { statistic, x, y, z };
}

function isValueList(axis: AxisSpec): axis is readonly ParamValue[] {
  return Array.isArray(axis);
}

function listValues(spec: ParamSpec, values: readonly ParamValue[]): ParamValue[] {
  if (values.length === 0) throw new InvalidBacktestParams(spec.name, `Parameter '${spec.name}' is given no values to sweep`);
  for (const value of values) checkValue(spec, value);
  return [...new Set(values)];
}

function rangeValues(spec: ParamSpec, range: ValueRange): number[] {
  const fail = (reason: string): never => {
    throw new InvalidBacktestParams(spec.name, `Parameter '${spec.name}' ${reason}`);
  };
  if (typeof range !== 'object' || range === null) return fail('must be swept over a list of values or {min, max, step}');
  if (spec.type === 'bool') return fail('is true or false: give its values as a list');
  const min = range.min ?? spec.min;
  const max = range.max ?? spec.max;
  const step = range.step ?? spec.step ?? (spec.type === 'int' ? 1 : undefined);
  if (min === undefined || max === undefined) return fail('declares no range: give min and max');
  if (step === undefined) return fail('declares no step: give one');
  for (const [field, value] of [['min', min], ['max', max], ['step', step]] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value)) fail(`needs a number for ${field}, got ${JSON.stringify(value)}`);
    if (spec.type === 'int' && !Number.isInteger(value)) fail(`is a whole number: its ${field} must be one, got ${value}`);
  }
  if (step <= 0) fail(`needs a step above 0, got ${step}`);
  if (min > max) fail(`needs min ≤ max, got ${min} > ${max}`);
  checkBounds(spec, min);
  checkBounds(spec, max);
  // The tolerance lets max count when float steps land a hair short of it (0.1 × 3 < 0.3).
  const count = Math.floor((max - min) / step + 1e-9) + 1;
  if (count > MAX_SWEEP_COMBINATIONS) fail(`would take ${count} values; a sweep holds at most ${MAX_SWEEP_COMBINATIONS} sets`);
  return Array.from({ length: count }, (_, i) => (spec.type === 'int' ? min + i * step : Number((min + i * step).toPrecision(12))));
}

function checkValue(spec: ParamSpec, value: unknown): void {
  const fail = (reason: string): never => {
    throw new InvalidBacktestParams(spec.name, `Parameter '${spec.name}' ${reason}, got ${JSON.stringify(value) ?? String(value)}`);
  };
  if (spec.type === 'bool') {
    if (typeof value !== 'boolean') fail('takes true or false');
    return;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) fail('takes numbers');
  if (spec.type === 'int' && !Number.isInteger(value)) fail('takes whole numbers');
  checkBounds(spec, value as number);
}

/** A value outside the declared range would only give runs the engine refuses. */
function checkBounds(spec: ParamSpec, value: number): void {
  if (spec.min !== undefined && value < spec.min) {
    throw new InvalidBacktestParams(spec.name, `Parameter '${spec.name}' must be at least ${spec.min}, got ${value}`);
  }
  if (spec.max !== undefined && value > spec.max) {
    throw new InvalidBacktestParams(spec.name, `Parameter '${spec.name}' must be at most ${spec.max}, got ${value}`);
  }
}

function checkSize(axes: readonly SweepAxis[]): void {
  const size = gridSize(axes);
  if (size > MAX_SWEEP_COMBINATIONS) {
    throw new InvalidBacktestParams('grid', `The grid holds ${size} parameter sets; a sweep holds at most ${MAX_SWEEP_COMBINATIONS}`);
  }
}

function comparison(
  spec: ParamSpec,
  op: string,
  operand: unknown,
  byName: ReadonlyMap<string, ParamSpec>,
  specs: readonly ParamSpec[],
): (params: ParamValues) => boolean {
  const fail = (reason: string): never => {
    throw new InvalidBacktestParams('constraint', `The constraint ${spec.name} ${op} ${JSON.stringify(operand)} ${reason}`);
  };
  if (!(COMPARISONS as readonly string[]).includes(op)) fail(`uses no known comparison (${COMPARISONS.join(', ')})`);
  let other: ParamSpec | undefined;
  if (typeof operand === 'string') {
    other = byName.get(operand);
    if (!other) fail(`names no parameter '${operand}' (the parameters: ${known(specs)})`);
  } else if (typeof operand !== 'number' && typeof operand !== 'boolean') {
    fail('compares with neither a number, a boolean nor a parameter name');
  } else if (typeof operand === 'number' && !Number.isFinite(operand)) {
    fail('compares with a number that is not finite');
  }
  const isBool = (side: ParamSpec | undefined, value: unknown) => (side ? side.type === 'bool' : typeof value === 'boolean');
  const leftBool = spec.type === 'bool';
  const rightBool = isBool(other, operand);
  if (leftBool !== rightBool) fail('compares a true/false parameter with a number');
  if (leftBool && op !== 'eq' && op !== 'ne') fail('orders true/false values: use eq or ne');
  const name = spec.name;
  const right = typeof operand === 'string' ? (params: ParamValues) => params[operand] : () => operand as ParamValue;
  const test = COMPARE[op as Comparison];
  return (params) => test(params[name]!, right(params)!);
}

const COMPARE: Readonly<Record<Comparison, (a: ParamValue, b: ParamValue) => boolean>> = {
  lt: (a, b) => a < b,
  lte: (a, b) => a <= b,
  gt: (a, b) => a > b,
  gte: (a, b) => a >= b,
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
};

function known(specs: readonly ParamSpec[]): string {
  return specs.map((spec) => spec.name).join(', ') || 'none';
}
