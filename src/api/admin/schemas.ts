// JSON shapes of the native API's resources, and their mapping from store records: one schema gives validation,
// types and the OpenAPI entry.
import { Type, type TProperties } from 'typebox';
import type { Account, ApiKeyInfo, ApiKeyScope, BrokerConnection, User } from '../../store/store.js';
import { NUMBER_TEXT_KEYWORD } from '../number-text.js';

const Timestamp = (description: string) => Type.String({ format: 'date-time', description });
const NullableTimestamp = (description: string) => Type.Union([Timestamp(description), Type.Null()], { description });

export const AccountName = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$',
  description:
    '1–64 letters, digits, "_", "." or "-", starting with a letter or digit; unique among the caller\'s accounts ' +
    '(other users may use the same name); not shaped like an account id (a UUID)',
});

export const AccountResource = Type.Object(
  {
    id: Type.String({ description: 'Stable id (UUID)' }),
    name: Type.String(),
    broker: Type.String({
      description: 'What serves the account: `paper` (the built-in exchange) or the id of one of the caller\'s broker connections',
    }),
    analyzer_mode: Type.Boolean({ description: 'True while orders go to the isolated sandbox ledger' }),
    created_at: Timestamp('When the account was created'),
  },
  { $id: 'Account' },
);

export const BrokerConnectionName = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$',
  description:
    '1–64 letters, digits, "_", "." or "-", starting with a letter or digit; unique among the caller\'s connections; ' +
    'not `paper` (the built-in exchange) and not shaped like a connection id (a UUID)',
});

export const BrokerConnectionResource = Type.Object(
  {
    id: Type.String({ description: 'Stable id (UUID): what an account\'s `broker` holds when bound to this connection' }),
    name: Type.String(),
    kind: Type.Literal('openalgo', { description: '`openalgo`: a server speaking OpenAlgo\'s v1 API (OpenAlgo, or another Ordergate)' }),
    base_url: Type.String({ description: 'Where the server answers, e.g. `http://127.0.0.1:5000`' }),
    credentials_hint: Type.String({
      description: 'The last 4 characters of the API key (`••••3f9a`; `••••` alone for a short key); the key itself is never shown',
    }),
    created_at: Timestamp('When the connection was added'),
  },
  { $id: 'BrokerConnection' },
);

export const ScopeList = Type.Array(Type.Enum(['read', 'trade', 'admin'], { type: 'string' }), {
  minItems: 1,
  uniqueItems: true,
  description: '`read`: data and books; `trade`: order entry; `admin`: this admin API, for the key\'s account only',
});

export const ApiKeyResource = Type.Object(
  {
    id: Type.String(),
    account_id: Type.String(),
    prefix: Type.String({ description: 'The first 8 characters of the key; the key itself is never shown again' }),
    scopes: ScopeList,
    status: Type.Union([Type.Literal('active'), Type.Literal('revoked')]),
    created_at: Timestamp('When the key was issued'),
    revoked_at: NullableTimestamp('When the key was revoked'),
    last_used_at: NullableTimestamp('Last recorded use'),
  },
  { $id: 'ApiKey' },
);

export const IssuedApiKeyResource = Type.Object({
  ...ApiKeyResource.properties,
  key: Type.String({ description: 'The key: 64 hex characters, shown in this answer only (only its hash is stored)' }),
});

export const UserResource = Type.Object({
  id: Type.String(),
  username: Type.String(),
  created_at: Timestamp('When the user was created'),
});

/**
 * A route's query string: unknown parameters refused, and integers read as plain decimal text (an optional sign and
 * ASCII digits) before Ajv's coercion could take `Infinity`, `1e2` or `0x10` for one.
 */
export function QueryObject<Properties extends TProperties>(properties: Properties) {
  return Type.Object(properties, { additionalProperties: false, [NUMBER_TEXT_KEYWORD]: 'plain' });
}

/**
 * An integer parameter of a QueryObject, within its bounds; the upper one defaults to the largest integer a double
 * holds exactly, so a longer run of digits is refused (`must be <= 9007199254740991`) rather than rounded.
 */
export function QueryInteger(options: { minimum: number; maximum?: number; default?: number; description?: string }) {
  return Type.Integer({ maximum: Number.MAX_SAFE_INTEGER, ...options });
}

/**
 * Text that names something stored (an id, a name, a path): no control characters, which no id or name holds and
 * PostgreSQL's text cannot (a NUL there would be the database's error, not a 404).
 */
export function StoredText(options: { maxLength: number; description?: string }) {
  return Type.String({ minLength: 1, pattern: '^[^\\u0000-\\u001f]+$', ...options });
}

export const AccountParams = Type.Object({
  account: StoredText({ maxLength: 64, description: "The account's id or name" }),
});

export function accountView(account: Account, analyzerOn: boolean) {
  return {
    id: account.id,
    name: account.name,
    broker: account.broker,
    analyzer_mode: analyzerOn,
    created_at: iso(account.createdAt),
  };
}

export function apiKeyView(key: ApiKeyInfo) {
  return {
    id: key.id,
    account_id: key.accountId,
    prefix: key.prefix,
    scopes: key.scopes as ApiKeyScope[],
    status: key.revokedAt === null ? ('active' as const) : ('revoked' as const),
    created_at: iso(key.createdAt),
    revoked_at: key.revokedAt === null ? null : iso(key.revokedAt),
    last_used_at: key.lastUsedAt === null ? null : iso(key.lastUsedAt),
  };
}

/** A connection as the API shows it: never its credentials, sealed or not. */
export function brokerConnectionView(connection: BrokerConnection) {
  return {
    id: connection.id,
    name: connection.name,
    kind: connection.kind,
    base_url: connection.baseUrl,
    credentials_hint: connection.credentialsHint,
    created_at: iso(connection.createdAt),
  };
}

export function userView(user: User) {
  return { id: user.id, username: user.username, created_at: iso(user.createdAt) };
}

export function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** A page of a newest-first listing: the cursor of the next page is the last item's id, when the page was full. */
export function page<T extends { id: number }, V>(items: readonly T[], limit: number, view: (item: T) => V) {
  const last = items.at(-1);
  return { items: items.map(view), next_before: items.length === limit && last ? last.id : null };
}
