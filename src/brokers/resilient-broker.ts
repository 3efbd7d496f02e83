// A Broker that guards one broker connection: a timeout on every call, retries with jittered backoff where repeating
// a call is safe, and one circuit breaker (opossum) that fails calls fast with BrokerUnavailable after repeated failures.
import { setTimeout as sleep } from 'node:timers/promises';
import CircuitBreaker from 'opossum';
import { BrokerUnavailable, DomainError } from '../domain/errors.js';
import { type AsyncBrokerMethod, type Broker, isRead } from './broker.js';
import { DelegatingBroker } from './delegating-broker.js';

export interface ResilienceOptions {
  /** Names the connection in errors, readiness and metrics (`live`, `analyzer`). */
  connection: string;
  /** Limit of each attempt of a call that changes orders (place, modify, cancel), in ms. */
  writeTimeoutMs: number;
  /** Limit of each attempt of a read, in ms. */
  readTimeoutMs: number;
  /** Further attempts of a failed read (and of an idempotent placement); 0 turns retries off. */
  retries: number;
  /** Ceiling of the first retry's delay; each further retry doubles it (full jitter: the delay is uniform below it). */
  backoffMs: number;
  /** No retry waits longer than this, in ms. */
  maxBackoffMs?: number;
  /** Consecutive failed attempts that open the circuit. */
  breakerThreshold: number;
  /** How long the circuit stays open before one probe may pass, in ms. */
  breakerResetMs: number;
  /** A uniform number in [0, 1), for the jitter. */
  random?: () => number;
  /** Waits `ms` between attempts (tests pass one that records the delays). */
  sleep?: (ms: number) => Promise<void>;
  /** Epoch ms, for the time left until the probe (opossum's reset timer itself runs on real time). */
  now?: () => number;
}

/** `closed`: calls pass; `open`: calls fail fast; `half-open`: the next call is the probe that may close it again. */
export type CircuitState = 'closed' | 'half-open' | 'open';

export class ResilientBroker extends DelegatingBroker {
  /** Called with every failed attempt that counts against the circuit (for the log); must not throw. */
  onFailure: (method: AsyncBrokerMethod, error: unknown) => void = () => {};
  /** Called when the circuit changes state; must not throw. */
  onStateChange: (state: CircuitState) => void = () => {};

  private readonly breaker: CircuitBreaker<[call: () => Promise<unknown>, timeoutMs: number], unknown>;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private consecutiveFailures = 0;
  private openedAt = 0;

  constructor(
    inner: Broker,
    private readonly options: ResilienceOptions,
  ) {
    super(inner);
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? ((ms) => sleep(ms));
    this.now = options.now ?? Date.now;
    this.breaker = new CircuitBreaker((call: () => Promise<unknown>, timeoutMs: number) => withTimeout(call(), timeoutMs), {
      name: options.connection,
      // opossum has one timeout per breaker; reads and writes want their own, so the action times each attempt.
      timeout: false,
      resetTimeout: options.breakerResetMs,
      // Opening is decided here on consecutive failures (see the failure listener): a percentage over a rolling
      // window opens late after busy good traffic and early on a quiet start. errorRate > 100 never holds, so
      // opossum's own rule is off; it still reopens the circuit when the half-open probe fails.
      errorThresholdPercentage: 100,
      // The broker answered: the client's mistakes (unknown order, no funds, bad lot) say nothing of its health.
      errorFilter: (error: unknown) => error instanceof DomainError && !(error instanceof BrokerUnavailable),
      // Nothing here reads opossum's rolling statistics. With them on, every call's latency is kept for the 10 s
      // window, and once a second a snapshot concatenates and sorts them all on this thread (≈ 100,000 numbers at
      // 10,000 orders/s): a stall of several ms each second, which every request in flight waits out.
      rollingPercentilesEnabled: false,
      enableSnapshots: false,
    });
    this.breaker.on('success', () => {
      this.consecutiveFailures = 0;
    });
    this.breaker.on('failure', () => {
      this.consecutiveFailures += 1;
      if (this.breaker.closed && this.consecutiveFailures >= options.breakerThreshold) this.breaker.open();
    });
    this.breaker.on('open', () => {
      this.openedAt = this.now();
      this.onStateChange('open');
    });
    this.breaker.on('halfOpen', () => this.onStateChange('half-open'));
    this.breaker.on('close', () => {
      this.consecutiveFailures = 0;
      this.onStateChange('closed');
    });
  }

