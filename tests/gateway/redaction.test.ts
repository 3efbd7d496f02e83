import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../src/gateway/redaction.js';

const KEY = '3f0c'.repeat(16);

describe('redactSecrets', () => {
  it('replaces the values of secret query parameters and leaves the rest', () => {
    expect(redactSecrets('/api/v1/instruments?exchange=NSE&apikey=abc123&format=csv')).toBe(
      '/api/v1/instruments?exchange=NSE&apikey=[redacted]&format=csv',
    );
    expect(redactSecrets('/x?APIKEY=1&token=2&api_key=3')).toBe('/x?APIKEY=[redacted]&token=[redacted]&api_key=[redacted]');
    expect(redactSecrets('/api/v1/funds')).toBe('/api/v1/funds');
    expect(redactSecrets('/api/v1/orderbook?orderid=26112500000001')).toBe('/api/v1/orderbook?orderid=26112500000001');
  });

  it('reads parameter names as the query-string parser does: percent-decoded, + as space, any case', () => {
    expect(redactSecrets('/i?ap%69key=short&exchange=NSE')).toBe('/i?ap%69key=[redacted]&exchange=NSE');
    expect(redactSecrets('/i?%61pikey=short')).toBe('/i?%61pikey=[redacted]');
    expect(redactSecrets('/i?%41%50%49%4B%45%59=short')).toBe('/i?%41%50%49%4B%45%59=[redacted]');
    expect(redactSecrets('/i?api%5Fkey=short&x=%E0%A4')).toBe('/i?api%5Fkey=[redacted]&x=%E0%A4');
    expect(redactSecrets('/i?%E0%A4&apikey=short')).toBe('/i?%E0%A4&apikey=[redacted]');
  });

  it('finds secret parameters after ; and a stray & in the path', () => {
    expect(redactSecrets('/api/v1/instruments;apikey=short')).toBe('/api/v1/instruments;apikey=[redacted]');
    expect(redactSecrets('/api/v1/instruments&apikey=short')).toBe('/api/v1/instruments&apikey=[redacted]');
  });

  it('replaces a key-shaped run wherever it stands, plain or percent-encoded', () => {
    expect(redactSecrets(`/api/v1/${KEY}/funds`)).toBe('/api/v1/[redacted]/funds');
    expect(redactSecrets(`/api/v1/funds?k=${KEY}`)).toBe('/api/v1/funds?k=[redacted]');
    const encoded = [...KEY].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('');
    expect(redactSecrets(`/x/${encoded}`)).toBe('/x/[redacted]');
    expect(redactSecrets(`/x/${KEY.toUpperCase()}x`)).toBe('/x/[redacted]x');
    // 14-digit order ids and short hex are not keys.
    expect(redactSecrets('/x/26112500000001/abcdef')).toBe('/x/26112500000001/abcdef');
  });
});
