// The broker contract for the OpenAlgo-upstream adapter, over a second Ordergate run as a child process (its own data
// folder and port), reached through a proxy that can cut the connection; its paper faults hang depth and fail holdings
// from the start. Then what only this adapter does: the order feed and its fallback to polling, the Idempotency-Key,
// the upstream's errors without the API key, and history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderReport } from '../../../src/brokers/broker.js';
import { OpenAlgoBroker, type OpenAlgoBrokerOptions } from '../../../src/brokers/openalgo/openalgo-broker.js';
import { systemClock } from '../../../src/domain/clock.js';
import { type Decimal, dec, mul, roundToStep } from '../../../src/domain/decimal.js';
import { AuthExpired } from '../../../src/domain/errors.js';
import type { Instrument } from '../../../src/domain/instrument.js';
import type { OrderRequest } from '../../../src/domain/order.js';
import { type BrokerWorld, type TradedInstrument, brokerContract, waitFor } from './broker-contract.js';
import { CuttableProxy } from './cuttable-proxy.js';
import { MarketOracle } from './market-oracle.js';
import { type UpstreamOrdergate, startUpstream } from './upstream-ordergate.js';

const ACCOUNT = 'contract-upstream';
/** How long a test gives itself to place the order the oracle planned (the market must not reach it before). */
const PLACE_WITHIN_MS = 3000;
/** Shares the shared scenarios trade (their positions are checked): the planned fills stay off them. */
const BUSY = new Set(['SBIN', 'RELIANCE']);

let upstream: UpstreamOrdergate;
let oracle: MarketOracle;
const closing: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  upstream = await startUpstream({ paperFaults: 'hang@getDepth;fail=1@listHoldings' });
  oracle = new MarketOracle(upstream.seed, Date.now());
}, 60_000);

afterAll(async () => {
  for (const close of closing.reverse()) await close();
  await upstream?.stop();
}, 30_000);

/** An adapter over its own proxy to the upstream, started, with its order feed up. */
async function adapter(options: Partial<OpenAlgoBrokerOptions> = {}): Promise<{ broker: OpenAlgoBroker; proxy: CuttableProxy }> {
  const proxy = await CuttableProxy.start(upstream.url);
  const broker = new OpenAlgoBroker({
    baseUrl: proxy.url,
    apiKey: upstream.apiKey,
    accountId: ACCOUNT,
    instruments: oracle.master,
    clock: systemClock,
    pollMs: 100,
    reconnectMs: 50,
    maxReconnectMs: 500,
    requestTimeoutMs: 10_000,
    ...options,
  });
  closing.push(() => proxy.close(), () => broker.close());
  await broker.start();
  return { broker, proxy };
}

const traded = (instrument: Instrument): TradedInstrument => ({
  symbol: instrument.symbol,
  exchange: instrument.exchange,
  tickSize: instrument.tickSize,
  lotSize: instrument.lotSize,
});

/**
 * A BUY LIMIT of one share that rests now and that the upstream's market reaches by itself, and how long that may
 * take: on the NSE share whose walk comes down soonest (of those the other scenarios leave alone).
 */
function plannedFill(): { instrument: Instrument; price: Decimal; withinMs: number } {
  const candidates = oracle.master.byExchange('NSE').filter((each) => each.instrumentType === 'EQ' && !BUSY.has(each.symbol));
  const now = Date.now();
  const plan = oracle.restingBuyThatFills(candidates, now, PLACE_WITHIN_MS, 20_000);
  // Slack for the upstream's matching pass and the update's way back on a busy machine.
  return { instrument: plan.instrument, price: plan.price, withinMs: plan.at - now + 10_000 };
}

async function upstreamWorld(): Promise<BrokerWorld> {
  const { broker, proxy } = await adapter();
  await waitFor(() => (broker.capabilities().orderUpdates === 'push' ? true : undefined), 10_000);
  const future = oracle.master.byExchange('NFO').find((each) => each.instrumentType === 'FUT' && each.underlying === 'NIFTY');
  if (!future) throw new Error('the master lists no NIFTY future');
  let fillWithinMs = 0;
  return {
    broker,
    accountId: ACCOUNT,
    instruments: {
      resting: traded(oracle.instrument('SBIN', 'NSE')),
      market: traded(oracle.instrument('RELIANCE', 'NSE')),
    },
    lotted: traded(future),
    checksInstrumentRules: true,
    positionAverageDigits: 2,
    farBelow: async ({ symbol, exchange }) => {
      const instrument = oracle.instrument(symbol, exchange);
      return roundToStep(mul(oracle.askAt(instrument, Date.now()), dec('0.8')), instrument.tickSize, 'down');
    },
    restingThenFilling: async () => {
      const plan = plannedFill();
      fillWithinMs = plan.withinMs;
      return { instrument: traded(plan.instrument), price: plan.price, cross: async () => undefined };
    },
    get fillWithinMs() {
      return fillWithinMs;
    },
    faults: {
      hanging: (guarded) => guarded.getDepth('SBIN', 'NSE'),
      failing: (guarded) => guarded.listHoldings(ACCOUNT),
      cut: async () => proxy.drop('all'),
      restore: async () => proxy.restore(),
    },
    close: async () => {
      broker.close();
      await proxy.close();
    },
  };
}

