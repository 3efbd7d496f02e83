// Wiring of the broker connections a user added (`ordergate brokers add`, `POST /api/admin/brokers`): each is opened on
// first use, or at start when accounts are bound to it, as an OpenAlgo-upstream adapter behind its own timeouts,
// retries and circuit, with its credentials unsealed only here. Part of the entry points' wiring (app.ts).
import type { Broker } from './brokers/broker.js';
import { OpenAlgoBroker } from './brokers/openalgo/openalgo-broker.js';
import { QuoteCachingBroker } from './brokers/quote-cache.js';
import { ResilientBroker, type ResilienceOptions } from './brokers/resilient-broker.js';
import type { Clock } from './domain/clock.js';
import { BrokerUnavailable } from './domain/errors.js';
import type { InstrumentLookup } from './domain/instrument.js';
import type { CredentialBox } from './gateway/credential-box.js';
import type { Store } from './store/store.js';

export interface UpstreamLog {
  warn(object: object, message: string): void;
}

/** An opened connection: the broker the core calls, and what the gateway closes and watches. */
export interface OpenedUpstream {
  broker: Broker;
  resilient: ResilientBroker;
  adapter: OpenAlgoBroker;
}

export interface UpstreamBrokerOptions {
  store: Pick<Store, 'brokerConnections' | 'accounts'>;
  credentials: CredentialBox;
  instruments: InstrumentLookup;
  clock: Clock;
  resilience: Omit<ResilienceOptions, 'connection'>;
  quoteCacheMs: number;
  log: () => UpstreamLog;
}

/**
 * Opens connection `id`: unseals its API key, connects the adapter (it reads the upstream's intervals and opens its
 * order feed), and wraps it. Rejects with BrokerUnavailable when the connection is gone, its credentials cannot be
 * unsealed (another data folder's pepper, or a wrong ORDERGATE_CREDENTIALS_KEY), or the upstream does not answer.
 */
export async function openUpstream(id: string, options: UpstreamBrokerOptions): Promise<OpenedUpstream> {
  const connection = await options.store.brokerConnections.get(id);
  if (!connection) throw new BrokerUnavailable(`Broker connection ${id} no longer exists; bind the account to another`);
  let apiKey: string;
  try {
    apiKey = options.credentials.open(connection.sealedCredentials, connection.id);
  } catch {
    throw new BrokerUnavailable(
      `The API key of broker connection ${connection.name} cannot be unsealed here: this data folder's pepper or ` +
        'ORDERGATE_CREDENTIALS_KEY is not the one it was sealed with; add the connection again',
    );
  }
  // Reports of orders placed at the upstream directly go to the oldest account bound to the connection.
  const bound = (await options.store.accounts.list()).filter((account) => account.broker === connection.id);
  const adapter = new OpenAlgoBroker({
    baseUrl: connection.baseUrl,
    apiKey,
    accountId: bound[0]?.id ?? '',
    instruments: options.instruments,
    clock: options.clock,
    onError: (error) => options.log().warn({ err: error, connection: connection.name }, 'upstream broker background call failed'),
  });
  try {
    await adapter.start();
  } catch (error) {
    throw new BrokerUnavailable(`Broker ${connection.name} (${connection.baseUrl}) does not answer: ${describe(error)}`, 1);
  }
  const resilient = new ResilientBroker(adapter, { connection: connection.name, ...options.resilience });
  const broker = options.quoteCacheMs > 0 ? new QuoteCachingBroker(resilient, options.quoteCacheMs, options.clock) : resilient;
  return { broker, resilient, adapter };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
