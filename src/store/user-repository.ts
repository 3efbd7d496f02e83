// Users over SQLite: the people who log in to the dashboard and own accounts.
import crypto from 'node:crypto';
import { systemClock, type Clock } from '../domain/clock.js';
import type { Database } from './database.js';
import type { User, UserRepository } from './store.js';

interface UserRow {
  id: string;
  username: string;
  password_hash: string | null;
  created_at: number;
}

const COLUMNS = 'id, username, password_hash, created_at';

export class SqliteUserRepository implements UserRepository {
  private readonly insertUser;
  private readonly selectById;
  private readonly selectByUsername;
  private readonly selectFirst;
  private readonly countAll;
  private readonly updatePassword;
  private readonly selectAll;

  constructor(
    db: Database,
    private readonly clock: Clock = systemClock,
  ) {
    this.insertUser = db.prepare<[UserRow]>(
      `INSERT INTO users (id, username, password_hash, created_at)
       VALUES (@id, @username, @password_hash, @created_at)`,
    );
    this.selectById = db.prepare<[string], UserRow>(`SELECT ${COLUMNS} FROM users WHERE id = ?`);
    this.selectByUsername = db.prepare<[string], UserRow>(`SELECT ${COLUMNS} FROM users WHERE username = ?`);
    this.selectFirst = db.prepare<[], UserRow>(`SELECT ${COLUMNS} FROM users ORDER BY created_at, rowid LIMIT 1`);
    this.countAll = db.prepare<[], number>('SELECT COUNT(*) FROM users').pluck();
    this.selectAll = db.prepare<[], UserRow>(`SELECT ${COLUMNS} FROM users ORDER BY created_at, rowid`);
    this.updatePassword = db.prepare<[string | null, string]>('UPDATE users SET password_hash = ? WHERE id = ?');
  }

  /** Throws when the username is taken. */
  create(username: string, passwordHash: string | null = null): User {
    const row: UserRow = {
      id: crypto.randomUUID(),
      username,
      password_hash: passwordHash,
      created_at: this.clock.now(),
    };
    this.insertUser.run(row);
    return toUser(row);
  }

  findById(id: string): User | undefined {
    const row = this.selectById.get(id);
    return row && toUser(row);
  }

  findByUsername(username: string): User | undefined {
    const row = this.selectByUsername.get(username);
    return row && toUser(row);
  }

  first(): User | undefined {
    const row = this.selectFirst.get();
    return row && toUser(row);
  }

  count(): number {
    return this.countAll.get() ?? 0;
  }

  list(): User[] {
    return this.selectAll.all().map(toUser);
  }

  setPasswordHash(userId: string, passwordHash: string | null): void {
    this.updatePassword.run(passwordHash, userId);
  }
}

function toUser(row: UserRow): User {
  return { id: row.id, username: row.username, passwordHash: row.password_hash, createdAt: row.created_at };
}
