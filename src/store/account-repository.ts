// Accounts over SQLite: each belongs to one user and is served by one broker connection (`paper` by default). A name
// is unique among its user's accounts only: other users' names are theirs to choose and no business of anyone else.
import crypto from 'node:crypto';
import { systemClock, type Clock } from '../domain/clock.js';
import type { Database } from './database.js';
import type { Account, AccountRepository } from './store.js';

interface AccountRow {
  id: string;
  user_id: string;
  name: string;
  broker: string;
  created_at: number;
}

const COLUMNS = 'id, user_id, name, broker, created_at';
export const DEFAULT_BROKER = 'paper';

export class SqliteAccountRepository implements AccountRepository {
  private readonly insertAccount;
  private readonly selectById;
  private readonly selectByName;
  private readonly selectAllByName;
  private readonly selectAll;
  private readonly selectByUser;

  constructor(
    db: Database,
    private readonly clock: Clock = systemClock,
  ) {
    this.insertAccount = db.prepare<[AccountRow]>(
      `INSERT INTO accounts (id, user_id, name, broker, created_at)
       VALUES (@id, @user_id, @name, @broker, @created_at)`,
    );
    this.selectById = db.prepare<[string], AccountRow>(`SELECT ${COLUMNS} FROM accounts WHERE id = ?`);
    this.selectByName = db.prepare<[string, string], AccountRow>(`SELECT ${COLUMNS} FROM accounts WHERE user_id = ? AND name = ?`);
    this.selectAllByName = db.prepare<[string], AccountRow>(
      `SELECT ${COLUMNS} FROM accounts WHERE name = ? ORDER BY created_at, rowid`,
    );
    this.selectAll = db.prepare<[], AccountRow>(`SELECT ${COLUMNS} FROM accounts ORDER BY created_at, rowid`);
    this.selectByUser = db.prepare<[string], AccountRow>(
      `SELECT ${COLUMNS} FROM accounts WHERE user_id = ? ORDER BY created_at, rowid`,
    );
  }

  /** Throws when the user has an account of that name already or does not exist. */
  create(name: string, userId: string, broker: string = DEFAULT_BROKER): Account {
    const row: AccountRow = { id: crypto.randomUUID(), user_id: userId, name, broker, created_at: this.clock.now() };
    this.insertAccount.run(row);
    return toAccount(row);
  }

  findById(id: string): Account | undefined {
    const row = this.selectById.get(id);
    return row && toAccount(row);
  }

  findByName(userId: string, name: string): Account | undefined {
    const row = this.selectByName.get(userId, name);
    return row && toAccount(row);
  }

  listByName(name: string): Account[] {
    return this.selectAllByName.all(name).map(toAccount);
  }

  list(userId?: string): Account[] {
    const rows = userId === undefined ? this.selectAll.all() : this.selectByUser.all(userId);
    return rows.map(toAccount);
  }
}

function toAccount(row: AccountRow): Account {
  return { id: row.id, name: row.name, userId: row.user_id, broker: row.broker, createdAt: row.created_at };
}
