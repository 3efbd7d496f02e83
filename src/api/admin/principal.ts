// Who is calling the native admin API: a logged-in user (every account of theirs) or an admin-scope API key (its one
// account), and how the request guard tells which. Routes reach accounts only through `accountOf`, so no route can
// touch an account outside the caller's.
import type { FastifyRequest } from 'fastify';
import type { ApiKeyVerifier } from '../../gateway/api-keys.js';
import { AuthFailure, type AuthTokens } from '../../gateway/auth-tokens.js';
import { API_KEY_SCOPES, type Account, type AccountRepository, type ApiKeyScope } from '../../store/store.js';
import { AdminError } from './errors.js';

export interface AdminPrincipal {
  userId: string;
  /** `token`: a JWT access token of a login session; `key`: an API key with the `admin` scope. */
  via: 'token' | 'key';
  /** The login session (token callers). */
  sessionId: string | null;
  /** The API key (key callers). */
  keyId: string | null;
  /** The one account a key caller is bound to; null for token callers, who reach all their user's accounts. */
  boundAccountId: string | null;
  /** The key's scopes; a login session holds them all (the routes need `admin`). */
  scopes: readonly ApiKeyScope[];
}

/** What a native request presents: an Authorization header (for a Bearer access token) or an X-API-KEY. */
export type AdminCredentials = { authorization: string } | { apiKey: string };

/** The request's credentials, the Authorization header first; undefined when it sends neither. */
export function adminCredentialsOf(request: FastifyRequest): AdminCredentials | undefined {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) return { authorization };
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' ? { apiKey } : undefined;
}

/** The caller the credentials stand for, or the words saying why they are refused. Store failures reject. */
export async function verifyAdminCredentials(
  credentials: AdminCredentials,
  { auth, verifier, accounts }: { auth: AuthTokens; verifier: ApiKeyVerifier; accounts: AccountRepository },
): Promise<AdminPrincipal | string> {
  if ('authorization' in credentials) {
    const match = /^Bearer\s+(\S+)$/i.exec(credentials.authorization);
    if (!match?.[1]) return 'Authorization must be "Bearer <access token>"';
    let identity;
    try {
      identity = await auth.verifyAccess(match[1]);
    } catch (error) {
      if (error instanceof AuthFailure) return error.message;
      throw error;
    }
    return { userId: identity.userId, via: 'token', sessionId: identity.sessionId, keyId: null, boundAccountId: null, scopes: API_KEY_SCOPES };
  }
  const verified = await verifier.verify(credentials.apiKey);
  const account = verified && (await accounts.findById(verified.accountId));
  if (!verified || !account) return 'Invalid API key';
  return { userId: account.userId, via: 'key', sessionId: null, keyId: verified.keyId, boundAccountId: account.id, scopes: verified.scopes };
}

declare module 'fastify' {
  interface FastifyRequest {
    adminPrincipal: AdminPrincipal | null;
  }
}

/** The authenticated caller of a native route (the plugin's preHandler guarantees one). */
export function adminPrincipalOf(request: FastifyRequest): AdminPrincipal {
  if (!request.adminPrincipal) throw new Error('admin route reached without authentication');
  return request.adminPrincipal;
}

/** The accounts the caller may see and manage, oldest first. */
export async function accountsOf(principal: AdminPrincipal, accounts: AccountRepository): Promise<Account[]> {
  return (await accounts.list(principal.userId)).filter((a) => principal.boundAccountId === null || a.id === principal.boundAccountId);
}

/**
 * The caller's account named by `idOrName` (its id or its name). Only the caller's accounts are looked at: another
 * user's account is answered exactly like a missing one, and no name of the caller's can tell whether another user's
 * account has that id.
 */
export async function accountOf(principal: AdminPrincipal, accounts: AccountRepository, idOrName: string): Promise<Account> {
  const byId = await accounts.findById(idOrName);
  const account = byId?.userId === principal.userId ? byId : await accounts.findByName(principal.userId, idOrName);
  const reachable = account !== undefined && (principal.boundAccountId === null || principal.boundAccountId === account.id);
  if (!reachable) throw new AdminError('not_found', `No account "${idOrName}"`);
  return account;
}

/** Only logged-in users may act beyond one account (create accounts, change their password). */
export function requireUserSession(principal: AdminPrincipal): void {
  if (principal.via !== 'token') {
    throw new AdminError('forbidden', 'This needs a login session (Authorization: Bearer); an API key acts on its own account only');
  }
}
