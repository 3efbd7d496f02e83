// The contract every Broker adapter keeps (DESIGN §3.2), as one suite run against each adapter over a real server of
// its protocol: the same scenarios, the same typed errors, and the same fault behaviour behind the resilience layer
// (a hung call times out, repeated failures open the circuit, a dropped connection is BrokerUnavailable).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Broker, OrderReport } from '../../../src/brokers/broker.js';
import { FaultInjectingBroker } from '../../../src/brokers/fault-injecting-broker.js';
import { type ResilienceOptions, ResilientBroker } from '../../../src/brokers/resilient-broker.js';
import { type Decimal, ZERO, add, cmp, dec, div, mul, sub, toFixed } from '../../../src/domain/decimal.js';
import {
  BrokerUnavailable,
  InstrumentNotFound,
  InvalidOrder,
  OrderNotFound,
  OrderNotModifiable,
} from '../../../src/domain/errors.js';
import type { Exchange } from '../../../src/domain/instrument.js';
import type { OrderRequest } from '../../../src/domain/order.js';

export interface TradedInstrument {
  symbol: string;
  exchange: Exchange;
  tickSize: Decimal;
  lotSize: Decimal;
}

/** A BUY limit that rests when placed and fills once `cross` has been called (at once or after a while). */
export interface RestingThenFilling {
  instrument: TradedInstrument;
  price: Decimal;
  /** Makes the market reach the price (paper: moves it; an upstream's walk reaches it by itself). */
  cross(): Promise<void>;
}

export type BrokerCall = (broker: Broker) => Promise<unknown>;

/** An adapter over a running server of its protocol, and the controls the scenarios need. */
export interface BrokerWorld {
  /** The adapter under test. */
  broker: Broker;
  /** The account the adapter reports its orders under. */
  accountId: string;
  /** Instruments for the scenarios, one each so their positions do not mix: lot 1, traded at whole ticks. */
  instruments: { resting: TradedInstrument; market: TradedInstrument };
  /** An instrument whose lot is above 1 (a future). */
  lotted: TradedInstrument;
  /** Whether the adapter's server refuses orders off the lot or the tick itself (else the core alone does). */
  checksInstrumentRules: boolean;
  /** Decimals the server rounds position averages to; exact when undefined. */
  positionAverageDigits?: number;
  /** A BUY limit price far below the market, which does not fill while the suite runs. */
  farBelow(instrument: TradedInstrument): Promise<Decimal>;
  /** A BUY limit (on an instrument of neither scenario above) that rests now and that the market reaches after `cross`. */
  restingThenFilling(): Promise<RestingThenFilling>;
  /** Longest wait for the market to fill that order by itself, in ms. */
  fillWithinMs: number;
  faults: {
    /** A call the server never answers. */
    hanging: BrokerCall;
    /** A call the server fails every time (a 5xx, or a connection reset inside the server). */
    failing: BrokerCall;
    /** Drops the connection to the server until `restore`. */
    cut(): Promise<void>;
    restore(): Promise<void>;
  };
  close(): Promise<void>;
}

const RESILIENCE: ResilienceOptions = {
  connection: 'contract',
  writeTimeoutMs: 2000,
  readTimeoutMs: 2000,
  retries: 0,
  backoffMs: 1,
  breakerThreshold: 1000,
  breakerResetMs: 60_000,
};

