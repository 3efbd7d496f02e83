import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseRateLimits } from '../src/config.js';

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
    expect(config.rateLimits).toEqual({
      order: [{ count: 10, windowMs: 1000 }],
      smartOrder: [{ count: 10, windowMs: 1000 }],
      api: [{ count: 50, windowMs: 1000 }],
      greeks: [{ count: 30, windowMs: 60_000 }],
      margin: [{ count: 50, windowMs: 1000 }],
      webhook: [{ count: 100, windowMs: 60_000 }],
      login: [
        { count: 5, windowMs: 60_000 },
        { count: 25, windowMs: 3_600_000 },
      ],
    });
    expect(config).toMatchObject({ rateLimitStore: 'memory', redisUrl: 'redis://127.0.0.1:6379', redisPrefix: 'ordergate' });
    expect(config).toMatchObject({ accessTokenTtlSeconds: 900, refreshTokenTtlSeconds: 604_800, trafficRetentionDays: 7 });
    expect(config.adminPassword).toBeUndefined();
  });

  it("reads OpenAlgo's rate-limit syntax and keeps every limit of a compound one", () => {
    expect(parseRateLimits('10 per second', 'X')).toEqual([{ count: 10, windowMs: 1000 }]);
    expect(parseRateLimits('100/minute', 'X')).toEqual([{ count: 100, windowMs: 60_000 }]);
    expect(parseRateLimits('5 per hours', 'X')).toEqual([{ count: 5, windowMs: 3_600_000 }]);
    expect(parseRateLimits('30 per 5 minutes', 'X')).toEqual([{ count: 30, windowMs: 300_000 }]);
    expect(parseRateLimits(' 10 PER SECOND ; 40 per minute ', 'X')).toEqual([
      { count: 10, windowMs: 1000 },
      { count: 40, windowMs: 60_000 },
    ]);
    expect(parseRateLimits('1/day,2/hour|3/minute', 'X')).toHaveLength(3);
  });

  it.each([
    ['fast', 'must look like "10 per second" or "100 per minute" (got "fast")'],
    ['10 per fortnight', 'must look like "10 per second" or "100 per minute" (got "10 per fortnight")'],
    ['10 per second;', undefined],
    ['-1 per second', 'must look like'],
    ['1.5 per second', 'must look like'],
    ['10 second', 'must look like'],
    ['0 per second', 'must allow at least 1 request per at least 1 second (got "0 per second")'],
    ['10 per 0 minutes', 'must allow at least 1 request per at least 1 minute'],
    ['99999999999999999999 per second', 'must allow at least 1 request'],
    ['10 per 2 days', 'windows may last at most a day (got "10 per 2 days")'],
    [';', 'is empty'],
  ])('rejects the rate limit %j at config load, naming the variable', (text, message) => {
    if (message === undefined) {
      expect(loadConfig({ ORDER_RATE_LIMIT: text }).rateLimits.order).toEqual([{ count: 10, windowMs: 1000 }]);
      return;
    }
    expect(() => loadConfig({ API_RATE_LIMIT: text })).toThrow(ConfigError);
    expect(() => loadConfig({ API_RATE_LIMIT: text })).toThrow(`API_RATE_LIMIT ${message}`);
  });

  it('reads every rate-limit variable and the store', () => {
    const config = loadConfig({
      ORDER_RATE_LIMIT: '1 per second',
      SMART_ORDER_RATE_LIMIT: '2 per second',
      API_RATE_LIMIT: '3 per second',
      GREEKS_RATE_LIMIT: '5 per minute',
      MARGIN_RATE_LIMIT: '6 per second',
      WEBHOOK_RATE_LIMIT: '4 per minute',
      LOGIN_RATE_LIMIT_MIN: '3 per minute',
      LOGIN_RATE_LIMIT_HOUR: '9 per hour',
      ORDERGATE_RATE_LIMIT_STORE: 'redis',
      REDIS_URL: 'redis://cache:6380/2',
      ORDERGATE_REDIS_PREFIX: 'og-a',
    });
    expect(config.rateLimits).toEqual({
      order: [{ count: 1, windowMs: 1000 }],
      smartOrder: [{ count: 2, windowMs: 1000 }],
      api: [{ count: 3, windowMs: 1000 }],
      greeks: [{ count: 5, windowMs: 60_000 }],
      margin: [{ count: 6, windowMs: 1000 }],
      webhook: [{ count: 4, windowMs: 60_000 }],
      login: [
        { count: 3, windowMs: 60_000 },
        { count: 9, windowMs: 3_600_000 },
      ],
    });
    expect(config).toMatchObject({ rateLimitStore: 'redis', redisUrl: 'redis://cache:6380/2', redisPrefix: 'og-a' });
    expect(() => loadConfig({ ORDERGATE_RATE_LIMIT_STORE: 'disk' })).toThrow('ORDERGATE_RATE_LIMIT_STORE must be "memory" or "redis"');
    expect(loadConfig({ ORDERGATE_PAPER_FAULTS: ' None ' }).paperFaults).toBe('');
    expect(loadConfig({ ORDERGATE_PAPER_FAULTS: 'seed=3' }).paperFaults).toBe('');
    expect(loadConfig({ ORDERGATE_PAPER_FAULTS: 'fail=0.5; latency=20' }).paperFaults).toBe('fail=0.5; latency=20');
    expect(() => loadConfig({ ORDERGATE_PAPER_FAULTS: 'latency=fast' })).toThrow(
      'ORDERGATE_PAPER_FAULTS: "latency=fast": expected milliseconds from 1 to 600000',
    );
    expect(() => loadConfig({ SMART_ORDER_RATE_LIMIT: 'x' })).toThrow(/^SMART_ORDER_RATE_LIMIT /);
    expect(() => loadConfig({ WEBHOOK_RATE_LIMIT: 'x' })).toThrow(/^WEBHOOK_RATE_LIMIT /);
  });

  it('names the variable in every error', () => {
    expect(() => loadConfig({ PORT: '70000' })).toThrow('PORT must be a whole number from 0 to 65535 (got "70000")');
    expect(() => loadConfig({ ORDERGATE_BOOTSTRAP_API_KEY: 'abc' })).toThrow('ORDERGATE_BOOTSTRAP_API_KEY must be 64 hexadecimal characters');
    expect(() => loadConfig({ ORDERGATE_MARKET: 'wild' })).toThrow('ORDERGATE_MARKET must be "walk" or "frozen"');
    expect(() => loadConfig({ ORDERGATE_SESSIONS: 'sometimes' })).toThrow('ORDERGATE_SESSIONS must be "always-open" or "exchange-hours"');
    expect(() => loadConfig({ ORDERGATE_STARTING_CASH: '1e6' })).toThrow(/ORDERGATE_STARTING_CASH/);
    expect(() => loadConfig({ ORDERGATE_ACCESS_TOKEN_TTL: '3600' })).toThrow('ORDERGATE_ACCESS_TOKEN_TTL must be a whole number from 30 to 1800 (got "3600")');
    expect(() => loadConfig({ ORDERGATE_ADMIN_PASSWORD: 'short' })).toThrow('ORDERGATE_ADMIN_PASSWORD must be 8 to 256 characters long');
    expect(() => loadConfig({ LOGIN_RATE_LIMIT_HOUR: 'lots' })).toThrow(/^LOGIN_RATE_LIMIT_HOUR /);
  });
});

