// Accounts, on SQLite or PostgreSQL (Kysely): each belongs to one user and is served by one broker connection (`paper`
// by default). A name is unique among its user's accounts only: other users' names are theirs to choose and no
// business of anyone else.
import crypto from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { systemClock, type Clock } from '../domain/clock.js';
import type { AccountsTable, Schema } from './schema.js';
import type { Account, AccountRepository } from './store.js';

type AccountRow = Omit<Selectable<AccountsTable>, 'rowid'>;

const COLUMNS = ['id', 'user_id', 'name', 'broker', 'created_at'] as const;
export const DEFAULT_BROKER = 'paper';

export class SqlAccountRepository implements AccountRepository {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Rejects when the user has an account of that name already or does not exist. */
  async create(name: string, userId: string, broker: string = DEFAULT_BROKER): Promise<Account> {
    const row: AccountRow = { id: crypto.randomUUID(), user_id: userId, name, broker, created_at: this.clock.now() };
    await this.db.insertInto('accounts').values(row).execute();
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
}

function toAccount(row: AccountRow): Account {
  return { id: row.id, name: row.name, userId: row.user_id, broker: row.broker, createdAt: row.created_at };
}
