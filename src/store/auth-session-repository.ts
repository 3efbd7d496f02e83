// Login sessions, on SQLite or PostgreSQL (Kysely): each session is a family of rotating refresh tokens, stored as
// digests only.
import crypto from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { AuthSessionsTable, RefreshTokensTable, Schema } from './schema.js';
import type { AuthSession, AuthSessionRepository, StoredRefreshToken } from './store.js';

type SessionRow = Selectable<AuthSessionsTable>;

type TokenRow = Selectable<RefreshTokensTable>;

type NewToken = Omit<StoredRefreshToken, 'sessionId' | 'usedAt'>;

const SESSION_COLUMNS = ['id', 'user_id', 'created_at', 'revoked_at', 'revoked_reason'] as const;
const TOKEN_COLUMNS = ['digest', 'session_id', 'created_at', 'expires_at', 'used_at'] as const;

export class SqlAuthSessionRepository implements AuthSessionRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async open(session: { userId: string; createdAt: number }, firstToken: NewToken): Promise<AuthSession> {
    const row: SessionRow = {
      id: crypto.randomUUID(),
      user_id: session.userId,
      created_at: session.createdAt,
      revoked_at: null,
      revoked_reason: null,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('auth_sessions').values(row).execute();
      await trx.insertInto('refresh_tokens').values(tokenRow(firstToken, row.id)).execute();
    });
    return toSession(row);
  }

  async find(sessionId: string): Promise<AuthSession | undefined> {
    const row = await this.db
      .selectFrom('auth_sessions')
      .select(SESSION_COLUMNS)
      .where('id', '=', sessionId)
      .executeTakeFirst();
    return row && toSession(row);
  }

  async findToken(digest: string): Promise<StoredRefreshToken | undefined> {
    const row = await this.db
      .selectFrom('refresh_tokens')
      .select(TOKEN_COLUMNS)
      .where('digest', '=', digest)
      .executeTakeFirst();
    return (
      row && {
        digest: row.digest,
        sessionId: row.session_id,
        createdAt: row.created_at,
        expiresAt: row.expires_at,
        usedAt: row.used_at,
      }
    );
  }

  rotate(usedDigest: string, usedAt: number, next: NewToken): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      // Only an unused token of a live session can be used: the condition is the compare-and-set of a rotation. Of two
      // concurrent refreshes, PostgreSQL makes the second UPDATE wait for the first to commit and then re-check the
      // condition against the row as the first left it; SQLite runs them one after the other.
      const used = await trx
        .updateTable('refresh_tokens')
        .set({ used_at: usedAt })
        .where('digest', '=', usedDigest)
        .where('used_at', 'is', null)
        .where('session_id', 'in', (eb) =>
          eb.selectFrom('auth_sessions').select('id').where('revoked_at', 'is', null),
        )
        .returning('session_id')
        .executeTakeFirst();
      if (!used) return false;
      await trx.insertInto('refresh_tokens').values(tokenRow(next, used.session_id)).execute();
      return true;
    });
  }

  async revoke(sessionId: string, at: number, reason: string): Promise<void> {
    await this.db
      .updateTable('auth_sessions')
      .set({ revoked_at: at, revoked_reason: reason })
      .where('id', '=', sessionId)
      .where('revoked_at', 'is', null)
      .execute();
  }

  async revokeAllOfUser(userId: string, at: number, reason: string, keep = ''): Promise<number> {
    const result = await this.db
      .updateTable('auth_sessions')
      .set({ revoked_at: at, revoked_reason: reason })
      .where('user_id', '=', userId)
      .where('id', '<>', keep)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}

function tokenRow(token: NewToken, sessionId: string): TokenRow {
  return {
    digest: token.digest,
    session_id: sessionId,
    created_at: token.createdAt,
    expires_at: token.expiresAt,
    used_at: null,
  };
}

function toSession(row: SessionRow): AuthSession {
  return {
    id: row.id,
    userId: row.user_id,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    revokedReason: row.revoked_reason,
  };
}