/** Runs the contract against the world `makeWorld` builds (once for the suite). */
export function brokerContract(name: string, makeWorld: () => Promise<BrokerWorld>): void {
  describe(`${name} keeps the broker contract`, () => {
    let world: BrokerWorld;
    const guards: ResilientBroker[] = [];
    beforeAll(async () => {
      world = await makeWorld();
    }, 60_000);
    afterAll(async () => {
      for (const guard of guards) guard.close();
      await world?.close();
    });

    let placements = 0;
    const clientOrderId = () => `C-${++placements}`;
    const request = (instrument: TradedInstrument, fields: Partial<OrderRequest>): OrderRequest => ({
      accountId: world.accountId,
      symbol: instrument.symbol,
      exchange: instrument.exchange,
      side: 'BUY',
      quantity: instrument.lotSize,
      type: 'MARKET',
      product: 'MIS',
      timeInForce: 'DAY',
      clientOrderId: clientOrderId(),
      ...fields,
    });
    const restingLimit = async (quantity: Decimal) => {
      const instrument = world.instruments.resting;
      const limitPrice = await world.farBelow(instrument);
      return world.broker.placeOrder(request(instrument, { type: 'LIMIT', quantity, limitPrice }));
    };
    const guarded = (options: Partial<ResilienceOptions>) => {
      const guard = new ResilientBroker(world.broker, { ...RESILIENCE, ...options });
      guards.push(guard);
      return guard;
    };

    it('reports a LIMIT away from the market as open, with no fills', async () => {
      const instrument = world.instruments.resting;
      const limitPrice = await world.farBelow(instrument);
      const report = await world.broker.placeOrder(
        request(instrument, { type: 'LIMIT', quantity: dec(2), limitPrice, strategyTag: 'contract', clientOrderId: 'C-LIMIT' }),
      );
      expect(report.order).toMatchObject({
        accountId: world.accountId,
        clientOrderId: 'C-LIMIT',
        symbol: instrument.symbol,
        exchange: instrument.exchange,
        side: 'BUY',
        quantity: dec(2),
        type: 'LIMIT',
        limitPrice,
        product: 'MIS',
        status: 'open',
        filledQuantity: ZERO,
        averagePrice: ZERO,
      });
      expect(report.order.id).not.toBe('');
      expect(report.fills).toEqual([]);
      expect(report.allFills).toBe(true);
    });

    it('fills a MARKET order with fills that add up to it, at their average', async () => {
      const instrument = world.instruments.market;
      const report = await world.broker.placeOrder(request(instrument, { quantity: dec(3) }));
      expect(report.order.status).toBe('filled');
      expect(report.order.filledQuantity).toBe(dec(3));
      expect(report.allFills).toBe(true);
      expect(report.fills.length).toBeGreaterThan(0);
      expect(sumOf(report.fills.map((fill) => fill.quantity))).toBe(dec(3));
      expect(report.order.averagePrice).toBe(averageOf(report));
      for (const fill of report.fills) {
        expect(fill).toMatchObject({ orderId: report.order.id, accountId: world.accountId, symbol: instrument.symbol, side: 'BUY' });
      }
      expect(new Set(report.fills.map((fill) => fill.tradeId)).size).toBe(report.fills.length);
    });

    it("modifies a resting LIMIT's price and quantity", async () => {
      const placed = await restingLimit(dec(1));
      const lower = sub(placed.order.limitPrice ?? ZERO, mul(world.instruments.resting.tickSize, dec(4)));
      const report = await world.broker.modifyOrder(world.accountId, placed.order.id, { limitPrice: lower, quantity: dec(5) });
      expect(report.order).toMatchObject({ id: placed.order.id, status: 'open', type: 'LIMIT', limitPrice: lower, quantity: dec(5) });
      expect(report.fills).toEqual([]);
    });

    it('cancels a resting LIMIT, and a second cancel is OrderNotModifiable', async () => {
      const placed = await restingLimit(dec(1));
      const cancelled = await world.broker.cancelOrder(world.accountId, placed.order.id);
      expect(cancelled.order).toMatchObject({ id: placed.order.id, status: 'cancelled', filledQuantity: ZERO });
      const again = await rejectionOf(world.broker.cancelOrder(world.accountId, placed.order.id));
      expect(again).toBeInstanceOf(OrderNotModifiable);
      expect(again).toMatchObject({ action: 'cancel', status: 'cancelled' });
    });

    it('answers an unknown order id with OrderNotFound', async () => {
      expect(await rejectionOf(world.broker.cancelOrder(world.accountId, '99010100000000'))).toBeInstanceOf(OrderNotFound);
      expect(await rejectionOf(world.broker.modifyOrder(world.accountId, '99010100000000', { quantity: dec(2) }))).toBeInstanceOf(
        OrderNotFound,
      );
    });

    it('refuses a quantity off the lot and a price off the tick with InvalidOrder, where its server checks them', async (context) => {
      if (!world.checksInstrumentRules) return context.skip();
      const { lotted } = world;
      const { resting } = world.instruments;
      const offLot = await rejectionOf(world.broker.placeOrder(request(lotted, { quantity: add(lotted.lotSize, dec(1)) })));
      expect(offLot).toBeInstanceOf(InvalidOrder);
      const farPrice = await world.farBelow(resting);
      const offTick = add(farPrice, div(resting.tickSize, dec(5)));
      const offTickOrder = await rejectionOf(world.broker.placeOrder(request(resting, { type: 'LIMIT', limitPrice: offTick })));
      expect(offTickOrder).toBeInstanceOf(InvalidOrder);
    });

    it("lists the account's orders in its status reports, each with all its fills", async () => {
      const market = await world.broker.placeOrder(request(world.instruments.market, { quantity: dec(2) }));
      const resting = await restingLimit(dec(3));
      const reports = await world.broker.statusReports(world.accountId);
      const byId = new Map(reports.map((report) => [report.order.id, report]));
      const reportedMarket = byId.get(market.order.id);
      expect(reportedMarket?.order).toMatchObject({ status: 'filled', filledQuantity: dec(2), averagePrice: market.order.averagePrice });
      expect(reportedMarket?.fills).toEqual(market.fills);
      expect(reportedMarket?.allFills).toBe(true);
      expect(byId.get(resting.order.id)).toMatchObject({ order: { status: 'open', quantity: dec(3) }, fills: [], allFills: true });
      for (const report of reports) expect(report.order.accountId).toBe(world.accountId);
    });

    it('reports through onOrderUpdates a resting order that fills by itself', async () => {
      const updates: OrderReport[] = [];
      const stop = world.broker.onOrderUpdates((reports) => updates.push(...reports));
      try {
        const plan = await world.restingThenFilling();
        const placed = await world.broker.placeOrder(
          request(plan.instrument, { type: 'LIMIT', quantity: dec(1), limitPrice: plan.price }),
        );
        expect(placed.order.status).toBe('open');
        await plan.cross();
        const filled = await waitFor(
          () => updates.find((report) => report.order.id === placed.order.id && report.order.status === 'filled'),
          world.fillWithinMs,
        );
        expect(filled.order).toMatchObject({ filledQuantity: dec(1), averagePrice: plan.price, limitPrice: plan.price });
        expect(filled.fills.map((fill) => [fill.quantity, fill.price])).toEqual([[dec(1), plan.price]]);
      } finally {
        stop();
      }
    }, 60_000);

    it('shows a fill in the positions and the funds', async () => {
      const instrument = world.instruments.market;
      const before = rupees(await world.broker.getFunds(world.accountId));
      const held = positionOf(await world.broker.listPositions(world.accountId), instrument);
      const report = await world.broker.placeOrder(request(instrument, { quantity: dec(4) }));
      const after = rupees(await world.broker.getFunds(world.accountId));
      const position = positionOf(await world.broker.listPositions(world.accountId), instrument);
      expect(position?.quantity).toBe(add(held?.quantity ?? ZERO, dec(4)));
      const cost = add(mul(held?.quantity ?? ZERO, held?.averagePrice ?? ZERO), mul(dec(4), report.order.averagePrice));
      expect(position?.averagePrice).toBe(asReported(div(cost, position?.quantity ?? dec(1)), world));
      expect(cmp(after.usedMargin, before.usedMargin)).toBe(1);
      expect(cmp(after.availableCash, before.availableCash)).toBe(-1);
    });

    it('quotes the market', async () => {
      const quote = await world.broker.getQuote(world.instruments.resting.symbol, world.instruments.resting.exchange);
      expect(cmp(quote.lastPrice, ZERO)).toBe(1);
      expect(cmp(quote.bid, quote.ask)).toBe(-1);
    });

    it('answers the margin of a basket: a bought and a sold future offset each other', async () => {
      const future = world.lotted;
      const leg = { symbol: future.symbol, exchange: future.exchange, quantity: future.lotSize, product: 'NRML', type: 'MARKET' } as const;
      const one = await world.broker.basketMargin(world.accountId, [{ ...leg, side: 'BUY' }]);
      expect(one.currency).toBe('INR');
      expect(cmp(one.total, ZERO)).toBe(1);
      expect(one.benefit).toBe(ZERO);
      const pair = await world.broker.basketMargin(world.accountId, [
        { ...leg, side: 'BUY' },
        { ...leg, side: 'SELL' },
      ]);
      expect(cmp(pair.total, one.total)).toBe(-1);
      expect(cmp(pair.benefit ?? ZERO, one.total)).toBe(1);
      const unknown = await rejectionOf(world.broker.basketMargin(world.accountId, [{ ...leg, symbol: 'NOSUCH', exchange: 'NSE', side: 'BUY' }]));
      expect(unknown).toBeInstanceOf(InstrumentNotFound);
      const offLot = await rejectionOf(world.broker.basketMargin(world.accountId, [{ ...leg, quantity: add(future.lotSize, dec(1)), side: 'BUY' }]));
      expect(offLot).toEqual(new InvalidOrder(`Position 1: Quantity must be in multiples of lot size ${toFixed(future.lotSize, 0)}`));
    });

    describe('behind the resilience layer', () => {
      it('times a hung call out as BrokerUnavailable', async () => {
        const guard = guarded({ readTimeoutMs: 300, writeTimeoutMs: 300 });
        const error = await rejectionOf(world.faults.hanging(guard));
        expect(error).toBeInstanceOf(BrokerUnavailable);
        expect((error as Error).message).toMatch(/timed out after 300 ms/);
      });

      it('opens the circuit after repeated failures, and then fails calls fast without reaching the broker', async () => {
        const counted = new FaultInjectingBroker(world.broker);
        const guard = new ResilientBroker(counted, { ...RESILIENCE, breakerThreshold: 3 });
        guards.push(guard);
        for (let i = 0; i < 3; i++) expect(await rejectionOf(world.faults.failing(guard))).toBeInstanceOf(BrokerUnavailable);
        expect(guard.circuitState).toBe('open');
        const fast = await rejectionOf(guard.listPositions(world.accountId));
        expect(fast).toBeInstanceOf(BrokerUnavailable);
        expect((fast as Error).message).toMatch(/unavailable after repeated failures/);
        expect(counted.calls('listPositions')).toBe(0);
      });

      it('answers a dropped connection with BrokerUnavailable, and serves again once it is back', async () => {
        const guard = guarded({});
        await world.faults.cut();
        try {
          const error = await rejectionOf(guard.listPositions(world.accountId));
          expect(error).toBeInstanceOf(BrokerUnavailable);
          expect((error as Error).message).toMatch(/failed to answer/);
        } finally {
          await world.faults.restore();
        }
        expect(Array.isArray(await guard.listPositions(world.accountId))).toBe(true);
      });
    });
  });
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable('the call should have failed'),
    (error: unknown) => error,
  );
}

