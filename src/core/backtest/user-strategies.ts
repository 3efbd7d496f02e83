// Users' own strategies: TypeScript or JavaScript modules whose default export is a strategy definition, from files
// under the data folder's strategies/ or uploaded as text. This thread only compiles them (esbuild strips the types,
// keeping a source map); their code runs only in a pool worker (evaluateUserStrategy), where a throw names the line
// of the user's file, a loop meets the time limit and runaway allocation the memory limit.
import fs from 'node:fs/promises';
import { SourceMap } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { transform, type TransformFailure } from 'esbuild';
import { BUILTIN_STRATEGIES } from '../../domain/backtest/strategies/builtin-strategies.js';
import { crossover, crossunder, defineStrategy, type ParamSpec, type StrategyDefinition } from '../../domain/backtest/strategy.js';
import { type BacktestPool, type StrategyDescriptor, type StrategyRef, UserStrategyError } from './worker-pool.js';

/** A strategy's name: what a run or sweep asks for. */
export const STRATEGY_NAME = /^[a-z][a-z0-9_]{0,63}$/;

export type UserStrategyRef = Extract<StrategyRef, { kind: 'user' }>;

/** A user's strategy as a worker found it, with the compiled module a pool task runs. */
export interface UserStrategy extends StrategyDescriptor {
  readonly ref: UserStrategyRef;
}

/** The strategies of a folder, and the files that are not one (each with the reason). */
export interface StrategyFolder {
  readonly strategies: readonly UserStrategy[];
  readonly failures: readonly { readonly file: string; readonly message: string }[];
}

/**
 * An uploaded module's source compiled to the JavaScript a worker runs (with an inline source map back to
 * `<name>.ts`). Throws UserStrategyError for a name that is not a strategy name or a syntax error (message and line).
 * The last few compilations are kept, so running a stored strategy again does not compile it again.
 */
export async function compileUserStrategy(name: string, source: string): Promise<string> {
  checkName(name, `${name}.ts`);
  return compileModule(`${name}.ts`, source);
}

/** What a pool task runs for an uploaded strategy's source (no worker involved: a bad module fails the run). */
export async function userStrategyRef(name: string, source: string): Promise<UserStrategyRef> {
  return { kind: 'user', name, file: `${name}.ts`, code: await compileUserStrategy(name, source) };
}

/**
 * An uploaded strategy ready to run: compiled, then loaded in a worker, whose default export must be a strategy
 * named `name`.
 */
export async function prepareUserStrategy(pool: BacktestPool, name: string, source: string): Promise<UserStrategy> {
  const strategy = await describeUserStrategy(pool, source, `${name}.ts`);
  if (strategy.name !== name) {
    throw new UserStrategyError(`${name}.ts: the module is named '${strategy.name}', but was uploaded as '${name}'`, `${name}.ts`);
  }
  return strategy;
}

/**
 * The strategy a module's source defines, whatever its name (a valid one, not a built-in's), loaded in a worker;
 * `file` names it in error messages and stack lines.
 */
export async function describeUserStrategy(pool: BacktestPool, source: string, file = 'upload.ts'): Promise<UserStrategy> {
  const code = await compileModule(file, source);
  return inspect(pool, { kind: 'user', name: file, file, code });
}

