// The paper broker's faults as an operator writes them (ORDERGATE_PAPER_FAULTS, `ordergate faults set`), to see how
// strategies and the gateway's timeouts, retries and circuit breaker behave towards a slow or failing broker. Items
// are separated by ';', each a kind with its value and, after '@', the broker calls it applies to (every call when
// absent), comma-separated:
//   latency=300              every call waits 300 ms before it reaches the broker
//   fail=0.25                a quarter of the calls fail before they reach the broker (a connection reset)
//   lose=0.1@placeOrder      a tenth of the placements reach the broker, which acts on them, and lose their answer
//   hang@getQuote,getDepth   quote and depth calls never answer (the broker timeout ends them)
//   seed=42                  fail and lose draw from a source seeded so, the same faults in every run
import { ASYNC_BROKER_METHODS, type AsyncBrokerMethod, type FaultInjectingBroker, type FaultScope } from './fault-injecting-broker.js';
import { seededRandom } from '../domain/seeded-random.js';

export interface FaultSpec {
  latency?: { ms: number; scope: FaultScope };
  fail?: { fraction: number; scope: FaultScope };
  lose?: { fraction: number; scope: FaultScope };
  hang?: { scope: FaultScope };
  seed?: number;
}

/** A fault text that cannot be read; the message says which item and why. */
export class FaultSpecError extends Error {}

/** The longest latency one may add: past any broker timeout (at most 120 s). */
export const MAX_FAULT_LATENCY_MS = 600_000;

/** Reads a fault text; empty (or `none`) is no fault. Throws FaultSpecError. */
export function parseFaultSpec(text: string): FaultSpec {
  const spec: FaultSpec = {};
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.toLowerCase() === 'none') return spec;
  for (const raw of trimmed.split(';')) {
    const item = raw.trim();
    if (item === '') continue;
    const [head = '', scopeText] = splitOnce(item, '@');
    const [kindText = '', value] = splitOnce(head, '=');
    const kind = kindText.trim().toLowerCase();
    const scope = scopeText === undefined ? undefined : parseScope(scopeText, item);
    if (!KINDS.includes(kind as Kind)) {
      throw new FaultSpecError(`"${item}": unknown fault "${kindText.trim()}"; the faults are ${KINDS.join(', ')}`);
    }
    if (spec[kind as Kind] !== undefined) throw new FaultSpecError(`"${item}": ${kind} is given twice`);
    switch (kind as Kind) {
      case 'latency':
        spec.latency = { ms: wholeNumber(value, item, 1, MAX_FAULT_LATENCY_MS, 'milliseconds'), scope };
        break;
      case 'fail':
        spec.fail = { fraction: fraction(value, item), scope };
        break;
      case 'lose':
        spec.lose = { fraction: fraction(value, item), scope };
        break;
      case 'hang':
        if (value !== undefined) throw new FaultSpecError(`"${item}": hang takes no value (hang, or hang@getQuote)`);
        spec.hang = { scope };
        break;
      case 'seed':
        if (scope !== undefined) throw new FaultSpecError(`"${item}": seed applies to every fault; it takes no @calls`);
        spec.seed = wholeNumber(value, item, 0, 2 ** 32 - 1, 'a seed');
        break;
    }
  }
  return spec;
}

/** Whether the spec injects anything (an empty text, `none` or a seed alone inject nothing). */
export function injectsFaults(spec: FaultSpec): boolean {
  return Boolean(spec.latency || spec.fail || spec.lose || spec.hang);
}

/** Replaces the broker's faults with the spec's. Each broker gets its own random source (seeded alike). */
export function applyFaultSpec(broker: FaultInjectingBroker, spec: FaultSpec): void {
  broker.clear();
  const random = spec.seed === undefined ? Math.random : seededRandom(spec.seed);
  if (spec.latency) broker.addLatency(spec.latency.ms, spec.latency.scope);
  if (spec.fail) broker.failFraction(spec.fail.fraction, random, spec.fail.scope);
  if (spec.lose) broker.loseFraction(spec.lose.fraction, random, spec.lose.scope);
  if (spec.hang) broker.hangCalls(spec.hang.scope);
}

/** The faults in words, for the banner, the log and the CLI. */
export function describeFaultSpec(spec: FaultSpec): string {
  const parts: string[] = [];
  if (spec.latency) parts.push(`${calls(spec.latency.scope)} wait ${spec.latency.ms} ms`);
  if (spec.fail) parts.push(`${percent(spec.fail.fraction)} of ${calls(spec.fail.scope)} fail before reaching the broker`);
  if (spec.lose) parts.push(`${percent(spec.lose.fraction)} of ${calls(spec.lose.scope)} lose their answer after the broker acted`);
  if (spec.hang) parts.push(`${calls(spec.hang.scope)} never answer`);
  if (!injectsFaults(spec)) return 'no faults';
  if (spec.seed !== undefined) parts.push(`drawn with seed ${spec.seed}`);
  return parts.join('; ');
}

const KINDS = ['latency', 'fail', 'lose', 'hang', 'seed'] as const;
type Kind = (typeof KINDS)[number];

const METHOD_BY_NAME = new Map(ASYNC_BROKER_METHODS.map((method) => [method.toLowerCase(), method]));

function parseScope(text: string, item: string): AsyncBrokerMethod[] {
  const names = text.split(',').map((name) => name.trim());
  return names.map((name) => {
    const method = METHOD_BY_NAME.get(name.toLowerCase());
    if (!method) {
      throw new FaultSpecError(`"${item}": "${name}" is no broker call; the calls are ${ASYNC_BROKER_METHODS.join(', ')}`);
    }
    return method;
  });
}

function wholeNumber(value: string | undefined, item: string, min: number, max: number, what: string): number {
  const text = value?.trim().replace(/ms$/i, '') ?? '';
  const number = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(number >= min && number <= max)) throw new FaultSpecError(`"${item}": expected ${what} from ${min} to ${max}`);
  return number;
}

function fraction(value: string | undefined, item: string): number {
  const text = value?.trim() ?? '';
  const number = /^(0|1)?(\.\d+)?$/.test(text) && text !== '' && text !== '.' ? Number(text) : NaN;
  if (!(number > 0 && number <= 1)) {
    throw new FaultSpecError(`"${item}": expected a fraction of the calls above 0 and at most 1 (0.25 is a quarter)`);
  }
  return number;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function calls(scope: FaultScope): string {
  return scope === undefined ? 'calls' : `${scope.join(', ')} calls`;
}

function percent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(6))} %`;
}
