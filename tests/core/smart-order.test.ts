// Smart orders (OpenAlgo §5.1): the delta table, the keyed lock that serializes requests on one position, and
// simultaneous requests through the whole core (routing, order desk, a paper broker that answers asynchronously).
import { describe, expect, it } from 'vitest';
import { dec, toString } from '../../src/domain/decimal.js';
import type { Side } from '../../src/domain/order.js';
import { AccountRouting } from '../../src/core/account-routing.js';
import { KeyedLock } from '../../src/core/keyed-lock.js';
import { placeSmartOrder, smartOrderDelta } from '../../src/core/smart-order.js';
import { TradingService } from '../../src/core/trading.js';
import type { Broker } from '../../src/brokers/broker.js';
import { ManualClock } from '../../src/domain/clock.js';
import { BrokerUnavailable } from '../../src/domain/errors.js';
import { SqlAccountRepository } from '../../src/store/account-repository.js';
import { Changes } from '../../src/store/change-signal.js';
import { SqlUserRepository } from '../../src/store/user-repository.js';
import { MemoryJournal, PinnedMarket } from '../exchange/builders.js';
import { useEngines } from '../store/engines.js';
import { SBIN, T0, orderDesk, paperVenue } from './builders.js';

const [sqlite] = useEngines();

describe('smart order delta (OpenAlgo §5.1 table)', () => {
  it.each<[Side, number, number, number, string]>([
    ['BUY', 100, 0, 0, 'BUY 100'],
    ['BUY', 100, 100, -100, 'BUY 200'],
    ['BUY', 100, 100, 100, 'none'],
    ['BUY', 100, 200, 100, 'BUY 100'],
    ['SELL', 100, 0, 0, 'SELL 100'],
    ['SELL', 100, -100, 100, 'SELL 200'],
    ['SELL', 100, -100, -100, 'none'],
    ['SELL', 100, -200, -100, 'SELL 100'],
    ['BUY', 100, 0, 5, 'SELL 5'],
    ['SELL', 100, 0, -5, 'BUY 5'],
    ['BUY', 0, 0, 0, 'none'],
    ['SELL', 10, 50, 0, 'BUY 50'],
  ])('%s Q%d target %d current %d → %s', (side, quantity, target, current, expected) => {
    const delta = smartOrderDelta(side, dec(quantity), dec(target), dec(current));
    expect(delta ? `${delta.side} ${toString(delta.quantity)}` : 'none').toBe(expected);
  });
});

describe('keyed lock', () => {
  it('runs tasks of one key one after another, and of different keys side by side', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const task = (name: string, ticks: number) => async () => {
      log.push(`${name} start`);
      for (let i = 0; i < ticks; i++) await Promise.resolve();
      log.push(`${name} end`);
      return name;
    };
    const results = await Promise.all([lock.run('a', task('a1', 3)), lock.run('a', task('a2', 0)), lock.run('b', task('b1', 0))]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    expect(log.indexOf('a1 end')).toBeLessThan(log.indexOf('a2 start'));
    expect(log.indexOf('b1 end')).toBeLessThan(log.indexOf('a1 end'));
    await Promise.resolve();
    expect(lock.size).toBe(0);
  });

  it('a failing task does not block the next one on its key', async () => {
    const lock = new KeyedLock();
    await expect(lock.run('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lock.run('a', async () => 'next')).resolves.toBe('next');
  });
});

describe('smart orders under concurrency', () => {
  it('fifty simultaneous requests through a broker that answers asynchronously place exactly one order', async () => {
    const { trading, accountId, desk } = await routedTrading();
    const lock = new KeyedLock();
    const request = {
      order: { accountId, symbol: 'SBIN', exchange: 'NSE' as const, side: 'BUY' as const, quantity: dec(100), type: 'MARKET' as const, product: 'MIS' as const, timeInForce: 'DAY' as const },
      targetPosition: dec(100),
    };
    const outcomes = await Promise.all(Array.from({ length: 50 }, () => placeSmartOrder(trading, lock, request)));
    expect(outcomes.filter((o) => o.placed)).toHaveLength(1);
    expect(toString(await trading.netQuantity(accountId, 'SBIN', 'NSE', 'MIS'))).toBe('100');
    expect(desk.orders(accountId).map((o) => [o.id, o.status, toString(o.filledQuantity)])).toEqual([['26112400000001', 'filled', '100']]);
  });
});

/** A paper account in a real (in-memory SQLite) store, routed to a live desk over a paper broker with latency. */
async function routedTrading() {
  const db = await sqlite!.open();
  const clock = new ManualClock(T0);
  const changes = new Changes('sqlite');
  const user = await new SqlUserRepository(db, clock).create('alice');
  const accounts = new SqlAccountRepository(db, clock, changes);
  const account = await accounts.create('main', user.id);
  const market = new PinnedMarket();
  market.set(SBIN, '100', [['99.95', 10000]], [['100.05', 10000]]);
  const paper = withLatency(paperVenue(market, clock).broker);
  const desk = orderDesk(new MemoryJournal(), clock).desk;
  desk.follow('paper', paper);
  const routing = new AccountRouting({
    accounts,
    changes,
    live: desk,
    sandbox: orderDesk(new MemoryJournal(), clock, { idPrefix: 'SB-' }).desk,
    sandboxConnection: 'analyzer',
    analyzerOn: () => false,
    builtIn: new Map([
      ['paper', paper],
      ['analyzer', paperVenue(market, clock, 'SB-').broker],
    ]),
    open: (connection) => Promise.reject(new BrokerUnavailable(`Broker connection ${connection} is not available`)),
    onOpened: () => undefined,
  });
  return { trading: new TradingService(routing), accountId: account.id, desk };
}

// Every call answers on a later turn of the event loop, as a broker across a network does.
function withLatency(broker: Broker): Broker {
  return new Proxy(broker, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        return result instanceof Promise ? new Promise((resolve) => setImmediate(() => resolve(result))) : result;
      };
    },
  });
}
