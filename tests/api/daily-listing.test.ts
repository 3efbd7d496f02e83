// A server that runs across days lists each day's contracts: expired ones leave the catalog and take only orders
// that close what is held, as a fresh start on that day would.
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startGateway } from './harness.js';

let h: Harness;
afterEach(() => h.close());

const CALL = 'NIFTY01DEC2626000CE';
const ist = (text: string) => Date.parse(`${text}+05:30`);

describe('the daily listing of a running server', () => {
  it('retires a contract after its expiry day, keeps its position, and takes only a closing order on it', async () => {
    h = await startGateway();
    const api = (route: string, body: Record<string, unknown>) => h.post(`/api/v1/${route}`, { apikey: h.key, ...body });
    const lot = ((await api('symbol', { symbol: CALL, exchange: 'NFO' })).body.data as { lotsize: number }).lotsize;
    const order = { strategy: 'e', symbol: CALL, exchange: 'NFO', pricetype: 'MARKET', product: 'NRML', quantity: lot };
    expect((await api('placeorder', { ...order, action: 'BUY' })).status).toBe(200);

    h.clock.set(ist('2026-12-02T10:00:00'));
    h.tick();

    const expiries = (await api('expiry', { symbol: 'NIFTY', exchange: 'NFO', instrumenttype: 'options' })).body.data as string[];
    expect(expiries[0]).toBe('08-DEC-26');
    expect((await api('symbol', { symbol: CALL, exchange: 'NFO' })).status).toBe(404);
    expect(((await api('search', { query: CALL })).body.data as unknown[]).length).toBe(0);

    const positions = (await api('positionbook', {})).body.data as { symbol: string; quantity: number }[];
    expect(positions.find((p) => p.symbol === CALL)?.quantity).toBe(lot);

    expect(await api('placeorder', { ...order, action: 'BUY' })).toEqual({
      status: 400,
      body: { status: 'error', message: `${CALL} expired on 2026-12-01; only orders that reduce its position are accepted` },
    });
    expect((await api('placeorder', { ...order, action: 'SELL' })).status).toBe(200);
  });
});
