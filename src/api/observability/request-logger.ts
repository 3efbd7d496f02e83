// Each request's logger (`request.log`, `reply.log`), bound to its request id, made only when something is logged at
// a level the server logs: Fastify's default makes a pino child, with its bindings serialized, for every request,
// though at the default level nearly every request logs nothing. Measured: placeorder +8 % (docs/performance.md).
import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions, Level, Logger } from 'pino';

type LogArguments = Parameters<Logger['info']>;

class LazyChildLogger {
  private made: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get level(): string {
    return (this.made ?? this.parent).level;
  }

  set level(level: string) {
    this.real().level = level;
  }

  fatal(...args: LogArguments): void {
    this.log('fatal', args);
  }

  error(...args: LogArguments): void {
    this.log('error', args);
  }

  warn(...args: LogArguments): void {
    this.log('warn', args);
  }

  info(...args: LogArguments): void {
    this.log('info', args);
  }

  debug(...args: LogArguments): void {
    this.log('debug', args);
  }

  trace(...args: LogArguments): void {
    this.log('trace', args);
  }

  silent(): void {}

  isLevelEnabled(level: string): boolean {
    return ((this.made as Logger | undefined) ?? this.parent).isLevelEnabled(level);
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real().child(bindings, options);
  }

  private log(level: Level, args: LogArguments): void {
    // A level the server does not log costs nothing, as with pino's own no-op methods.
    if (this.made === undefined && !this.parent.isLevelEnabled(level)) return;
    (this.real() as Logger)[level](...args);
  }

  private real(): FastifyBaseLogger {
    this.made ??= this.parent.child(this.bindings, this.options);
    return this.made;
  }
}

/** Fastify's `childLoggerFactory`: a request's logger, made on its first line. */
export function lazyRequestLogger(logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new LazyChildLogger(logger as Logger, bindings, options) as unknown as FastifyBaseLogger;
}
