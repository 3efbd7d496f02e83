// A traffic-log entry for tests: a successful funds request of account `a`, with the fields a test cares about set.
import type { TrafficEntry } from '../../src/store/store.js';

export function trafficEntry(overrides: Partial<TrafficEntry> = {}): TrafficEntry {
  return {
    at: 1000,
    keyId: 'k1',
    accountId: 'a',
    userId: null,
    ip: '127.0.0.1',
    method: 'POST',
    path: '/api/v1/funds',
    route: '/api/v1/funds',
    status: 200,
    durationUs: 100,
    ...overrides,
  };
}