  get connection(): string {
    return this.options.connection;
  }

  get circuitState(): CircuitState {
    if (this.breaker.opened) return 'open';
    return this.breaker.halfOpen ? 'half-open' : 'closed';
  }

  /** Whole seconds (at least 1) until the circuit lets a probe through; 1 when it is not open. */
  get retryAfterSeconds(): number {
    if (!this.breaker.opened) return 1;
    const leftMs = this.openedAt + this.options.breakerResetMs - this.now();
    return Math.max(1, Math.ceil(leftMs / 1000));
  }

  /** Stops the breaker's timers; every later call fails. */
  close(): void {
    this.breaker.shutdown();
  }

  // Reads have no effect at the broker, so repeating one is always safe. A retried placement may place the order
  // twice unless the broker recognises the retry by its client order id (the core always sends Ordergate's id): only a
  // broker that honours it (the paper broker does) gets a placement again. Modify and cancel carry no key a broker
  // could recognise a repeat by: a repeated cancel of a cancelled order fails, a repeated modify may land on an order
  // that changed in between.
  protected override call<T>(method: AsyncBrokerMethod, forward: () => Promise<T>): Promise<T> {
    const retry = isRead(method) || (method === 'placeOrder' && this.inner.capabilities().idempotentPlacement);
    return this.guard(method, retry, forward);
  }

  /**
   * Runs `call` through the circuit, retrying broker failures up to `retries` times when `retry` allows. Domain
   * errors of the client's making pass through unchanged; every other failure ends as BrokerUnavailable.
   */
  private async guard<T>(method: AsyncBrokerMethod, retry: boolean, call: () => Promise<T>): Promise<T> {
    const timeoutMs = isRead(method) ? this.options.readTimeoutMs : this.options.writeTimeoutMs;
    const attempts = retry ? this.options.retries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return (await this.breaker.fire(call, timeoutMs)) as T;
      } catch (error) {
        if (error instanceof DomainError && !(error instanceof BrokerUnavailable)) throw error;
        if (isOpenCircuit(error)) throw this.unavailable('is unavailable after repeated failures');
        this.onFailure(method, error);
        if (attempt >= attempts || this.breaker.opened) throw this.unavailable(describe(error, timeoutMs));
        await this.sleep(this.backoff(attempt));
      }
    }
  }

  /** Full jitter: uniform in [0, min(max, base · 2^(retry − 1))). */
  private backoff(retry: number): number {
    const ceiling = Math.min(this.options.maxBackoffMs ?? 2000, this.options.backoffMs * 2 ** (retry - 1));
    return Math.floor(this.random() * ceiling);
  }

  /** `what` completes "Broker <name> …"; the retry-after is the time left until the probe, or 1 s while closed. */
  private unavailable(what: string): BrokerUnavailable {
    const seconds = this.retryAfterSeconds;
    return new BrokerUnavailable(`Broker ${this.inner.name} ${what}; retry in ${seconds} s`, seconds);
  }
}

class BrokerTimeout extends Error {}

/** `promise`, or a BrokerTimeout once `timeoutMs` pass first. One promise and one timer per call (every order call pays it). */
function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new BrokerTimeout(`timed out after ${timeoutMs} ms`)), timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

function isOpenCircuit(error: unknown): boolean {
  return error instanceof Error && CircuitBreaker.isOurError(error) && (error as { code?: unknown }).code === 'EOPENBREAKER';
}

/** What the client is told, after "Broker <name>": never an internal error's text, which may hold addresses. */
function describe(error: unknown, timeoutMs: number): string {
  if (error instanceof BrokerTimeout) return `timed out after ${timeoutMs} ms`;
  if (error instanceof BrokerUnavailable) return `is unavailable (${error.message})`;
  return 'failed to answer';
}
