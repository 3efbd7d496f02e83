// Measures a dialect's order calls into a LatencyMonitor: Fastify hooks stamp each measured request's phases, and the
// handler calls its brokers through TimedBrokers bound to the request (`brokerTimer`), which charge their calls to it.
// Explicit rather than AsyncLocalStorage, whose context tracking turns on promise hooks for every promise of the process.
import type { FastifyInstance, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { Broker } from '../brokers/broker.js';
import { type BrokerCallTiming, TimedBroker } from '../brokers/timed-broker.js';
import type { LatencyMonitor } from './latency-monitor.js';

/** The broker label of requests answered without calling a broker (refused by validation, key, rate limit; replays). */
export const NO_BROKER = 'none';

declare module 'fastify' {
  interface FastifyRequest {
    /** The phases of a request the latency recorder measures; null on the others. */
    latencyTiming: RequestTiming | null;
  }
}

/** One measured request's timestamps, on the recorder's clock (nanoseconds). */
export class RequestTiming {
  validationStartNs: bigint | undefined;
  validationEndNs: bigint | undefined;
  /** The first broker called; a request is served by one. */
  broker: string | undefined;
  readonly brokerCalls: Array<readonly [startNs: bigint, endNs: bigint]> = [];
  finished = false;

  constructor(readonly startNs: bigint) {}
}

export class LatencyRecorder {
  constructor(
    readonly monitor: LatencyMonitor,
    /** A monotonic clock in nanoseconds, the same one the TimedBrokers read. */
    private readonly now: () => bigint = process.hrtime.bigint,
  ) {}

  /**
   * What a handler passes each broker it calls through: a TimedBroker charging the calls to `request`. Undefined when
   * the request is not measured: its broker calls are nobody's latency.
   */
  brokerTimer(request: FastifyRequest): ((broker: Broker) => Broker) | undefined {
    const timing = request.latencyTiming;
    if (!timing) return undefined;
    const charge = (call: BrokerCallTiming): void => {
      // A call outliving its request (nothing awaits it) is not part of the request's latency.
      if (timing.finished) return;
      timing.broker ??= call.broker;
      timing.brokerCalls.push([call.startNs, call.endNs]);
    };
    return (broker) => new TimedBroker(broker, charge, this.now);
  }

  /**
   * Adds the hooks to a plugin, measuring the requests `measured` selects (decided from the matched route, so the
   * others pay one check per hook). Call it before the plugin adds preHandler hooks of its own: validation is timed
   * from preValidation to the first preHandler.
   */
  register(app: FastifyInstance, measured: (request: FastifyRequest) => boolean): void {
    app.decorateRequest('latencyTiming', null);
    app.addHook('onRequest', (request, _reply, done: HookHandlerDoneFunction) => {
      if (measured(request)) request.latencyTiming = new RequestTiming(this.now());
      done();
    });
    app.addHook('preValidation', (request, _reply, done: HookHandlerDoneFunction) => {
      if (request.latencyTiming) request.latencyTiming.validationStartNs = this.now();
      done();
    });
    app.addHook('preHandler', (request, _reply, done: HookHandlerDoneFunction) => {
      if (request.latencyTiming) request.latencyTiming.validationEndNs = this.now();
      done();
    });
    app.addHook('onResponse', (request, _reply, done: HookHandlerDoneFunction) => {
      const timing = request.latencyTiming;
      if (timing) this.finish(request.routeOptions.url ?? request.url, timing);
      done();
    });
  }

  private finish(endpoint: string, timing: RequestTiming): void {
    const endNs = this.now();
    timing.finished = true;
    const { startNs, validationStartNs, validationEndNs } = timing;
    // A request validation refused never reaches a preHandler: its validation runs on until the refusal is sent. One
    // whose body could not be parsed never reaches validation.
    const validationNs = validationStartNs === undefined ? 0n : (validationEndNs ?? endNs) - validationStartNs;
    this.monitor.record(endpoint, timing.broker ?? NO_BROKER, {
      totalNs: Number(endNs - startNs),
      validationNs: Number(validationNs),
      brokerNs: Number(inFlight(timing.brokerCalls, startNs, endNs)),
    });
  }
}

/** How long at least one of `calls` was in flight within [from, to]: overlapping calls count once. */
export function inFlight(calls: ReadonlyArray<readonly [bigint, bigint]>, from: bigint, to: bigint): bigint {
  // One call, as nearly every request makes: no arrays to build.
  if (calls.length === 1) {
    const [start, end] = calls[0] as readonly [bigint, bigint];
    const clippedStart = start < from ? from : start;
    const clippedEnd = end > to ? to : end;
    return clippedEnd > clippedStart ? clippedEnd - clippedStart : 0n;
  }
  const clipped = calls
    .map(([start, end]) => [start < from ? from : start, end > to ? to : end] as const)
    .filter(([start, end]) => end > start)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  let sum = 0n;
  let coveredUntil = from;
  for (const [start, end] of clipped) {
    const begin = start > coveredUntil ? start : coveredUntil;
    if (end > begin) sum += end - begin;
    if (end > coveredUntil) coveredUntil = end;
  }
  return sum;
}