brokerContract('the OpenAlgo-upstream adapter over a second Ordergate', upstreamWorld);

describe('the OpenAlgo-upstream adapter', () => {
  const order = (fields: Partial<OrderRequest>): OrderRequest => ({
    accountId: ACCOUNT,
    symbol: 'SBIN',
    exchange: 'NSE',
    side: 'BUY',
    quantity: dec(1),
    type: 'MARKET',
    product: 'MIS',
    timeInForce: 'DAY',
    ...fields,
  });

  it('honours no client order ids and no fractions, and says its updates are pushed while the feed is up', async () => {
    const { broker } = await adapter();
    await waitFor(() => (broker.capabilities().orderUpdates === 'push' ? true : undefined), 10_000);
    expect(broker.capabilities()).toEqual({ idempotentPlacement: false, fractionalQuantity: false, orderUpdates: 'push' });
  });

  it('polls while the order feed is down, and tells onReconnect when the feed is back', async () => {
    const { broker, proxy } = await adapter();
    await waitFor(() => (broker.capabilities().orderUpdates === 'push' ? true : undefined), 10_000);
    const updates: OrderReport[] = [];
    let reconnects = 0;
    broker.onOrderUpdates((reports) => updates.push(...reports));
    broker.onReconnect(() => (reconnects += 1));

    proxy.drop('feed');
    await waitFor(() => (broker.capabilities().orderUpdates === 'poll' ? true : undefined), 5000);
    const plan = plannedFill();
    const placed = await broker.placeOrder(
      order({ symbol: plan.instrument.symbol, type: 'LIMIT', limitPrice: plan.price, clientOrderId: 'POLLED-1' }),
    );
    expect(placed.order.status).toBe('open');
    const filled = await waitFor(
      () => updates.find((report) => report.order.id === placed.order.id && report.order.status === 'filled'),
      plan.withinMs,
    );
    expect(filled.order).toMatchObject({ clientOrderId: 'POLLED-1', filledQuantity: dec(1), averagePrice: plan.price });
    expect(reconnects).toBe(0);

    proxy.restore();
    await waitFor(() => (reconnects === 1 ? true : undefined), 10_000);
    expect(broker.capabilities().orderUpdates).toBe('push');
  }, 60_000);

  it("sends the client order id as the Idempotency-Key, which an Ordergate upstream answers with the first placement", async () => {
    const { broker } = await adapter();
    const first = await broker.placeOrder(order({ quantity: dec(2), clientOrderId: 'ONCE-1' }));
    const again = await broker.placeOrder(order({ quantity: dec(2), clientOrderId: 'ONCE-1' }));
    expect(again.order.id).toBe(first.order.id);
    expect(again.fills).toEqual(first.fills);
  });

  it("keeps the upstream's words for a refused key, and never shows the key", async () => {
    const wrongKey = 'ef'.repeat(32);
    const proxy = await CuttableProxy.start(upstream.url);
    closing.push(() => proxy.close());
    const broker = new OpenAlgoBroker({
      baseUrl: proxy.url,
      apiKey: wrongKey,
      accountId: ACCOUNT,
      instruments: oracle.master,
      clock: systemClock,
    });
    closing.push(() => broker.close());
    const refused = await broker.getFunds(ACCOUNT).then(
      () => expect.unreachable('a wrong key is refused'),
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(AuthExpired);
    expect((refused as Error).message).toBe('Invalid openalgo apikey');
    await expect(broker.start()).rejects.toBeInstanceOf(AuthExpired);
  });

  it("serves the upstream's history: its intervals, and bars that close at the market's prices", async () => {
    const { broker } = await adapter();
    expect(broker.historyIntervals()).toContainEqual({ unit: 'minute', count: 1 });
    const instrument = oracle.instrument('SBIN', 'NSE');
    const series = await broker.getHistory('SBIN', 'NSE');
    const end = Math.floor(Date.now() / 60_000) * 60_000;
    const bars = await series.bars({ unit: 'minute', count: 1 }, end - 5 * 60_000, end);
    expect(bars.map((bar) => bar.time)).toEqual([5, 4, 3, 2, 1].map((minutes) => end - minutes * 60_000));
    for (const bar of bars) {
      expect(bar.close).toBe(oracle.lastAt(instrument, bar.time + 59_000));
    }
  });
});
