// The parameter sets of a sweep: grid axes from lists and ranges (declared defaults filled in), combinations in grid
// order under a constraint given as data, random samples without repeats, and the ranking and heatmap of results.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src/domain/seeded-random.js';
import { InvalidBacktestParams } from '../../../src/domain/backtest/errors.js';
import type { ParamSpec } from '../../../src/domain/backtest/strategy.js';
import {
  compileConstraint,
  gridCombinations,
  heatmap,
  type ParamConstraint,
  rankRows,
  sampleWithoutRepeats,
  sweepAxes,
  type SweepRow,
} from '../../../src/domain/backtest/sweep-grid.js';

const SPECS: ParamSpec[] = [
  { name: 'fast', type: 'int', default: 10, min: 5, max: 50, step: 5 },
  { name: 'slow', type: 'int', default: 20, min: 10, max: 100, step: 10 },
  { name: 'stop', type: 'float', default: 0.02, min: 0.01, max: 0.05 },
  { name: 'short', type: 'bool', default: false },
];
const DEFAULTS = { fast: 10, slow: 20, stop: 0.02, short: false };

const row = (fast: number, slow: number, sharpe: number): SweepRow => ({ params: { ...DEFAULTS, fast, slow }, statistics: { 'Sharpe Ratio': sharpe } });

describe('sweepAxes', () => {
  it('takes lists as given without repeats and fills a range from the declared min, max and step', () => {
    expect(sweepAxes(SPECS, { fast: [5, 10, 5], slow: { max: 40 } })).toEqual([
      { name: 'fast', values: [5, 10] },
      { name: 'slow', values: [10, 20, 30, 40] },
    ]);
  });

  it('steps floats without rounding error and includes max', () => {
    expect(sweepAxes(SPECS, { stop: { step: 0.01 } })).toEqual([{ name: 'stop', values: [0.01, 0.02, 0.03, 0.04, 0.05] }]);
  });

  it('sweeps every declared range when no parameter is named', () => {
    const axes = sweepAxes(SPECS.slice(0, 2), {});
    expect(axes.map((axis) => [axis.name, axis.values.length])).toEqual([
      ['fast', 10],
      ['slow', 10],
    ]);
  });

  it('refuses unknown parameters, wrong value types, missing steps and oversized grids, naming the parameter', () => {
    const refusal = (grid: Parameters<typeof sweepAxes>[1]) => {
      try {
        sweepAxes(SPECS, grid);
      } catch (error) {
        return error instanceof InvalidBacktestParams ? [error.param, error.message] : error;
      }
      return 'accepted';
    };
    expect(refusal({ size: [1] })).toEqual(['size', "The strategy has no parameter 'size' (its parameters: fast, slow, stop, short)"]);
    expect(refusal({ fast: [5, 7.5] })).toEqual(['fast', "Parameter 'fast' takes whole numbers, got 7.5"]);
    expect(refusal({ short: [1] })).toEqual(['short', "Parameter 'short' takes true or false, got 1"]);
    expect(refusal({ fast: [5, 55] })).toEqual(['fast', "Parameter 'fast' must be at most 50, got 55"]);
    expect(refusal({ slow: { min: 0 } })).toEqual(['slow', "Parameter 'slow' must be at least 10, got 0"]);
    expect(refusal({ stop: {} })).toEqual(['stop', "Parameter 'stop' declares no step: give one"]);
    expect(refusal({ short: {} })).toEqual(['short', "Parameter 'short' is true or false: give its values as a list"]);
    expect(refusal({ fast: { step: 1 }, slow: { step: 1 }, stop: { step: 0.0001 } })).toEqual([
      'grid',
      'The grid holds 1678586 parameter sets; a sweep holds at most 100000',
    ]);
  });
});

