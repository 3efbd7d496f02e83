// A Broker that misbehaves on demand, for resilience tests and demos: added latency, failures like a dropped
// connection (before the broker got the call, or after it acted on it: the answer lost), and calls that hang. Faults
// are set at run time; with none set it is a counting pass-through.
import type { AsyncBrokerMethod, Broker } from './broker.js';
import { DelegatingBroker } from './delegating-broker.js';

export { ASYNC_BROKER_METHODS, type AsyncBrokerMethod } from './broker.js';

/** Which calls a fault applies to: the listed methods, or every asynchronous one when absent. */
export type FaultScope = readonly AsyncBrokerMethod[] | undefined;

/** The error an injected failure throws: not a domain error, as a network failure would not be. */
export class InjectedFault extends Error {}

export class FaultInjectingBroker extends DelegatingBroker {
  private readonly counts = new Map<AsyncBrokerMethod, number>();
  private latency: { ms: number; scope: FaultScope } | undefined;
  private failures: CountedFault | undefined;
  private lostAnswers: CountedFault | undefined;
  private failureRate: FractionFault | undefined;
  private lostAnswerRate: FractionFault | undefined;
  private hang: { scope: FaultScope; release: Promise<never>; reject: (error: Error) => void } | undefined;

  constructor(inner: Broker) {
    super(inner);
  }

  /** Calls that reached this wrapper: of `method`, or of every method; faulty ones included. */
  calls(method?: AsyncBrokerMethod): number {
    if (method) return this.counts.get(method) ?? 0;
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }

  /** Forgets the counts (faults stay as set). */
  resetCounts(): void {
    this.counts.clear();
  }

  /** Every call in scope waits `ms` before going on (0 removes the latency). */
  addLatency(ms: number, scope?: FaultScope): void {
    this.latency = ms > 0 ? { ms, scope } : undefined;
  }

  /** The next `count` calls in scope throw an InjectedFault without reaching the broker. */
  failNext(count: number, scope?: FaultScope): void {
    this.failures = count > 0 ? { remaining: count, scope } : undefined;
  }

  /**
   * The next `count` calls in scope reach the broker, which acts on them (an order is placed), and then throw an
   * InjectedFault instead of its answer: a connection lost after the broker got the request.
   */
  loseAnswers(count: number, scope?: FaultScope): void {
    this.lostAnswers = count > 0 ? { remaining: count, scope } : undefined;
  }

  /** Each call in scope throws with probability `fraction`, drawn from `random` (pass a seeded one: `seededRandom`). */
  failFraction(fraction: number, random: () => number, scope?: FaultScope): void {
    this.failureRate = fraction > 0 ? { fraction, random, scope } : undefined;
  }

  /**
   * Each call in scope that does not fail reaches the broker and then loses its answer with probability `fraction`
   * (as `loseAnswers`), drawn from `random`.
   */
  loseFraction(fraction: number, random: () => number, scope?: FaultScope): void {
    this.lostAnswerRate = fraction > 0 ? { fraction, random, scope } : undefined;
  }

  /** Calls in scope never settle, until `clear()` rejects them with an InjectedFault. */
  hangCalls(scope?: FaultScope): void {
    this.releaseHung();
    let reject: (error: Error) => void = () => {};
    const release = new Promise<never>((_, rejectRelease) => {
      reject = rejectRelease;
    });
    // Nobody may be waiting when it is released; that is no unhandled rejection.
    release.catch(() => {});
    this.hang = { scope, release, reject };
  }

  /** Removes every fault; hung calls fail now. */
  clear(): void {
    this.latency = undefined;
    this.failures = undefined;
    this.lostAnswers = undefined;
    this.failureRate = undefined;
    this.lostAnswerRate = undefined;
    this.releaseHung();
  }

  protected override call<T>(method: AsyncBrokerMethod, forward: () => Promise<T>): Promise<T> {
    this.counts.set(method, (this.counts.get(method) ?? 0) + 1);
    // With no fault set (the gateway always has this wrapper, for `ordergate faults`) a call costs a count only.
    if (!this.latency && !this.hang && !this.failures && !this.lostAnswers && !this.failureRate && !this.lostAnswerRate) {
      return forward();
    }
    return this.misbehave(method, forward);
  }

  private async misbehave<T>(method: AsyncBrokerMethod, forward: () => Promise<T>): Promise<T> {
    // Decided when the call arrives, so faults set or cleared meanwhile do not change a call in flight.
    const latencyMs = this.latency && inScope(this.latency.scope, method) ? this.latency.ms : 0;
    const hang = this.hang && inScope(this.hang.scope, method) ? this.hang.release : undefined;
    const fail = spend(this.failures, method) || draw(this.failureRate, method);
    const loseAnswer = !fail && (spend(this.lostAnswers, method) || draw(this.lostAnswerRate, method));

    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    if (hang) await hang;
    if (fail) throw new InjectedFault(`injected fault: connection reset during ${method}`);
    const answer = await forward();
    if (loseAnswer) throw new InjectedFault(`injected fault: connection reset after the broker took ${method}`);
    return answer;
  }

  private releaseHung(): void {
    this.hang?.reject(new InjectedFault('injected hang released'));
    this.hang = undefined;
  }
}

/** A fault for the next `remaining` calls in scope. */
interface CountedFault {
  remaining: number;
  scope: FaultScope;
}

/** A fault for each call in scope with probability `fraction`. */
interface FractionFault {
  fraction: number;
  random: () => number;
  scope: FaultScope;
}

/** Whether the fault strikes this call. */
function draw(fault: FractionFault | undefined, method: AsyncBrokerMethod): boolean {
  return fault !== undefined && inScope(fault.scope, method) && fault.random() < fault.fraction;
}

/** Whether the fault applies to this call; if so, one call fewer is left to it. */
function spend(fault: CountedFault | undefined, method: AsyncBrokerMethod): boolean {
  if (!fault || fault.remaining === 0 || !inScope(fault.scope, method)) return false;
  fault.remaining -= 1;
  return true;
}

function inScope(scope: FaultScope, method: AsyncBrokerMethod): boolean {
  return scope === undefined || scope.includes(method);
}