/** Polls `find` until it returns something, or fails after `withinMs`. */
export async function waitFor<T>(find: () => T | undefined, withinMs: number, pollMs = 20): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`nothing came within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

function sumOf(values: readonly Decimal[]): Decimal {
  return values.reduce((total, value) => add(total, value), ZERO);
}

function averageOf(report: OrderReport): Decimal {
  const value = sumOf(report.fills.map((fill) => mul(fill.quantity, fill.price)));
  return div(value, sumOf(report.fills.map((fill) => fill.quantity)));
}

function rupees<F extends { currency: string; availableCash: Decimal; usedMargin: Decimal }>(funds: readonly F[]): F {
  const inr = funds.find((each) => each.currency === 'INR');
  if (!inr) throw new Error('no rupee funds reported');
  return inr;
}

function positionOf<P extends { symbol: string; exchange: string; product: string }>(positions: readonly P[], instrument: TradedInstrument): P | undefined {
  return positions.find((each) => each.symbol === instrument.symbol && each.exchange === instrument.exchange && each.product === 'MIS');
}

/** A position's average as the world's server reports it (OpenAlgo's books round it to 2 decimals). */
function asReported(value: Decimal, world: BrokerWorld): Decimal {
  return world.positionAverageDigits === undefined ? value : dec(toFixed(value, world.positionAverageDigits));
}
