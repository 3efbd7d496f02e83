import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseRateLimit } from '../src/config.js';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({}, '/srv/og');
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 5000,
      dataDir: '/srv/og/data',
      market: 'walk',
      sessions: 'always-open',
      startingCash: '10000000',
    });
    expect(config.orderRateLimit).toEqual({ count: 10, windowMs: 1000 });
  });

  it("reads OpenAlgo's rate-limit syntax and keeps the strictest pace of compound limits", () => {
    expect(parseRateLimit('10 per second', 'X')).toEqual({ count: 10, windowMs: 1000 });
    expect(parseRateLimit('100/minute', 'X')).toEqual({ count: 100, windowMs: 60_000 });
    expect(parseRateLimit('10 per second;40 per minute', 'X')).toEqual({ count: 40, windowMs: 60_000 });
    expect(() => parseRateLimit('fast', 'ORDER_RATE_LIMIT')).toThrow(
      new ConfigError('ORDER_RATE_LIMIT must look like "10 per second" or "100 per minute" (got "fast")'),
    );
  });

  it('names the variable in every error', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow('PORT must be a whole number from 0 to 65535 (got "70000")');
    expect(() => loadConfig({ ORDERGATE_BOOTSTRAP_API_KEY: 'abc' })).toThrow('ORDERGATE_BOOTSTRAP_API_KEY must be 64 hexadecimal characters');
    expect(() => loadConfig({ ORDERGATE_MARKET: 'wild' })).toThrow('ORDERGATE_MARKET must be "walk" or "frozen"');
    expect(() => loadConfig({ ORDERGATE_SESSIONS: 'sometimes' })).toThrow('ORDERGATE_SESSIONS must be "always-open" or "exchange-hours"');
    expect(() => loadConfig({ ORDERGATE_STARTING_CASH: '1e6' })).toThrow(/ORDERGATE_STARTING_CASH/);
  });
});
