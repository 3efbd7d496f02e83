import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/api/server.js';

describe('request logging', () => {
  it('redacts API keys and tokens from logged URLs', () => {
    expect(redactUrl('/api/v1/instruments?exchange=NSE&apikey=abc123&format=csv')).toBe(
      '/api/v1/instruments?exchange=NSE&apikey=[redacted]&format=csv',
    );
    expect(redactUrl('/x?APIKEY=1&token=2')).toBe('/x?APIKEY=[redacted]&token=[redacted]');
    expect(redactUrl('/api/v1/funds')).toBe('/api/v1/funds');
  });
});