/** Every `*.ts` and `*.js` module in `folder` (the data folder's `strategies/`), each loaded in a worker; none if it is missing. */
export async function loadStrategyFolder(pool: BacktestPool, folder: string): Promise<StrategyFolder> {
  let entries: string[];
  try {
    entries = (await fs.readdir(folder, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && /\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { strategies: [], failures: [] };
    throw error;
  }
  const strategies: UserStrategy[] = [];
  const failures: { file: string; message: string }[] = [];
  for (const file of entries) {
    try {
      const code = await compileModule(file, await fs.readFile(path.join(folder, file), 'utf8'));
      const strategy = await inspect(pool, { kind: 'user', name: file, file, code });
      const taken = strategies.find((other) => other.name === strategy.name);
      if (taken) throw new UserStrategyError(`${file}: the name '${strategy.name}' is already ${taken.ref.file}'s`, file);
      strategies.push(strategy);
    } catch (error) {
      failures.push({ file, message: (error as Error).message });
    }
  }
  return { strategies, failures };
}

async function inspect(pool: BacktestPool, ref: UserStrategyRef): Promise<UserStrategy> {
  const descriptor = await pool.submit({ kind: 'inspect', strategy: ref }, `strategy file ${ref.file}`);
  return { ...descriptor, ref: { ...ref, name: descriptor.name } };
}

/** Recent compilations by file name and source; the oldest goes first past the cap. */
const compiled = new Map<string, Promise<string>>();
const COMPILED_CAP = 64;

function compileModule(file: string, source: string): Promise<string> {
  const key = `${file}\n${source}`;
  let code = compiled.get(key);
  if (!code) {
    code = transpile(file, source);
    if (compiled.size >= COMPILED_CAP) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, code);
    // A failure is not kept: the next call reports it afresh.
    code.catch(() => compiled.delete(key));
  }
  return code;
}

async function transpile(file: string, source: string): Promise<string> {
  try {
    const { code } = await transform(source, {
      loader: file.endsWith('.js') ? 'js' : 'ts',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'inline',
      sourcefile: file,
    });
    return code;
  } catch (error) {
    const first = (error as TransformFailure).errors?.[0];
    if (!first) throw error;
    const at = first.location ? `${file}:${first.location.line}:${first.location.column + 1}` : file;
    throw new UserStrategyError(`Syntax error at ${at}: ${first.text}`, file, first.location?.line);
  }
}

function checkName(name: unknown, file: string): void {
  if (typeof name !== 'string' || !STRATEGY_NAME.test(name)) {
    throw new UserStrategyError(
      `${file}: a strategy's name must be 1–64 lowercase letters, digits or _, starting with a letter ` +
        `(${STRATEGY_NAME.source}), got ${JSON.stringify(name)}`,
      file,
    );
  }
  if (BUILTIN_STRATEGIES.has(name)) throw new UserStrategyError(`${file}: the name '${name}' is a built-in strategy's`, file);
}

// ---- In a worker only: running the user's code ----

/** A frame of the user's code in a stack trace: the marked file name, then the line and column in the compiled code. */
const FRAME_FILE = 'user-strategy:';
const MAP_COMMENT = /\n\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

interface LoadedModule {
  readonly definition: StrategyDefinition;
  readonly map: SourceMap | undefined;
}

/** Modules evaluated in this worker, by compiled code; the oldest goes first past the cap. */
const loaded = new Map<string, LoadedModule>();
const LOADED_CAP = 16;

/**
 * The strategy a user's compiled module exports, evaluated (once per worker) in a context of its own: its globals are
 * not the engine's, and it sees `crossover`, `crossunder` and `defineStrategy` there without imports. Worker only.
 */
export function evaluateUserStrategy(ref: UserStrategyRef): StrategyDefinition {
  const cached = loaded.get(ref.code);
  if (cached) return cached.definition;
  const mapped = MAP_COMMENT.exec(ref.code);
  const map = mapped ? new SourceMap(JSON.parse(Buffer.from(mapped[1]!, 'base64').toString('utf8'))) : undefined;
  const body = mapped ? ref.code.slice(0, mapped.index) : ref.code;
  const context = vm.createContext({ console, crossover, crossunder, defineStrategy });
  const module: { exports: Record<string, unknown> } = { exports: {} };
  const require = (specifier: string): never => {
    throw new UserStrategyError(
      `${ref.file}: a strategy module imports nothing ('${specifier}'): indicators come through ctx.indicators, ` +
        'and crossover, crossunder and defineStrategy are globals',
      ref.file,
    );
  };
  try {
    const evaluate = vm.compileFunction(body, ['module', 'exports', 'require'], { filename: FRAME_FILE + ref.file, parsingContext: context });
    evaluate(module, module.exports, require);
  } catch (error) {
    throw userError(ref, error, map);
  }
  const exported = module.exports.__esModule ? module.exports.default : module.exports;
  const definition = checkDefinition(exported, ref.file);
  if (loaded.size >= LOADED_CAP) loaded.delete(loaded.keys().next().value!);
  loaded.set(ref.code, { definition, map });
  return definition;
}

/** What a worker reports of a user's module. */
export function describeStrategy(definition: StrategyDefinition): StrategyDescriptor {
  return {
    name: definition.name,
    description: definition.description ?? '',
    params: definition.params.map((spec) => ({ ...spec })),
    hasConstraint: typeof definition.constraint === 'function',
  };
}

/**
 * An error thrown while the user's code ran, as UserStrategyError: its name and message, and the line of the user's
 * file in the innermost frame of their code (`TypeError: … at my_strat.ts:12`). Worker only.
 */
export function userError(ref: UserStrategyRef, error: unknown, map = loaded.get(ref.code)?.map): UserStrategyError {
  if (error instanceof UserStrategyError) return error;
  const thrown = error as { name?: unknown; message?: unknown; stack?: unknown } | null;
  const described =
    typeof thrown === 'object' && thrown !== null && typeof thrown.message === 'string'
      ? `${typeof thrown.name === 'string' ? thrown.name : 'Error'}: ${thrown.message}`
      : `Threw ${String(error)}`;
  const stack = typeof thrown?.stack === 'string' ? thrown.stack : '';
  const frame = new RegExp(`${escapeRegExp(FRAME_FILE + ref.file)}:(\\d+):(\\d+)`).exec(stack);
  let line: number | undefined;
  if (frame && map) {
    const entry = map.findEntry(Number(frame[1]) - 1, Number(frame[2]) - 1) as { originalLine?: number };
    if (entry.originalLine !== undefined) line = entry.originalLine + 1;
  }
  return new UserStrategyError(line === undefined ? `${described} (in ${ref.file})` : `${described} at ${ref.file}:${line}`, ref.file, line);
}

/** The default export checked to be a strategy, each fault named precisely. */
function checkDefinition(exported: unknown, file: string): StrategyDefinition {
  const fail = (reason: string): never => {
    throw new UserStrategyError(`${file}: ${reason}`, file);
  };
  if (typeof exported !== 'object' || exported === null) {
    return fail(`the default export must be a strategy object ({ name, params, init, onBar }), got ${describeValue(exported)}`);
  }
  const definition = exported as Record<string, unknown>;
  checkName(definition.name, file);
  if (definition.description !== undefined && typeof definition.description !== 'string') {
    fail(`description must be a string, got ${describeValue(definition.description)}`);
  }
  if (!Array.isArray(definition.params)) fail(`params must be an array of parameter specs, got ${describeValue(definition.params)}`);
  const names = new Set<string>();
  (definition.params as unknown[]).forEach((spec, index) => {
    const name = checkParamSpec(spec, `params[${index}]`, fail);
    if (names.has(name)) fail(`params[${index}] repeats the name '${name}'`);
    names.add(name);
  });
  for (const callback of ['init', 'onBar'] as const) {
    if (typeof definition[callback] !== 'function') fail(`${callback} must be a function, got ${describeValue(definition[callback])}`);
  }
  for (const callback of ['onFill', 'constraint'] as const) {
    if (definition[callback] !== undefined && typeof definition[callback] !== 'function') {
      fail(`${callback} must be a function when given, got ${describeValue(definition[callback])}`);
    }
  }
  return definition as unknown as StrategyDefinition;
}

/** One parameter spec checked; returns its name. */
function checkParamSpec(spec: unknown, at: string, fail: (reason: string) => never): string {
  if (typeof spec !== 'object' || spec === null) return fail(`${at} must be an object { name, type, default }, got ${describeValue(spec)}`);
  const { name, type, default: value, min, max, step, description } = spec as Partial<Record<keyof ParamSpec, unknown>>;
  if (typeof name !== 'string' || name === '') fail(`${at}.name must be a non-empty string, got ${describeValue(name)}`);
  const where = `${at} ('${name as string}')`;
  if (type !== 'int' && type !== 'float' && type !== 'bool') fail(`${where}.type must be 'int', 'float' or 'bool', got ${describeValue(type)}`);
  for (const [field, bound] of [['min', min], ['max', max], ['step', step]] as const) {
    if (bound !== undefined && (typeof bound !== 'number' || !Number.isFinite(bound))) {
      fail(`${where}.${field} must be a number, got ${describeValue(bound)}`);
    }
  }
  if (typeof min === 'number' && typeof max === 'number' && min > max) fail(`${where} has min ${min} above max ${max}`);
  if (typeof step === 'number' && step <= 0) fail(`${where}.step must be above 0, got ${step}`);
  if (description !== undefined && typeof description !== 'string') {
    fail(`${where}.description must be a string, got ${describeValue(description)}`);
  }
  if (type === 'bool') {
    if (typeof value !== 'boolean') fail(`${where}.default must be true or false, got ${describeValue(value)}`);
    return name as string;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return fail(`${where}.default must be a number, got ${describeValue(value)}`);
  if (type === 'int' && !Number.isInteger(value)) fail(`${where}.default must be a whole number, got ${value}`);
  if (typeof min === 'number' && value < min) fail(`${where}.default ${value} is below its min ${min}`);
  if (typeof max === 'number' && value > max) fail(`${where}.default ${value} is above its max ${max}`);
  return name as string;
}

function describeValue(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  return value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
