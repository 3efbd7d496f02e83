// The per-request logger: bound to the request id like pino's child, but made only when a line is logged at a level
// the server logs.
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { lazyRequestLogger } from '../../src/api/observability/request-logger.js';
import { startGateway } from './harness.js';

function parentLogger(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

/** `logger` counting the children made of it (the count is of this logger only: pino children inherit the spy). */
function counted(logger: pino.Logger) {
  let children = 0;
  const child = logger.child.bind(logger);
  logger.child = ((...args: Parameters<typeof child>) => {
    children += 1;
    return child(...args);
  }) as typeof logger.child;
  return () => children;
}

describe('lazyRequestLogger', () => {
  it('makes no child for lines below the level, and one child, bound to the request, for the lines above it', () => {
    const { logger, lines } = parentLogger('warn');
    const children = counted(logger);
    const log = lazyRequestLogger(logger, { reqId: 'r-1' }, {});
    log.info('not logged');
    log.debug({ a: 1 }, 'nor this');
    expect(children()).toBe(0);
    expect(log.level).toBe('warn');
    log.warn({ step: 2 }, 'logged');
    log.error(new Error('boom'));
    expect(children()).toBe(1);
    expect(lines.map((line) => [line.reqId, line.msg, line.level])).toEqual([
      ['r-1', 'logged', 40],
      ['r-1', 'boom', 50],
    ]);
    expect(lines[0]?.step).toBe(2);
  });

  it('hands out children of the bound logger, and a level set on it applies to its lines', () => {
    const { logger, lines } = parentLogger('warn');
    const log = lazyRequestLogger(logger, { reqId: 'r-2' }, {});
    log.level = 'info';
    log.info('now logged');
    log.child({ part: 'x' }).warn('from a child');
    expect(lines.map((line) => [line.reqId, line.part, line.msg])).toEqual([
      ['r-2', undefined, 'now logged'],
      ['r-2', 'x', 'from a child'],
    ]);
  });

  it("leaves the gateway's request lines carrying the request id", async () => {
    const lines: string[] = [];
    const g = await startGateway({ env: { LOG_LEVEL: 'info' }, logStream: { write: (line: string) => void lines.push(line) } });
    try {
      const response = await fetch(`${g.url}/health`, { headers: { 'x-request-id': 'trace-123' } });
      expect(response.status).toBe(200);
      const completed = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.msg === 'request completed');
      expect(completed?.reqId).toBe('trace-123');
    } finally {
      await g.close();
    }
  });
});
