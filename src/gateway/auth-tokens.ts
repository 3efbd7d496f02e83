// Logins for the native admin API: a password login opens a session and hands out a short-lived JWT access token
// plus an opaque refresh token. Each refresh consumes its token and issues a new pair in the same session; presenting
// a consumed token again means it was copied, so the whole session (every token descended from that login) is revoked.
// Each successful login's address is kept (as long as a refresh token lives) for the login limit's exemption.
import crypto from 'node:crypto';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import type { Clock } from '../domain/clock.js';
import type { AuthSessionRepository, LoginAddressRepository, UserRepository } from '../store/store.js';
import { KnownAddresses } from './known-addresses.js';
import { rejectAfterHashing, verifyPassword } from './passwords.js';

export interface TokenPair {
  accessToken: string;
  /** Seconds. */
  accessExpiresIn: number;
  refreshToken: string;
  /** Seconds. */
  refreshExpiresIn: number;
  sessionId: string;
}

/** Who an access token speaks for. */
export interface TokenIdentity {
  userId: string;
  sessionId: string;
}

export type AuthFailureReason = 'invalid' | 'expired' | 'revoked' | 'reused';

/** A refused token; the message is safe to show the client. */
export class AuthFailure extends Error {
  constructor(
    readonly reason: AuthFailureReason,
    message: string,
  ) {
    super(message);
  }
}

export interface AuthTokensOptions {
  users: UserRepository;
  sessions: AuthSessionRepository;
  /** Where successful logins' addresses are kept (the login limit's exemption). */
  loginAddresses: LoginAddressRepository;
  clock: Clock;
  /** The server secret (the API-key pepper); the signing and refresh-digest keys are derived from it. */
  pepper: Buffer;
  accessTtlSeconds: number;
  refreshTtlSeconds: number;
}

const ISSUER = 'ordergate';
const AUDIENCE = 'ordergate-admin';
const ACCESS_TYPE = 'access';
const REFRESH_PREFIX = 'ogr_';

export class AuthTokens {
  private readonly signingKey: Uint8Array;
  private readonly refreshKey: Buffer;
  private readonly knownAddresses: KnownAddresses;

  constructor(private readonly options: AuthTokensOptions) {
    // Separate keys for separate purposes, so a digest can never double as a signature; replacing the pepper file
    // logs everyone out, as it already invalidates every API key.
    this.signingKey = derivedKey(options.pepper, 'ordergate access-token signing key v1');
    this.refreshKey = derivedKey(options.pepper, 'ordergate refresh-token digest key v1');
    this.knownAddresses = new KnownAddresses(options.loginAddresses, options.clock, options.refreshTtlSeconds * 1000);
  }

  /**
   * A new session for a correct username and password, sent from the client address `address`; undefined otherwise,
   * taking the same time either way.
   */
  async login(username: string, password: string, address: string): Promise<TokenPair | undefined> {
    const user = await this.options.users.findByUsername(username);
    const ok =
      user?.passwordHash != null ? await verifyPassword(password, user.passwordHash) : await rejectAfterHashing(password);
    if (!ok || !user) return undefined;
    await this.knownAddresses.remember(user.id, address);
    const now = this.options.clock.now();
    const refresh = this.newRefreshToken(now);
    const session = await this.options.sessions.open({ userId: user.id, createdAt: now }, refresh.stored);
    return this.pair(user.id, session.id, refresh.token, now);
  }

  /** Whether `username` names a user who logged in successfully from `address` within the refresh-token lifetime. */
  async isKnownAddress(username: string, address: string): Promise<boolean> {
    const user = await this.options.users.findByUsername(username);
    return user !== undefined && (await this.knownAddresses.isKnown(user.id, address));
  }

