// Broker connections, on SQLite or PostgreSQL (Kysely): the OpenAlgo-compatible servers a user's accounts may trade
// through, each with its credential sealed by the gateway (this repository never sees the plaintext). Names are
// unique per user; a connection still bound to an account cannot be removed.
import type { Kysely, Selectable } from 'kysely';
import type { Clock } from '../domain/clock.js';
import { brokerBaseUrlOf, brokerConnectionNameProblem } from './broker-connection-fields.js';
import type { Changes } from './change-signal.js';
import type { BrokerConnectionsTable, Schema } from './schema.js';
import {
  BROKER_KINDS,
  type BrokerConnection,
  BrokerConnectionInUse,
  type BrokerConnectionRepository,
  type BrokerKind,
  InvalidBrokerConnection,
  type NewBrokerConnection,
} from './store.js';

type BrokerConnectionRow = Omit<Selectable<BrokerConnectionsTable>, 'rowid'>;

const COLUMNS = ['id', 'user_id', 'name', 'kind', 'base_url', 'credentials', 'credentials_hint', 'created_at'] as const;

export class SqlBrokerConnectionRepository implements BrokerConnectionRepository {
  /** `changes` moves when a connection is removed: whoever caches connections hears of it. */
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly clock: Clock,
    private readonly changes: Changes,
  ) {}

  async create(connection: NewBrokerConnection): Promise<BrokerConnection> {
    const nameProblem = brokerConnectionNameProblem(connection.name);
    if (nameProblem !== undefined) throw new InvalidBrokerConnection('name', nameProblem);
    if (!isBrokerKind(connection.kind)) throw new InvalidBrokerConnection('kind', `one of ${BROKER_KINDS.join(', ')}`);
    const baseUrl = brokerBaseUrlOf(connection.baseUrl);
    if ('problem' in baseUrl) throw new InvalidBrokerConnection('baseUrl', baseUrl.problem);
    const row: BrokerConnectionRow = {
      id: connection.id,
      user_id: connection.userId,
      name: connection.name,
      kind: connection.kind,
      base_url: baseUrl.url,
      credentials: connection.sealedCredentials,
      credentials_hint: connection.credentialsHint,
      created_at: this.clock.now(),
    };
    await this.db.insertInto('broker_connections').values(row).execute();
    return toConnection(row);
  }

  async get(id: string): Promise<BrokerConnection | undefined> {
    const row = await this.db.selectFrom('broker_connections').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    return row && toConnection(row);
  }

  async findByName(userId: string, name: string): Promise<BrokerConnection | undefined> {
    const row = await this.db
      .selectFrom('broker_connections')
      .select(COLUMNS)
      .where('user_id', '=', userId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row && toConnection(row);
  }

  async listForUser(userId: string): Promise<BrokerConnection[]> {
    return this.listWhere(userId);
  }

  async list(): Promise<BrokerConnection[]> {
    return this.listWhere(undefined);
  }

  remove(id: string): Promise<boolean> {
    return this.changes.commit(this.db, async (trx) => {
      // The row is held first (a no-op write), as a binding holds it (account-repository.ts, holdConnection): a binding
      // in flight finishes first and is seen below, one that comes later finds no connection.
      const held = await trx
        .updateTable('broker_connections')
        .set((eb) => ({ name: eb.ref('name') }))
        .where('id', '=', id)
        .returning('name')
        .executeTakeFirst();
      if (!held) return false;
      const bound = await trx
        .selectFrom('accounts')
        .select('name')
        .where('broker', '=', id)
        .orderBy('created_at')
        .orderBy('rowid')
        .execute();
      if (bound.length > 0) throw new BrokerConnectionInUse(held.name, bound.map((account) => account.name));
      await trx.deleteFrom('broker_connections').where('id', '=', id).execute();
      return true;
    });
  }

  private async listWhere(userId: string | undefined): Promise<BrokerConnection[]> {
    let query = this.db.selectFrom('broker_connections').select(COLUMNS);
    if (userId !== undefined) query = query.where('user_id', '=', userId);
    const rows = await query.orderBy('created_at').orderBy('rowid').execute();
    return rows.map(toConnection);
  }
}

function isBrokerKind(kind: string): kind is BrokerKind {
  return (BROKER_KINDS as readonly string[]).includes(kind);
}

function toConnection(row: BrokerConnectionRow): BrokerConnection {
  // A kind this version does not know was written by a newer Ordergate: refusing it beats serving it wrongly.
  if (!isBrokerKind(row.kind)) throw new Error(`broker connection ${row.id} is of kind "${row.kind}", unknown to this Ordergate; upgrade Ordergate`);
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    kind: row.kind,
    baseUrl: row.base_url,
    sealedCredentials: row.credentials,
    credentialsHint: row.credentials_hint,
    createdAt: row.created_at,
  };
}