describe('CORS configuration', () => {
  it("is off by default, with OpenAlgo's lists ready for when it is turned on", () => {
    expect(loadConfig({}).cors).toEqual({
      enabled: false,
      allowedOrigins: [],
      allowedMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Content-Type', 'Authorization', 'X-API-KEY', 'Idempotency-Key', 'X-Request-Id'],
      exposedHeaders: ['X-Request-Id', 'Retry-After', 'RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset'],
      allowCredentials: false,
      maxAgeSeconds: 86_400,
    });
  });

  it('reads comma-separated lists, trimmed, with methods in upper case', () => {
    const config = loadConfig({
      CORS_ENABLED: 'yes',
      CORS_ALLOWED_ORIGINS: ' https://app.example.com , http://localhost:3000,',
      CORS_ALLOWED_METHODS: 'get, post',
      CORS_ALLOWED_HEADERS: 'Content-Type',
      CORS_EXPOSED_HEADERS: 'X-Request-Id',
      CORS_ALLOW_CREDENTIALS: '1',
      CORS_MAX_AGE: '0',
    });
    expect(config.cors).toEqual({
      enabled: true,
      allowedOrigins: ['https://app.example.com', 'http://localhost:3000'],
      allowedMethods: ['GET', 'POST'],
      allowedHeaders: ['Content-Type'],
      exposedHeaders: ['X-Request-Id'],
      allowCredentials: true,
      maxAgeSeconds: 0,
    });
  });

  it('accepts only exact origins and names the variable', () => {
    const origins = (value: string) => () => loadConfig({ CORS_ENABLED: 'true', CORS_ALLOWED_ORIGINS: value });
    expect(origins('*')).toThrow(ConfigError);
    expect(origins('*')).toThrow('CORS_ALLOWED_ORIGINS lists exact origins; "*" is not accepted');
    expect(origins('https://app.example.com,*')).toThrow('"*" is not accepted');
    expect(origins('app.example.com')).toThrow(
      'CORS_ALLOWED_ORIGINS holds "app.example.com", which is not an origin like https://app.example.com',
    );
    expect(origins('https://app.example.com/')).toThrow(
      'CORS_ALLOWED_ORIGINS holds "https://app.example.com/"; write the origin alone, as https://app.example.com',
    );
    expect(origins('https://app.example.com/dashboard')).toThrow('write the origin alone, as https://app.example.com');
    expect(origins('https://App.Example.com')).toThrow('write the origin alone, as https://app.example.com');
    expect(origins('https://app.example.com:443')).toThrow('write the origin alone, as https://app.example.com');
  });

  it('refuses to be turned on without an origin, and rejects bad switches and ages', () => {
    expect(() => loadConfig({ CORS_ENABLED: 'true' })).toThrow('CORS_ENABLED is true but CORS_ALLOWED_ORIGINS lists no origin');
    expect(() => loadConfig({ CORS_ENABLED: 'true', CORS_ALLOWED_ORIGINS: ' , ' })).toThrow('lists no origin');
    expect(() => loadConfig({ CORS_ENABLED: 'maybe' })).toThrow('CORS_ENABLED must be true or false (got "maybe")');
    expect(() => loadConfig({ CORS_ALLOW_CREDENTIALS: '2' })).toThrow('CORS_ALLOW_CREDENTIALS must be true or false (got "2")');
    expect(() => loadConfig({ CORS_MAX_AGE: '-1' })).toThrow('CORS_MAX_AGE must be a whole number from 0 to 604800 (got "-1")');
    expect(() => loadConfig({ CORS_MAX_AGE: '604801' })).toThrow(/^CORS_MAX_AGE /);
  });
});
