// Accounts, on SQLite or PostgreSQL (Kysely): each belongs to one user and is served by one broker: `paper` (the
// built-in exchange, the default) or a broker connection of that same user. A name is unique among its user's accounts
// only: other users' names are theirs to choose and no business of anyone else.
import crypto from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Clock } from '../domain/clock.js';
import type { Changes } from './change-signal.js';
import type { AccountsTable, Schema } from './schema.js';
import { type Account, type AccountRepository, NoSuchBrokerConnection, PAPER_BROKER } from './store.js';

type AccountRow = Omit<Selectable<AccountsTable>, 'rowid'>;

const COLUMNS = ['id', 'user_id', 'name', 'broker', 'created_at'] as const;

export class SqlAccountRepository implements AccountRepository {
  /** `changes` moves when an account's broker does: whoever caches which broker serves an account hears of it. */
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly clock: Clock,
    private readonly changes: Changes,
  ) {}

  async create(name: string, userId: string, broker: string = PAPER_BROKER): Promise<Account> {
    const row: AccountRow = { id: crypto.randomUUID(), user_id: userId, name, broker, created_at: this.clock.now() };
    if (broker === PAPER_BROKER) {
      await this.db.insertInto('accounts').values(row).execute();
    } else {
      // The connection is held first: it is the transaction's first statement, a write (see holdConnection).
      await this.db.transaction().execute(async (trx) => {
        if (!(await holdConnection(trx, broker, userId))) throw new NoSuchBrokerConnection(broker);
        await trx.insertInto('accounts').values(row).execute();
      });
    }
    return toAccount(row);
  }

  async findById(id: string): Promise<Account | undefined> {
    const row = await this.db.selectFrom('accounts').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    return row && toAccount(row);
  }

  async findByName(userId: string, name: string): Promise<Account | undefined> {
    const row = await this.db
      .selectFrom('accounts')
      .select(COLUMNS)
      .where('user_id', '=', userId)
      .where('name', '=', name)
      .executeTakeFirst();
    return row && toAccount(row);
  }

  async listByName(name: string): Promise<Account[]> {
    const rows = await this.db
      .selectFrom('accounts')
      .select(COLUMNS)
      .where('name', '=', name)
      .orderBy('created_at')
      .orderBy('rowid')
      .execute();
    return rows.map(toAccount);
  }

  async list(userId?: string): Promise<Account[]> {
    let query = this.db.selectFrom('accounts').select(COLUMNS);
    if (userId !== undefined) query = query.where('user_id', '=', userId);
    const rows = await query.orderBy('created_at').orderBy('rowid').execute();
    return rows.map(toAccount);
  }

  setBroker(accountId: string, broker: string): Promise<Account | undefined> {
    return this.changes.commit(this.db, async (trx) => {
      // A no-op write first: it takes SQLite's write lock at once, holds the account's row on PostgreSQL, and names
      // the user whose connection the account may be bound to.
      const owner = await trx
        .updateTable('accounts')
        .set((eb) => ({ broker: eb.ref('broker') }))
        .where('id', '=', accountId)
        .returning('user_id')
        .executeTakeFirst();
      if (!owner) return undefined;
      if (broker !== PAPER_BROKER && !(await holdConnection(trx, broker, owner.user_id))) {
        throw new NoSuchBrokerConnection(broker);
      }
      const row = await trx.updateTable('accounts').set({ broker }).where('id', '=', accountId).returning(COLUMNS).executeTakeFirstOrThrow();
      return toAccount(row);
    });
  }
}

/**
 * True when `connectionId` is a broker connection of `userId`, whose row it then holds until the transaction ends:
 * a no-op UPDATE, so that a concurrent remove of the connection (which holds the row the same way before it looks for
 * bound accounts) waits for this binding and then sees it; a remove that came first leaves nothing to hold. On SQLite
 * the transaction's write lock does the same.
 */
async function holdConnection(trx: Transaction<Schema>, connectionId: string, userId: string): Promise<boolean> {
  const held = await trx
    .updateTable('broker_connections')
    .set((eb) => ({ name: eb.ref('name') }))
    .where('id', '=', connectionId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return held.numUpdatedRows > 0n;
}

function toAccount(row: AccountRow): Account {
  return { id: row.id, name: row.name, userId: row.user_id, broker: row.broker, createdAt: row.created_at };
}
