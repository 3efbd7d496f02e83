// Users, on SQLite or PostgreSQL (Kysely): the people who log in to the dashboard and own accounts.
import crypto from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { systemClock, type Clock } from '../domain/clock.js';
import type { UsersTable, Schema } from './schema.js';
import type { User, UserRepository } from './store.js';

type UserRow = Omit<Selectable<UsersTable>, 'rowid'>;

const COLUMNS = ['id', 'username', 'password_hash', 'created_at'] as const;

export class SqlUserRepository implements UserRepository {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Rejects when the username is taken. */
  async create(username: string, passwordHash: string | null = null): Promise<User> {
    const row: UserRow = {
      id: crypto.randomUUID(),
      username,
      password_hash: passwordHash,
      created_at: this.clock.now(),
    };
    await this.db.insertInto('users').values(row).execute();
    return toUser(row);
  }

  async findById(id: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    return row && toUser(row);
  }

  async findByUsername(username: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').select(COLUMNS).where('username', '=', username).executeTakeFirst();
    return row && toUser(row);
  }

  async first(): Promise<User | undefined> {
    const row = await this.db
      .selectFrom('users')
      .select(COLUMNS)
      .orderBy('created_at')
      .orderBy('rowid')
      .limit(1)
      .executeTakeFirst();
    return row && toUser(row);
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return row.count;
  }

  async list(): Promise<User[]> {
    const rows = await this.db.selectFrom('users').select(COLUMNS).orderBy('created_at').orderBy('rowid').execute();
    return rows.map(toUser);
  }

  async setPasswordHash(userId: string, passwordHash: string | null): Promise<void> {
    await this.db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
  }
}

function toUser(row: UserRow): User {
  return { id: row.id, username: row.username, passwordHash: row.password_hash, createdAt: row.created_at };
}
