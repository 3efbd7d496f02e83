// Login sessions over SQLite: each session is a family of rotating refresh tokens, stored as digests only.
import crypto from 'node:crypto';
import type { Database } from './database.js';
import type { AuthSession, AuthSessionRepository, StoredRefreshToken } from './store.js';

interface SessionRow {
  id: string;
  user_id: string;
  created_at: number;
  revoked_at: number | null;
  revoked_reason: string | null;
}

interface TokenRow {
  digest: string;
  session_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

type NewToken = Omit<StoredRefreshToken, 'sessionId' | 'usedAt'>;

export class SqliteAuthSessionRepository implements AuthSessionRepository {
  private readonly insertSession;
  private readonly insertToken;
  private readonly selectSession;
  private readonly selectToken;
  private readonly markUsed;
  private readonly revokeSession;
  private readonly revokeUserSessions;
  private readonly openTransaction;
  private readonly rotateTransaction;

  constructor(db: Database) {
    this.insertSession = db.prepare<[SessionRow]>(
      'INSERT INTO auth_sessions (id, user_id, created_at, revoked_at, revoked_reason) ' +
        'VALUES (@id, @user_id, @created_at, @revoked_at, @revoked_reason)',
    );
    this.insertToken = db.prepare<[TokenRow]>(
      'INSERT INTO refresh_tokens (digest, session_id, created_at, expires_at, used_at) ' +
        'VALUES (@digest, @session_id, @created_at, @expires_at, @used_at)',
    );
    this.selectSession = db.prepare<[string], SessionRow>(
      'SELECT id, user_id, created_at, revoked_at, revoked_reason FROM auth_sessions WHERE id = ?',
    );
    this.selectToken = db.prepare<[string], TokenRow>(
      'SELECT digest, session_id, created_at, expires_at, used_at FROM refresh_tokens WHERE digest = ?',
    );
    // Only an unused token of a live session can be used: the condition is the compare-and-set of a rotation.
    this.markUsed = db.prepare<[number, string]>(
      `UPDATE refresh_tokens SET used_at = ? WHERE digest = ? AND used_at IS NULL
         AND session_id IN (SELECT id FROM auth_sessions WHERE revoked_at IS NULL)`,
    );
    this.revokeSession = db.prepare<[number, string, string]>(
      'UPDATE auth_sessions SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL',
    );
    this.revokeUserSessions = db.prepare<[number, string, string, string]>(
      'UPDATE auth_sessions SET revoked_at = ?, revoked_reason = ? WHERE user_id = ? AND id <> ? AND revoked_at IS NULL',
    );
    this.openTransaction = db.transaction((session: SessionRow, token: TokenRow) => {
      this.insertSession.run(session);
      this.insertToken.run(token);
    });
    this.rotateTransaction = db.transaction((usedDigest: string, usedAt: number, next: NewToken): boolean => {
      const used = this.selectToken.get(usedDigest);
      if (!used || this.markUsed.run(usedAt, usedDigest).changes === 0) return false;
      this.insertToken.run(tokenRow(next, used.session_id));
      return true;
    });
  }

  open(session: { userId: string; createdAt: number }, firstToken: NewToken): AuthSession {
    const row: SessionRow = {
      id: crypto.randomUUID(),
      user_id: session.userId,
      created_at: session.createdAt,
      revoked_at: null,
      revoked_reason: null,
    };
    this.openTransaction.immediate(row, tokenRow(firstToken, row.id));
    return toSession(row);
  }

  find(sessionId: string): AuthSession | undefined {
    const row = this.selectSession.get(sessionId);
    return row && toSession(row);
  }

  findToken(digest: string): StoredRefreshToken | undefined {
    const row = this.selectToken.get(digest);
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

  rotate(usedDigest: string, usedAt: number, next: NewToken): boolean {
    return this.rotateTransaction.immediate(usedDigest, usedAt, next);
  }

  revoke(sessionId: string, at: number, reason: string): void {
    this.revokeSession.run(at, reason, sessionId);
  }

  revokeAllOfUser(userId: string, at: number, reason: string, keep = ''): number {
    return this.revokeUserSessions.run(at, reason, userId, keep).changes;
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
