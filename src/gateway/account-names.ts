// What an account may not be called, wherever accounts are made (the admin API, the CLI): a name with the shape of
// an account id would put names and ids, which routes accept in one place, into one namespace.

/** Account ids are UUIDs (store/account-repository.ts), in any letter case as a client may write them. */
const ACCOUNT_ID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const ID_SHAPED_NAME = 'an account name cannot have the shape of an account id (a UUID)';

export function hasAccountIdShape(name: string): boolean {
  return ACCOUNT_ID_SHAPE.test(name);
}
