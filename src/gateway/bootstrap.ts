// First start: a default user, a default paper account and one API key, so a new install is usable at once.
import { issueApiKey } from './api-keys.js';
import { generatePassword, hashPassword } from './passwords.js';
import type { Account, ApiKeyScope, Store } from '../store/store.js';

export const DEFAULT_USERNAME = 'admin';
export const DEFAULT_ACCOUNT = 'default';
export const DEFAULT_SCOPES: readonly ApiKeyScope[] = ['read', 'trade'];

export interface BootstrapResult {
  account: Account;
  /** The key created by this start, shown once; undefined when keys already existed. */
  createdKey?: string;
}

/**
 * The default user and account, created when missing. The default account is the oldest one named `default`: the one
 * the first start made, whoever owns it, even once other users have named accounts `default` too.
 */
export async function ensureDefaultAccount(store: Store): Promise<Account> {
  const user =
    (await store.users.findByUsername(DEFAULT_USERNAME)) ?? (await store.users.first()) ?? (await store.users.create(DEFAULT_USERNAME));
  return (await store.accounts.listByName(DEFAULT_ACCOUNT))[0] ?? (await store.accounts.create(DEFAULT_ACCOUNT, user.id));
}

/** First start: the default account and, when no key exists yet, one key (the preset one if given). */
export async function bootstrapIdentity(store: Store, pepper: Buffer, presetKey?: string): Promise<BootstrapResult> {
  const account = await ensureDefaultAccount(store);
  if ((await store.apiKeys.count()) > 0) return { account };
  const issued = await issueApiKey(pepper, store.apiKeys, account.id, DEFAULT_SCOPES, presetKey);
  return { account, createdKey: issued.key };
}

/**
 * Gives the default user a password when it has none (first start, or data from a version without logins): the
 * preset one (ORDERGATE_ADMIN_PASSWORD) or a generated one, which is returned to be shown once. Undefined when the
 * user already had a password or the preset was used.
 */
export async function ensureAdminPassword(store: Store, preset?: string): Promise<string | undefined> {
  const user = await store.users.findByUsername(DEFAULT_USERNAME);
  if (!user || user.passwordHash !== null) return undefined;
  const password = preset ?? generatePassword();
  await store.users.setPasswordHash(user.id, await hashPassword(password));
  return preset === undefined ? password : undefined;
}
