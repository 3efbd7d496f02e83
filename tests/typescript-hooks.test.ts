// The TypeScript hooks `npm start` runs on (bin/typescript.mjs): a real `node --import` child loads the sources as
// they are. `./x.js` imports reach `./x.ts`, names stay as written without keepNames wrappers, and stack traces point
// at TypeScript lines.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function runModule(source: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', './bin/typescript.mjs', '--input-type=module', '-e', source], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('bin/typescript.mjs', () => {
  it("loads a .ts module and the .ts files it names as './x.js', names kept as written", () => {
    const { status, stdout, stderr } = runModule(`
      // position.ts imports './objects.js' and './decimal.js': both exist only as .ts.
      const position = await import('./src/domain/position.ts');
      const decimal = await import('./src/domain/decimal.ts');
      const { load } = await import('./bin/typescript-hooks.mjs');
      const { source } = await load(new URL('./src/domain/decimal.ts', 'file://${ROOT}/').href, {}, () => undefined);
      console.log(JSON.stringify([typeof position.applyFill, decimal.toString(decimal.dec('1.5')), decimal.add.name, source.includes('__name')]));
    `);
    expect(stderr).toBe('');
    expect(status).toBe(0);
    // decimal.ts's arrow functions keep their names without __name wrappers.
    expect(JSON.parse(stdout)).toEqual(['function', '1.5', 'add', false]);
  });

  it('points stack traces at the TypeScript source', () => {
    const { status, stdout } = runModule(`
      const { dec } = await import('./src/domain/decimal.ts');
      try { dec('not a number'); } catch (error) { console.log(error.stack.split('\\n')[1]); }
    `);
    expect(status).toBe(0);
    expect(stdout).toMatch(/src\/domain\/decimal\.ts:\d+:\d+\)$/m);
  });
});
