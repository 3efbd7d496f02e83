// AccountRouting over the real account and broker-connection repositories: which desk and connection serve an
// account (the analyzer switch sends it to the sandbox), bindings kept until the store's change signal moves, and
// brokers opened once on first use.
import { describe, expect, it } from 'vitest';
import type { Broker } from '../../src/brokers/broker.js';
import { type AccountRoute, AccountRouting, type AccountRoutingOptions } from '../../src/core/account-routing.js';
import { TradingService } from '../../src/core/trading.js';
import { ManualClock } from '../../src/domain/clock.js';
import { dec } from '../../src/domain/decimal.js';
import { BrokerUnavailable } from '../../src/domain/errors.js';
import { SqlAccountRepository } from '../../src/store/account-repository.js';
import { SqlBrokerConnectionRepository } from '../../src/store/broker-connection-repository.js';
import { Changes } from '../../src/store/change-signal.js';
import { SqlUserRepository } from '../../src/store/user-repository.js';
import { MemoryJournal, PinnedMarket } from '../exchange/builders.js';
import { useEngines } from '../store/engines.js';
import { SBIN, T0, orderDesk, paperVenue, request } from './builders.js';

const engines = useEngines();

describe.each(engines)('AccountRouting on $name', (engine) => {
  /** One user with an account on paper and a connection named `upstream`; the live and sandbox desks and brokers. */
  async function world(overrides: Partial<AccountRoutingOptions> = {}) {
    const db = await engine.open();
    const clock = new ManualClock(T0);
    const changes = new Changes(engine.name);
    const users = new SqlUserRepository(db, clock);
    const accounts = new SqlAccountRepository(db, clock, changes);
    const connections = new SqlBrokerConnectionRepository(db, clock, changes);
    const user = await users.create('alice');
    const account = await accounts.create('main', user.id);
    const upstream = await connections.create({
      id: '5b0c6d0e-8f7a-4c1e-9d2b-3a4f5e6d7c8b',
      userId: user.id,
      name: 'upstream',
      kind: 'openalgo',
      baseUrl: 'http://127.0.0.1:5000',
      sealedCredentials: 'v1.sealed',
      credentialsHint: '••••3f9a',
    });

    const market = new PinnedMarket();
    market.set(SBIN, '100', [['99.95', 500]], [['100.05', 500]]);
    const live = paperVenue(market, clock);
    const sandbox = paperVenue(market, clock, 'SB-');
    const liveDesk = orderDesk(new MemoryJournal(), clock).desk;
    const sandboxDesk = orderDesk(new MemoryJournal(), clock, { idPrefix: 'SB-' }).desk;

    const reads: string[] = [];
    const analyzerOn = new Set<string>();
    const opened: Array<[string, Broker]> = [];
    const routing = new AccountRouting({
      accounts: {
        findById: (id) => {
          reads.push(id);
          return accounts.findById(id);
        },
      },
      changes,
      live: liveDesk,
      sandbox: sandboxDesk,
      sandboxConnection: 'analyzer',
      analyzerOn: (accountId) => analyzerOn.has(accountId),
      builtIn: new Map<string, Broker>([
        ['paper', live.broker],
        ['analyzer', sandbox.broker],
      ]),
      open: () => Promise.reject(new BrokerUnavailable('no such connection')),
      onOpened: (connection, broker) => opened.push([connection, broker]),
      ...overrides,
    });
    /** Which desk (by name) and connection a route names; `at hand` when it came without a promise. */
    const named = (route: AccountRoute): [string, string] => [route.desk === liveDesk ? 'live' : route.desk === sandboxDesk ? 'sandbox' : 'another', route.connection];
    const where = async (accountId: string) => named(await routing.route(accountId));
    const whereAtHand = (accountId: string) => {
      const route = routing.route(accountId);
      if (route instanceof Promise) return expect.unreachable('the route should be at hand, not a promise');
      return named(route);
    };
    return { routing, accounts, account, upstream, liveDesk, sandboxDesk, live, sandbox, reads, analyzerOn, opened, where, whereAtHand };
  }

  it('routes an account to the live desk on its connection, and to the sandbox desk while its analyzer mode is on', async () => {
    const { account, analyzerOn, where, whereAtHand } = await world();
    expect(await where(account.id)).toEqual(['live', 'paper']);
    analyzerOn.add(account.id);
    // The switch is in memory: the answer is at hand.
    expect(whereAtHand(account.id)).toEqual(['sandbox', 'analyzer']);
    analyzerOn.delete(account.id);
    expect(whereAtHand(account.id)).toEqual(['live', 'paper']);
  });

  it("sends an account's orders in analyzer mode to the sandbox exchange, under the sandbox's ids", async () => {
    const { routing, account, liveDesk, sandboxDesk, live, sandbox, analyzerOn } = await world();
    const trading = new TradingService(routing);
    analyzerOn.add(account.id);
    const placed = await trading.placeOrder(request({ accountId: account.id, side: 'BUY', quantity: dec(5) }));
    expect(placed).toMatchObject({ id: 'SB-26112400000001', broker: 'analyzer', brokerOrderId: 'SB-26112400000001', status: 'filled' });
    expect(sandboxDesk.orders(account.id).map((o) => o.id)).toEqual(['SB-26112400000001']);
    expect(sandbox.exchange.orders(account.id)).toHaveLength(1);
    expect(liveDesk.orders(account.id)).toEqual([]);
    expect(live.exchange.orders(account.id)).toEqual([]);

    analyzerOn.delete(account.id);
    const livePlaced = await trading.placeOrder(request({ accountId: account.id, side: 'BUY', quantity: dec(5) }));
    expect([livePlaced.id, livePlaced.broker]).toEqual(['26112400000001', 'paper']);
    expect((await trading.listOrders(account.id)).map((o) => o.id)).toEqual(['26112400000001']);
  });

  it("reads an account's binding once and keeps it until the store's change signal moves", async () => {
    const { accounts, account, upstream, reads, where, whereAtHand } = await world();
    expect(await where(account.id)).toEqual(['live', 'paper']);
    // Kept: the second answer is at hand, with no read.
    expect(whereAtHand(account.id)).toEqual(['live', 'paper']);
    expect(reads).toEqual([account.id]);

    await accounts.setBroker(account.id, upstream.id);
    expect(await where(account.id)).toEqual(['live', upstream.id]);
    expect(whereAtHand(account.id)).toEqual(['live', upstream.id]);
    expect(reads).toEqual([account.id, account.id]);
  });

  it('serves an account that is gone from paper', async () => {
    const { where } = await world();
    expect(await where('no-such-account')).toEqual(['live', 'paper']);
  });

  it('opens a broker once, however many first calls arrive together, tells onOpened, and keeps it', async () => {
    const market = new PinnedMarket();
    const remote = paperVenue(market, new ManualClock(T0)).broker;
    const opening: string[] = [];
    const { routing, upstream, live, opened } = await world({
      open: (connection) => {
        opening.push(connection);
        return new Promise((resolve) => setImmediate(() => resolve(remote)));
      },
    });
    expect(routing.broker('paper')).toBe(live.broker);

    const first = routing.broker(upstream.id);
    const second = routing.broker(upstream.id);
    expect(first).toBeInstanceOf(Promise);
    expect(await Promise.all([first, second])).toEqual([remote, remote]);
    expect(opening).toEqual([upstream.id]);
    expect(opened).toEqual([[upstream.id, remote]]);
    // Open now: at hand, no promise.
    expect(routing.broker(upstream.id)).toBe(remote);
    expect(opening).toEqual([upstream.id]);
  });

  it('keeps no failed opening: the next call tries again', async () => {
    let attempts = 0;
    const remote = paperVenue(new PinnedMarket(), new ManualClock(T0)).broker;
    const { routing, upstream, opened } = await world({
      open: () => (++attempts === 1 ? Promise.reject(new BrokerUnavailable('Broker upstream failed to answer')) : Promise.resolve(remote)),
    });
    await expect(routing.broker(upstream.id)).rejects.toThrow(new BrokerUnavailable('Broker upstream failed to answer'));
    expect(opened).toEqual([]);
    expect(await routing.broker(upstream.id)).toBe(remote);
    expect(attempts).toBe(2);
  });
});
