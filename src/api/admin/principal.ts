// Who is calling the native admin API: a logged-in user (every account of theirs) or an admin-scope API key (its one
// account). Routes reach accounts only through `accountOf`, so no route can touch an account outside the caller's.
import type { FastifyRequest } from 'fastify';
import type { Account, AccountRepository } from '../../store/store.js';
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
