// Users' strategies: compiled here (a syntax error names its line), loaded and run only in a pool worker (a bad
// shape is refused with the field at fault; a throw fails the run with its message and the line in the user's file),
// read from the data folder's strategies/; with crossover and crossunder at hand, no imports needed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../src/domain/backtest/simulation.js';
import { compileUserStrategy, loadStrategyFolder, prepareUserStrategy } from '../../../src/core/backtest/user-strategies.js';
import { BacktestPool, UserStrategyError } from '../../../src/core/backtest/worker-pool.js';
import { googBars } from './series.js';

const SETTINGS = { ...DEFAULT_SETTINGS, cash: 10_000, commission: 0.002 };

const pool = new BacktestPool({ size: 2 });
afterAll(() => pool.close());

async function failureOf(promise: Promise<unknown>): Promise<UserStrategyError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof UserStrategyError) return error;
    throw error;
  }
  throw new Error('expected a UserStrategyError');
}

describe('user strategies', () => {
  it('refuses a syntax error with its message and line, without running anything', async () => {
    const error = await failureOf(compileUserStrategy('broken', 'export default {\n  name: "broken",\n  params: [,\n};\n'));
    expect([error.message, error.line, error.code]).toEqual(['Syntax error at broken.ts:4:1: Unexpected "}"', 4, 'INVALID_STRATEGY']);
  });

  it('refuses names that are not strategy names or are a built-in', async () => {
    expect((await failureOf(compileUserStrategy('My-Strat', SMA_USER))).message).toBe(
      'My-Strat.ts: a strategy\'s name must be 1–64 lowercase letters, digits or _, starting with a letter (^[a-z][a-z0-9_]{0,63}$), got "My-Strat"',
    );
    expect((await failureOf(prepareUserStrategy(pool, 'sma_cross', SMA_USER.replace("'user_cross'", "'sma_cross'")))).message).toBe(
      "sma_cross.ts: the name 'sma_cross' is a built-in strategy's",
    );
  });

  it('refuses a module that is not a strategy, naming the field at fault', async () => {
    const shapes = await Promise.all([
      failureOf(prepareUserStrategy(pool, 'shape', "export default { name: 'shape', params: {}, init() {}, onBar() {} };")),
      failureOf(prepareUserStrategy(pool, 'shape', "export default { name: 'shape', params: [{ name: 'n', type: 'integer', default: 3 }], init() {}, onBar() {} };")),
      failureOf(prepareUserStrategy(pool, 'shape', "export default { name: 'shape', params: [], init() {} };")),
      failureOf(prepareUserStrategy(pool, 'shape', "export const strategy = { name: 'shape' };")),
      failureOf(prepareUserStrategy(pool, 'other', "export default { name: 'shape', params: [], init() {}, onBar() {} };")),
    ]);
    expect(shapes.map((error) => error.message)).toEqual([
      'shape.ts: params must be an array of parameter specs, got {}',
      "shape.ts: params[0] ('n').type must be 'int', 'float' or 'bool', got \"integer\"",
      'shape.ts: onBar must be a function, got undefined',
      'shape.ts: the default export must be a strategy object ({ name, params, init, onBar }), got undefined',
      "other.ts: the module is named 'shape', but was uploaded as 'other'",
    ]);
  });

  it('fails a run whose strategy throws with the message and the line in the user file', async () => {
    const thrower = await prepareUserStrategy(pool, 'thrower', THROWER);
    const error = await failureOf(pool.run({ strategy: thrower.ref, bars: googBars(), params: {}, settings: SETTINGS }));
    expect([error.message, error.file, error.line]).toEqual([
      "TypeError: Cannot read properties of undefined (reading 'x') at thrower.ts:15",
      'thrower.ts',
      15,
    ]);
  });

  it('runs a strategy written with the global crossover exactly as the built-in sma_cross', async () => {
    const userCross = await prepareUserStrategy(pool, 'user_cross', SMA_USER);
    expect(userCross).toMatchObject({ name: 'user_cross', description: 'sma_cross, written as a user would', hasConstraint: true });
    const request = { bars: googBars(), params: { fast: 10, slow: 20 }, settings: SETTINGS };
    const [user, builtin] = await Promise.all([
      pool.run({ ...request, strategy: userCross.ref }),
      pool.run({ ...request, strategy: { kind: 'builtin', name: 'sma_cross' } }),
    ]);
    expect(user.statistics).toEqual(builtin.statistics);
    expect(user.trades).toEqual(builtin.trades);
  });

  it("loads the data folder's strategy files, reporting the ones that are not strategies", async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ordergate-strategies-'));
    try {
      fs.mkdirSync(path.join(folder, 'strategies'));
      fs.writeFileSync(path.join(folder, 'strategies', 'cross.ts'), SMA_USER);
      fs.writeFileSync(path.join(folder, 'strategies', 'notes.md'), '# not a module');
      fs.writeFileSync(path.join(folder, 'strategies', 'twin.js'), "module.exports = { name: 'user_cross', params: [], init() {}, onBar() {} };\n");
      fs.writeFileSync(path.join(folder, 'strategies', 'empty.js'), 'export default 42;\n');
      const loaded = await loadStrategyFolder(pool, path.join(folder, 'strategies'));
      expect(loaded.strategies.map((strategy) => [strategy.name, strategy.ref.file])).toEqual([['user_cross', 'cross.ts']]);
      expect(loaded.failures).toEqual([
        { file: 'empty.js', message: 'empty.js: the default export must be a strategy object ({ name, params, init, onBar }), got 42' },
        { file: 'twin.js', message: "twin.js: the name 'user_cross' is already cross.ts's" },
      ]);
      expect(await loadStrategyFolder(pool, path.join(folder, 'missing'))).toEqual({ strategies: [], failures: [] });
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

const THROWER = `// Reads a field of nothing on its fifth bar.
interface Level {
  x: number;
}

export default {
  name: 'thrower',
  params: [],
  init: () => ({ seen: 0 }),

  onBar(_ctx: unknown, state: { seen: number }) {
    state.seen += 1;
    const levels: Record<string, Level> = {};
    if (state.seen === 5) {
      console.log(levels.missing.x);
    }
  },
};
`;

const SMA_USER = `type ParamValues = Record<string, number>;

export default {
  name: 'user_cross',
  description: 'sma_cross, written as a user would',
  params: [
    { name: 'fast', type: 'int', default: 10, min: 1, max: 200 },
    { name: 'slow', type: 'int', default: 20, min: 2, max: 500 },
  ],
  constraint: (p: ParamValues) => p.fast < p.slow,
  init: ({ params, indicators }) => ({ fast: indicators.sma(params.fast), slow: indicators.sma(params.slow) }),
  onBar(ctx, { fast, slow }) {
    if (crossover(fast, slow)) {
      ctx.close();
      ctx.buy();
    } else if (crossunder(fast, slow)) {
      ctx.close();
      ctx.sell();
    }
  },
};
`;