  /** Exchanges a refresh token for a new pair; throws AuthFailure (and revokes the session on reuse). */
  async refresh(refreshToken: string): Promise<TokenPair> {
    const now = this.options.clock.now();
    const stored = await this.options.sessions.findToken(this.refreshDigest(refreshToken));
    if (!stored) throw new AuthFailure('invalid', 'The refresh token is not valid');
    const session = await this.options.sessions.find(stored.sessionId);
    if (!session || session.revokedAt !== null) {
      throw new AuthFailure('revoked', 'The session of this refresh token has ended; log in again');
    }
    if (stored.usedAt !== null) {
      await this.options.sessions.revoke(session.id, now, 'refresh token reused');
      throw new AuthFailure('reused', 'This refresh token was already used; the session is revoked, log in again');
    }
    if (stored.expiresAt <= now) throw new AuthFailure('expired', 'The refresh token has expired; log in again');
    const next = this.newRefreshToken(now);
    if (!(await this.options.sessions.rotate(stored.digest, now, next.stored))) {
      // Another request consumed it between the read and the write: the same theft signal as a later reuse.
      await this.options.sessions.revoke(session.id, now, 'refresh token reused');
      throw new AuthFailure('reused', 'This refresh token was already used; the session is revoked, log in again');
    }
    return this.pair(session.userId, session.id, next.token, now);
  }

  /** Ends the session a refresh token belongs to; unknown tokens are ignored (logging out twice is fine). */
  async logoutByRefreshToken(refreshToken: string): Promise<void> {
    const stored = await this.options.sessions.findToken(this.refreshDigest(refreshToken));
    if (stored) await this.logout(stored.sessionId);
  }

  /** Ends every session of the user but `keep` (after a password change). */
  async endOtherSessions(userId: string, keep: string | null): Promise<void> {
    await this.options.sessions.revokeAllOfUser(userId, this.options.clock.now(), 'password changed', keep ?? undefined);
  }

  logout(sessionId: string): Promise<void> {
    return this.options.sessions.revoke(sessionId, this.options.clock.now(), 'logged out');
  }

  /** The identity behind a valid access token of a live session; throws AuthFailure otherwise. */
  async verifyAccess(token: string): Promise<TokenIdentity> {
    let payload;
    try {
      ({ payload } = await jwtVerify(token, this.signingKey, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: new Date(this.options.clock.now()),
        requiredClaims: ['exp', 'iat', 'sub', 'sid'],
      }));
    } catch (error) {
      if (error instanceof joseErrors.JWTExpired) throw new AuthFailure('expired', 'The access token has expired; refresh it');
      if (error instanceof joseErrors.JOSEError) throw new AuthFailure('invalid', 'The access token is not valid');
      throw error;
    }
    const { sub, sid, typ } = payload;
    if (typeof sub !== 'string' || typeof sid !== 'string' || typ !== ACCESS_TYPE) {
      throw new AuthFailure('invalid', 'The access token is not valid');
    }
    // A logout or a detected theft ends the session's access tokens at once, not when they expire.
    const session = await this.options.sessions.find(sid);
    if (!session || session.revokedAt !== null || session.userId !== sub || !(await this.options.users.findById(sub))) {
      throw new AuthFailure('revoked', 'The session of this access token has ended; log in again');
    }
    return { userId: sub, sessionId: sid };
  }

  private async pair(userId: string, sessionId: string, refreshToken: string, now: number): Promise<TokenPair> {
    const { accessTtlSeconds, refreshTtlSeconds } = this.options;
    const issuedAt = Math.floor(now / 1000);
    const accessToken = await new SignJWT({ sid: sessionId, typ: ACCESS_TYPE })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + accessTtlSeconds)
      .setJti(crypto.randomUUID())
      .sign(this.signingKey);
    return {
      accessToken,
      accessExpiresIn: accessTtlSeconds,
      refreshToken,
      refreshExpiresIn: refreshTtlSeconds,
      sessionId,
    };
  }

  private newRefreshToken(now: number) {
    const token = `${REFRESH_PREFIX}${crypto.randomBytes(32).toString('base64url')}`;
    return {
      token,
      stored: { digest: this.refreshDigest(token), createdAt: now, expiresAt: now + this.options.refreshTtlSeconds * 1000 },
    };
  }

  private refreshDigest(token: string): string {
    return crypto.createHmac('sha256', this.refreshKey).update(token).digest('hex');
  }
}

function derivedKey(pepper: Buffer, purpose: string): Buffer {
  return crypto.createHmac('sha256', pepper).update(purpose).digest();
}
