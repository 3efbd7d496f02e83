// A data folder written by an earlier Ordergate starts under this code with every order, key and rupee intact. The
// fixture (tests/fixtures/data-2026-12-07, see its README) was made by that day's code through the API; each start
// here works on a copy of it, so the fixture itself never changes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, login, requestJson, startGateway } from './harness.js';

const FIXTURE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/data-2026-12-07');
/** The read-only key the fixture's second account holds, and a key of that account it revoked. */
const SWING_READ_KEY = '1675ffd7d4d084ad763d5b4a726f241c6b7e2e1c68dd184b3fe42c04cbde463c';
const REVOKED_KEY = '959141707495938433fa018376b087d4b9b2c7535da888d913aa9ca5b4909305';

let h: Harness;
beforeAll(async () => {
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'ordergate-upgrade-'));
  fs.cpSync(FIXTURE, copy, { recursive: true });
  // The fixture is a folder of SQLite files, so this runs on SQLite on either pass (an empty DATABASE_URL means
  // SQLite): it is the upgrade of those files that is under test.
  h = await startGateway({ dataDir: copy, env: { DATABASE_URL: '' } });
  // Prices are the market's, not the folder's: the ones the fixture was made at, so P&L reads exactly.
  h.setPrice('SBIN', 'NSE', '800');
  h.setPrice('INFY', 'NSE', '1500');
});
afterAll(() => h.close());

const ORDER = { strategy: 'up', exchange: 'NSE', symbol: 'SBIN', action: 'BUY', quantity: 1, pricetype: 'MARKET', product: 'MIS' };
const v1 = async (route: string, body: Record<string, unknown> = {}, apikey = h.key) => (await h.post(`/api/v1/${route}`, { apikey, ...body })).body;

