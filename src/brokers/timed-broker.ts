// A Broker that times every call of the broker it wraps and reports each one to an observer, so the latency monitor
// can tell broker round-trips from the gateway's own time (the latency recorder wraps a measured request's brokers).
import type { AsyncBrokerMethod, Broker, BrokerCapabilities } from './broker.js';
import { DelegatingBroker } from './delegating-broker.js';
import type { BarInterval } from '../domain/market.js';

/** One call: which broker and method, and when it started and settled on the observer's clock (nanoseconds). */
export interface BrokerCallTiming {
  broker: string;
  method: BrokerMethod;
  startNs: bigint;
  endNs: bigint;
}

/** The calls that are timed: every asynchronous one, and the two synchronous questions a request may ask. */
export type BrokerMethod = AsyncBrokerMethod | 'capabilities' | 'historyIntervals';

/** Called once per call when it settles, whether it succeeded or threw; it must not throw itself. */
export type BrokerCallObserver = (call: BrokerCallTiming) => void;

export class TimedBroker extends DelegatingBroker {
  constructor(
    inner: Broker,
    private readonly observe: BrokerCallObserver,
    /** A monotonic clock in nanoseconds; the one the observer measures requests with. */
    private readonly now: () => bigint = process.hrtime.bigint,
  ) {
    super(inner);
  }

  override capabilities(): BrokerCapabilities {
    return this.timeSync('capabilities', () => this.inner.capabilities());
  }

  override historyIntervals(): readonly BarInterval[] {
    return this.timeSync('historyIntervals', () => this.inner.historyIntervals());
  }

  protected override async call<T>(method: AsyncBrokerMethod, forward: () => Promise<T>): Promise<T> {
    const startNs = this.now();
    try {
      return await forward();
    } finally {
      this.observe({ broker: this.inner.name, method, startNs, endNs: this.now() });
    }
  }

  private timeSync<T>(method: BrokerMethod, call: () => T): T {
    const startNs = this.now();
    try {
      return call();
    } finally {
      this.observe({ broker: this.inner.name, method, startNs, endNs: this.now() });
    }
  }
}
