// ORDERGATE_SESSIONS=exchange-hours over HTTP: closed markets answer 400 with the hours; MIS is squared off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, T0, startGateway } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startGateway({ env: { ORDERGATE_SESSIONS: 'exchange-hours' } });
  h.setPrice('SBIN', 'NSE', '800');
});
afterAll(() => h.close());

const buy = (product: string) =>
  h.post('/api/v1/placeorder', { apikey: h.key, strategy: 's', exchange: 'NSE', symbol: 'SBIN', action: 'BUY', quantity: 2, product });

describe('exchange hours enforced', () => {
  it('trade during hours, square off MIS at 15:15 and refuse orders after the close', async () => {
    expect((await buy('MIS')).status).toBe(200); // T0 is 10:00 IST on a Wednesday
    h.clock.set(T0 + (5 * 60 + 15) * 60_000); // 15:15 IST
    h.tick();
    const positions = (await h.post('/api/v1/positionbook', { apikey: h.key })).body.data as Record<string, unknown>[];
    expect(positions.map((p) => [p.product, p.quantity])).toEqual([['MIS', 0]]);
    expect((await buy('MIS')).body.message).toBe(
      'MIS orders cannot be placed after square-off time (15:15 IST). Trading resumes at 09:15 IST on the next trading day.',
    );
    h.clock.set(T0 + 6 * 3600_000); // 16:00 IST
    expect(await buy('CNC')).toEqual({
      status: 400,
      body: { status: 'error', message: 'NSE is closed: orders are accepted from 09:15 to 15:30 IST on trading days' },
    });
  });
});
