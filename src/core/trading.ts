// Trading use cases: every order and account request of every dialect ends here, as neutral commands. Orders go
// through the order desk serving the account (which records them for every broker); positions, holdings, funds and
// market data come from the broker the account is bound to.
import type { BasketMargin, Broker, Funds, HoldingView, MarginLeg, PositionView } from '../brokers/broker.js';
import { type Decimal, ZERO } from '../domain/decimal.js';
import { OrderNotFound } from '../domain/errors.js';
import type { Exchange, Instrument } from '../domain/instrument.js';
import type { BarInterval, DepthView, HistorySeries, QuoteView } from '../domain/market.js';
import type { Fill, Order, OrderChanges, OrderRequest, Product } from '../domain/order.js';
import type { AccountRoute, AccountRouting } from './account-routing.js';

const unwrapped = (broker: Broker): Broker => broker;

export class TradingService {
  constructor(
    private readonly routing: Pick<AccountRouting, 'route' | 'broker'>,
    private readonly wrap: (broker: Broker) => Broker = unwrapped,
  ) {}

  /** The same service with every broker it calls passed through `wrap` (e.g. timed for one request). */
  through(wrap: (broker: Broker) => Broker): TradingService {
    return new TradingService(this.routing, (broker) => wrap(this.wrap(broker)));
  }

  async placeOrder(request: OrderRequest): Promise<Order> {
    const { desk, connection } = await this.routing.route(request.accountId);
    return desk.place(request, connection, await this.broker(connection));
  }

  // An order is changed on the connection it went to, even if the account has been bound to another since.
  async modifyOrder(accountId: string, orderId: string, changes: OrderChanges): Promise<Order> {
    const { desk } = await this.routing.route(accountId);
    return desk.modify(accountId, orderId, changes, await this.broker(this.connectionOf(desk, accountId, orderId)));
  }

  async cancelOrder(accountId: string, orderId: string): Promise<Order> {
    const { desk } = await this.routing.route(accountId);
    return desk.cancel(accountId, orderId, await this.broker(this.connectionOf(desk, accountId, orderId)));
  }

  async getOrder(accountId: string, orderId: string): Promise<Order> {
    return (await this.caughtUpDesk(accountId)).getOrder(accountId, orderId);
  }

  async listOrders(accountId: string): Promise<Order[]> {
    return (await this.caughtUpDesk(accountId)).orders(accountId);
  }

  async listTrades(accountId: string): Promise<Fill[]> {
    return (await this.caughtUpDesk(accountId)).trades(accountId);
  }

  async listPositions(accountId: string): Promise<PositionView[]> {
    return (await this.accountBroker(accountId)).listPositions(accountId);
  }

  async listHoldings(accountId: string): Promise<HoldingView[]> {
    return (await this.accountBroker(accountId)).listHoldings(accountId);
  }

  async getFunds(accountId: string): Promise<Funds[]> {
    return (await this.accountBroker(accountId)).getFunds(accountId);
  }

  /** What the legs would need together as new positions of the account: its broker's margin rules. */
  async basketMargin(accountId: string, legs: readonly MarginLeg[]): Promise<BasketMargin> {
    return (await this.accountBroker(accountId)).basketMargin(accountId, legs);
  }

  /** Signed net quantity of one position; zero when there is none. */
  async netQuantity(accountId: string, symbol: string, exchange: Exchange, product: Product): Promise<Decimal> {
    const positions = await this.listPositions(accountId);
    const position = positions.find((p) => p.symbol === symbol && p.exchange === exchange && p.product === product);
    return position?.quantity ?? ZERO;
  }

  async getQuote(accountId: string, symbol: string, exchange: Exchange): Promise<QuoteView> {
    return (await this.accountBroker(accountId)).getQuote(symbol, exchange);
  }

  /** The instrument as the account's broker lists it; InstrumentNotFound when it lists none such. */
  async instrument(accountId: string, symbol: string, exchange: Exchange): Promise<Instrument> {
    return (await this.accountBroker(accountId)).instruments.require(symbol, exchange);
  }

  async getDepth(accountId: string, symbol: string, exchange: Exchange): Promise<DepthView> {
    return (await this.accountBroker(accountId)).getDepth(symbol, exchange);
  }

  async historyIntervals(accountId: string): Promise<readonly BarInterval[]> {
    return (await this.accountBroker(accountId)).historyIntervals();
  }

  async getHistory(accountId: string, symbol: string, exchange: Exchange): Promise<HistorySeries> {
    return (await this.accountBroker(accountId)).getHistory(symbol, exchange);
  }

  async brokerName(accountId: string): Promise<string> {
    return (await this.accountBroker(accountId)).name;
  }

  /**
   * The account's desk, once what its broker did so far is recorded and durable. A broker that cannot be opened (an
   * upstream down since the start) has reported nothing to wait for: the record answers all the same.
   */
  private async caughtUpDesk(accountId: string): Promise<AccountRoute['desk']> {
    const { desk, connection } = await this.routing.route(accountId);
    let broker: Broker;
    try {
      broker = await this.routing.broker(connection);
    } catch {
      await desk.caughtUp();
      return desk;
    }
    await desk.caughtUp(broker);
    return desk;
  }

  private async accountBroker(accountId: string): Promise<Broker> {
    const route: AccountRoute = await this.routing.route(accountId);
    return this.broker(route.connection);
  }

  private async broker(connection: string): Promise<Broker> {
    return this.wrap(await this.routing.broker(connection));
  }

  private connectionOf(desk: AccountRoute['desk'], accountId: string, orderId: string): string {
    const connection = desk.connectionOf(accountId, orderId);
    if (connection === undefined) throw new OrderNotFound(orderId);
    return connection;
  }
}