describe('a data folder of 2026-12-07', () => {
  it('keeps its orders, positions and funds', async () => {
    expect(await v1('orderbook')).toMatchInlineSnapshot(`
      {
        "data": {
          "orders": [
            {
              "action": "SELL",
              "average_price": 799.95,
              "exchange": "NSE",
              "filled_quantity": 4,
              "order_status": "complete",
              "orderid": "26112500000004",
              "pending_quantity": 0,
              "price": 0,
              "pricetype": "MARKET",
              "product": "MIS",
              "quantity": 4,
              "rejection_reason": "",
              "strategy": "fx",
              "symbol": "SBIN",
              "timestamp": "2026-11-25 10:00:00",
              "trigger_price": 0,
            },
            {
              "action": "BUY",
              "average_price": 0,
              "exchange": "NSE",
              "filled_quantity": 0,
              "order_status": "cancelled",
              "orderid": "26112500000003",
              "pending_quantity": 0,
              "price": 1390,
              "pricetype": "LIMIT",
              "product": "CNC",
              "quantity": 2,
              "rejection_reason": "",
              "strategy": "fx",
              "symbol": "INFY",
              "timestamp": "2026-11-25 10:00:00",
              "trigger_price": 0,
            },
            {
              "action": "BUY",
              "average_price": 0,
              "exchange": "NSE",
              "filled_quantity": 0,
              "order_status": "open",
              "orderid": "26112500000002",
              "pending_quantity": 5,
              "price": 1400,
              "pricetype": "LIMIT",
              "product": "CNC",
              "quantity": 5,
              "rejection_reason": "",
              "strategy": "fx",
              "symbol": "INFY",
              "timestamp": "2026-11-25 10:00:00",
              "trigger_price": 0,
            },
            {
              "action": "BUY",
              "average_price": 800.05,
              "exchange": "NSE",
              "filled_quantity": 10,
              "order_status": "complete",
              "orderid": "26112500000001",
              "pending_quantity": 0,
              "price": 0,
              "pricetype": "MARKET",
              "product": "MIS",
              "quantity": 10,
              "rejection_reason": "",
              "strategy": "fx",
              "symbol": "SBIN",
              "timestamp": "2026-11-25 10:00:00",
              "trigger_price": 0,
            },
          ],
          "statistics": {
            "total_buy_orders": 3,
            "total_completed_orders": 2,
            "total_open_orders": 1,
            "total_rejected_orders": 0,
            "total_sell_orders": 1,
            "total_trigger_pending_orders": 0,
          },
        },
        "status": "success",
      }
    `);
    expect(await v1('positionbook')).toMatchInlineSnapshot(`
      {
        "data": [
          {
            "average_price": 800.05,
            "currency": "INR",
            "exchange": "NSE",
            "ltp": 800,
            "pnl": -0.7,
            "product": "MIS",
            "quantity": 6,
            "symbol": "SBIN",
          },
        ],
        "status": "success",
      }
    `);
    expect(await v1('funds')).toMatchInlineSnapshot(`
      {
        "data": {
          "availablecash": "9992039.54",
          "balances": [
            {
              "availablecash": "9992039.54",
              "collateral": "0.00",
              "currency": "INR",
              "m2mrealized": "-0.40",
              "m2munrealized": "-0.30",
              "utiliseddebits": "7960.06",
            },
            {
              "availablecash": "100000.00",
              "collateral": "0.00",
              "currency": "USD",
              "m2mrealized": "0.00",
              "m2munrealized": "0.00",
              "utiliseddebits": "0.00",
            },
          ],
          "collateral": "0.00",
          "currency": "INR",
          "m2mrealized": "-0.40",
          "m2munrealized": "-0.30",
          "utiliseddebits": "7960.06",
        },
        "status": "success",
      }
    `);
  });

  it('keeps its keys, revocations, accounts and admin login', async () => {
    expect(await v1('funds', {}, SWING_READ_KEY)).toMatchObject({ status: 'success' });
    expect(await v1('placeorder', ORDER, SWING_READ_KEY)).toEqual({ status: 'error', message: "This API key lacks the 'trade' scope" });
    expect(await v1('funds', {}, REVOKED_KEY)).toEqual({ status: 'error', message: 'Invalid openalgo apikey' });
    const { access_token: token } = await login(h.url);
    const accounts = await requestJson(h.url, 'GET', '/api/admin/accounts', { token });
    expect((accounts.body.items as Array<{ name: string }>).map((a) => a.name)).toEqual(['default', 'swing']);
  });

  it('keeps its analyzer book and log, and numbers new orders after the old ones', async () => {
    expect(await v1('analyzer')).toMatchInlineSnapshot(`
      {
        "data": {
          "analyze_mode": false,
          "mode": "live",
          "total_logs": 2,
        },
        "status": "success",
      }
    `);
    await v1('analyzer/toggle', { mode: true });
    expect(await v1('orderbook')).toMatchInlineSnapshot(`
      {
        "data": {
          "orders": [
            {
              "action": "BUY",
              "average_price": 800.05,
              "exchange": "NSE",
              "filled_quantity": 3,
              "order_status": "complete",
              "orderid": "SB-26112500000001",
              "pending_quantity": 0,
              "price": 0,
              "pricetype": "MARKET",
              "product": "MIS",
              "quantity": 3,
              "rejection_reason": "",
              "strategy": "fx",
              "symbol": "SBIN",
              "timestamp": "2026-11-25 10:00:00",
              "trigger_price": 0,
            },
          ],
          "statistics": {
            "total_buy_orders": 1,
            "total_completed_orders": 1,
            "total_open_orders": 0,
            "total_rejected_orders": 0,
            "total_sell_orders": 0,
            "total_trigger_pending_orders": 0,
          },
        },
        "mode": "analyze",
        "status": "success",
      }
    `);
    await v1('analyzer/toggle', { mode: false });
    expect(await v1('placeorder', ORDER)).toEqual({ status: 'success', orderid: '26112500000005' });
  });
});
