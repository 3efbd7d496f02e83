// Which broker serves an account (DESIGN §5 Identity: each account is bound to one broker connection) and which desk
// records its orders: the live desk and the account's connection, or, while its analyzer mode is on, the sandbox desk
// and the sandbox paper broker. Bindings are read from the store and kept in memory until the store says something
// changed; brokers are opened on first use and kept.
import type { Broker } from '../brokers/broker.js';
import type { AccountRepository, ChangeSignal } from '../store/store.js';
import type { OrderDesk } from './order-desk.js';

/** Where an account's calls go now. */
export interface AccountRoute {
  desk: OrderDesk;
  connection: string;
}

/** Opens the broker of a connection (an adapter wrapped in its resilience); rejects for an unknown connection. */
export type BrokerOpener = (connection: string) => Promise<Broker>;

export interface AccountRoutingOptions {
  accounts: Pick<AccountRepository, 'findById'>;
  changes: ChangeSignal;
  live: OrderDesk;
  sandbox: OrderDesk;
  /** The sandbox's connection: the analyzer's paper exchange. */
  sandboxConnection: string;
  /** Whether the account's analyzer mode is on (synchronous: the switches are kept in memory). */
  analyzerOn: (accountId: string) => boolean;
  /** Connections whose broker is there from the start (paper, the sandbox). */
  builtIn: ReadonlyMap<string, Broker>;
  open: BrokerOpener;
  /** Told of each broker opened after start, so its updates are followed and its accounts reconciled. */
  onOpened: (connection: string, broker: Broker) => void;
}

export class AccountRouting {
  private readonly bindings = new Map<string, string>();
  private readonly brokers = new Map<string, Broker>();
  private readonly opening = new Map<string, Promise<Broker>>();
  private version: number;

  constructor(private readonly options: AccountRoutingOptions) {
    this.version = options.changes.version();
    for (const [connection, broker] of options.builtIn) this.brokers.set(connection, broker);
  }

  /** The desk and connection serving the account now; synchronous while its binding is in memory. */
  route(accountId: string): AccountRoute | Promise<AccountRoute> {
    if (this.options.analyzerOn(accountId)) return this.sandboxRoute();
    return this.liveRoute(accountId);
  }

  /**
   * The sandbox desk and the analyzer's paper exchange, whatever the account's switch says: for what the account set
   * up in analyzer mode and the gateway carries out later (a sandbox GTT firing), which must not land live.
   */
  sandboxRoute(): AccountRoute {
    return { desk: this.options.sandbox, connection: this.options.sandboxConnection };
  }

  /**
   * The live desk and the account's own connection, whatever its analyzer switch says: for what the account set up
   * live and the gateway carries out later (a GTT firing), which must not land in the sandbox.
   */
  liveRoute(accountId: string): AccountRoute | Promise<AccountRoute> {
    const connection = this.connectionOf(accountId);
    if (typeof connection === 'string') return { desk: this.options.live, connection };
    return connection.then((bound) => ({ desk: this.options.live, connection: bound }));
  }

  /** The broker of a connection; synchronous once it is open. */
  broker(connection: string): Broker | Promise<Broker> {
    const open = this.brokers.get(connection);
    if (open) return open;
    let opening = this.opening.get(connection);
    if (!opening) {
      opening = this.options.open(connection).then(
        (broker) => {
          this.brokers.set(connection, broker);
          this.opening.delete(connection);
          this.options.onOpened(connection, broker);
          return broker;
        },
        (error: unknown) => {
          this.opening.delete(connection);
          throw error;
        },
      );
      this.opening.set(connection, opening);
    }
    return opening;
  }

  /** The name of a connection's broker (`paper`, `openalgo`) once it is open; `paper` before (the built-in default). */
  brokerName(connection: string | undefined): string {
    return (connection === undefined ? undefined : this.brokers.get(connection)?.name) ?? 'paper';
  }

  private connectionOf(accountId: string): string | Promise<string> {
    const version = this.options.changes.version();
    if (version !== this.version) {
      this.version = version;
      this.bindings.clear();
    }
    const bound = this.bindings.get(accountId);
    if (bound !== undefined) return bound;
    return this.options.accounts.findById(accountId).then((account) => {
      // An account that is gone (its key outlived it for a moment) is served by paper, as accounts were before binding.
      const connection = account?.broker ?? 'paper';
      this.bindings.set(accountId, connection);
      return connection;
    });
  }
}
