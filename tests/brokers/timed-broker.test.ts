// TimedBroker: delegates every call of the Broker port unchanged and reports each call's start and end.
import { describe, expect, it } from 'vitest';
import type { Broker } from '../../src/brokers/broker.js';
import { type BrokerCallTiming, type BrokerMethod, TimedBroker } from '../../src/brokers/timed-broker.js';
import { InstrumentNotFound } from '../../src/domain/errors.js';
import { ASYNC_PORT_CALLS } from './port-calls.js';

const SYNC_METHODS = new Set<string>(['capabilities', 'historyIntervals']);
/** Every method of the port with arguments of its arity, the synchronous ones first and last. */
const CALLS: Array<readonly [BrokerMethod, unknown[]]> = [
  ['capabilities', []],
  ...ASYNC_PORT_CALLS,
  ['historyIntervals', []],
];

/**
 * A broker whose every method takes `costNs` on the clock and answers with what it was asked; asynchronous answers
 * wait for `gate` when one is set.
 */
function world(costNs: bigint, gate?: Promise<void>) {
  let now = 1_000n;
  const received: Array<[string, unknown[]]> = [];
  const inner = new Proxy({ name: 'stub' } as Broker, {
    get(target, property) {
      if (property === 'name') return target.name;
      const method = String(property);
      return (...args: unknown[]) => {
        received.push([method, args]);
        now += costNs;
        if (args[0] === 'unknown') return Promise.reject(new InstrumentNotFound('unknown', 'NSE'));
        // A broker that throws instead of rejecting (not async): still a rejected promise to the caller.
        if (args[0] === 'throws') throw new InstrumentNotFound('throws', 'NSE');
        const answer = { method, args };
        if (SYNC_METHODS.has(method)) return answer;
        return gate ? gate.then(() => answer) : Promise.resolve(answer);
      };
    },
  });
  const reports: BrokerCallTiming[] = [];
  const timed = new TimedBroker(inner, (call) => reports.push(call), () => now);
  return { timed, received, reports, advance: (ns: bigint) => (now += ns) };
}

describe('TimedBroker', () => {
  it('passes every port call through with its arguments and answer, and reports each one', async () => {
    const { timed, received, reports } = world(250n);
    const answers: unknown[] = [];
    for (const [method, args] of CALLS) {
      const call = (timed[method] as (...args: unknown[]) => unknown).bind(timed);
      answers.push(await call(...args));
    }
    expect(timed.name).toBe('stub');
    expect(received).toEqual(CALLS);
    expect(answers).toEqual(CALLS.map(([method, args]) => ({ method, args })));
    // Each call costs 250 ns on the clock, which starts at 1000 ns.
    expect(reports).toEqual(
      CALLS.map(([method], i) => ({ broker: 'stub', method, startNs: 1_000n + 250n * BigInt(i), endNs: 1_250n + 250n * BigInt(i) })),
    );
  });

  it('times a call until its answer settles, not until it returns its promise', async () => {
    let open = () => {};
    const { timed, reports, advance } = world(100n, new Promise((resolve) => (open = resolve)));
    const pending = timed.getQuote('SBIN', 'NSE');
    await new Promise((resolve) => setImmediate(resolve));
    expect(reports).toEqual([]);
    advance(4_000n);
    open();
    await pending;
    expect(reports).toEqual([{ broker: 'stub', method: 'getQuote', startNs: 1_000n, endNs: 5_100n }]);
  });

  it('reports a failed call and rethrows its error unchanged', async () => {
    const { timed, reports } = world(700n);
    await expect(timed.getHistory('unknown', 'NSE')).rejects.toBeInstanceOf(InstrumentNotFound);
    expect(reports).toEqual([{ broker: 'stub', method: 'getHistory', startNs: 1_000n, endNs: 1_700n }]);
  });

  it('turns a broker that throws at once into a rejected call, reported like any other', async () => {
    const { timed, reports } = world(300n);
    const call = timed.getHistory('throws', 'NSE');
    expect(call).toBeInstanceOf(Promise);
    await expect(call).rejects.toBeInstanceOf(InstrumentNotFound);
    expect(reports).toEqual([{ broker: 'stub', method: 'getHistory', startNs: 1_000n, endNs: 1_300n }]);
  });

  it('reports a call before the code awaiting it goes on', async () => {
    const { timed, reports } = world(50n);
    await timed.getFunds('acc-1');
    expect(reports.map((report) => report.method)).toEqual(['getFunds']);
  });
});