describe('gridCombinations', () => {
  it('lists every admissible set over the fixed parameters, the first axis varying slowest', () => {
    const axes = sweepAxes(SPECS, { fast: [10, 20, 30], slow: [20, 30] });
    const fastBelowSlow = compileConstraint({ fast: { lt: 'slow' } }, SPECS);
    const sets = gridCombinations(axes, { ...DEFAULTS, stop: 0.03 }, fastBelowSlow).map((p) => [p.fast, p.slow, p.stop]);
    expect(sets).toEqual([
      [10, 20, 0.03],
      [10, 30, 0.03],
      [20, 30, 0.03],
    ]);
  });

  it('keeps the 75 sets of the 10 × 10 sma_cross sweep where fast < slow', () => {
    const axes = sweepAxes(SPECS, { fast: {}, slow: {} });
    expect(gridCombinations(axes, DEFAULTS, compileConstraint({ fast: { lt: 'slow' } }, SPECS))).toHaveLength(75);
  });
});

describe('compileConstraint', () => {
  it('holds only when every comparison holds, against numbers, booleans and other parameters', () => {
    const admissible = compileConstraint({ fast: { gte: 10, ne: 15, lte: 'slow' }, short: { eq: true } }, SPECS);
    const sets = [5, 10, 15, 20, 25].flatMap((fast) => [true, false].map((short) => ({ ...DEFAULTS, fast, short })));
    expect(sets.filter(admissible).map((p) => [p.fast, p.short])).toEqual([
      [10, true],
      [20, true],
    ]);
  });

  it('refuses unknown parameters and comparisons, and orderings of true/false values', () => {
    const message = (constraint: Parameters<typeof compileConstraint>[0]) => {
      try {
        compileConstraint(constraint, SPECS);
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(message({ size: { lt: 3 } })).toBe("The constraint names no parameter 'size' (the parameters: fast, slow, stop, short)");
    expect(message({ fast: { below: 'slow' } } as unknown as ParamConstraint)).toBe('The constraint fast below "slow" uses no known comparison (lt, lte, gt, gte, eq, ne)');
    expect(message({ fast: { lt: 'slower' } })).toBe(
      'The constraint fast lt "slower" names no parameter \'slower\' (the parameters: fast, slow, stop, short)',
    );
    expect(message({ short: { lt: true } })).toBe('The constraint short lt true orders true/false values: use eq or ne');
    expect(message({ fast: { eq: 'short' } })).toBe('The constraint fast eq "short" compares a true/false parameter with a number');
  });
});

describe('sampleWithoutRepeats', () => {
  it('draws the same sets from the same seed, none twice', () => {
    const axes = sweepAxes(SPECS, { fast: {}, slow: {} });
    const candidates = gridCombinations(axes, DEFAULTS, compileConstraint({ fast: { lt: 'slow' } }, SPECS));
    const draw = () => sampleWithoutRepeats(candidates, 5, seededRandom(7)).map((p) => [p.fast, p.slow]);
    expect(draw()).toEqual([
      [5, 10],
      [5, 60],
      [50, 90],
      [35, 60],
      [25, 80],
    ]);
    expect(draw()).toEqual(draw());
  });

  it('draws by a partial shuffle: each pick from the items not yet drawn', () => {
    const picks = [0.5, 0, 0.99];
    expect(sampleWithoutRepeats(['a', 'b', 'c', 'd'], 3, () => picks.shift()!)).toEqual(['c', 'b', 'd']);
  });

  it('gives every item, once each, when asked for more than there are', () => {
    expect(sampleWithoutRepeats([1, 2, 3], 10, seededRandom(1)).sort()).toEqual([1, 2, 3]);
  });
});

describe('rankRows and heatmap', () => {
  const rows = [row(5, 10, 0.5), row(5, 20, Number.NaN), row(10, 20, 1.5), row(5, 30, 0.5), row(10, 30, -1)];

  it('ranks the highest value first, ties in grid order, rows without a value last', () => {
    expect(rankRows(rows, 'Sharpe Ratio').map((r) => [r.params.fast, r.params.slow])).toEqual([
      [10, 20],
      [5, 10],
      [5, 30],
      [10, 30],
      [5, 20],
    ]);
  });

  it('maps the statistic onto x × y, null where no run or no value', () => {
    const x = { name: 'fast', values: [5, 10] };
    const y = { name: 'slow', values: [10, 20, 30] };
    expect(heatmap(x, y, rows, 'Sharpe Ratio')).toEqual({
      statistic: 'Sharpe Ratio',
      x,
      y,
      z: [
        [0.5, null],
        [null, 1.5],
        [0.5, -1],
      ],
    });
  });
});
