// The store port (DESIGN §6): the records and repositories the core and the gateway use, whatever engine holds them.
// `sqlite-store.ts` implements it over better-sqlite3; a PostgreSQL implementation keeps the same shapes.
import type { EventJournal, ExchangeEvent, JournaledEvent } from '../domain/events.js';

export interface Store {
  readonly users: UserRepository;
  readonly accounts: AccountRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly settings: SettingsRepository;
  readonly analyzerLogs: AnalyzerLogRepository;
  readonly idempotency: IdempotencyRepository;
  readonly journal: StoreJournal;
  /** Closes the connection; the store is unusable afterwards. */
  close(): void;
}

export interface User {
  id: string;
  username: string;
  /** Null until a password is set (e.g. a user created by the CLI for API keys only). */
  passwordHash: string | null;
  /** Epoch milliseconds. */
  createdAt: number;
}

export interface UserRepository {
  create(username: string, passwordHash?: string | null): User;
  findById(id: string): User | undefined;
  findByUsername(username: string): User | undefined;
  /** The earliest created user: a single-user install's only user. */
  first(): User | undefined;
  count(): number;
  setPasswordHash(userId: string, passwordHash: string | null): void;
}

export interface Account {
  id: string;
  name: string;
  userId: string;
  /** Which broker connection serves the account; `paper` is the built-in exchange. */
  broker: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

export interface AccountRepository {
  create(name: string, userId: string, broker?: string): Account;
  findById(id: string): Account | undefined;
  findByName(name: string): Account | undefined;
  /** All accounts, oldest first; only those of `userId` when given. */
  list(userId?: string): Account[];
}

export type ApiKeyScope = 'read' | 'trade' | 'admin';
export const API_KEY_SCOPES: readonly ApiKeyScope[] = ['read', 'trade', 'admin'];

export function isApiKeyScope(value: string): value is ApiKeyScope {
  return (API_KEY_SCOPES as readonly string[]).includes(value);
}

export interface NewApiKey {
  accountId: string;
  /** The first 8 hex characters of the key, to recognise it in listings; never enough to use it. */
  prefix: string;
  /** Hex HMAC-SHA256(pepper, key); the key itself is never stored. */
  digest: string;
  scopes: readonly ApiKeyScope[];
}

/** A key as listed: everything but the digest. */
export interface ApiKeyInfo {
  id: string;
  accountId: string;
  prefix: string;
  scopes: ApiKeyScope[];
  /** Epoch milliseconds; `revokedAt` and `lastUsedAt` are null until it happens. */
  createdAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

/** What authentication needs of an active key; `digest` is there for the constant-time comparison. */
export interface ActiveApiKey {
  id: string;
  accountId: string;
  prefix: string;
  digest: string;
  scopes: ApiKeyScope[];
}

export interface ApiKeyRepository {
  /** Throws when the digest is already stored (the same key issued twice) or the account does not exist. */
  insert(key: NewApiKey): ApiKeyInfo;
  findActiveByDigest(digest: string): ActiveApiKey | undefined;
  /** Every key ever issued, revoked ones included. */
  count(): number;
  countActive(): number;
  listByAccount(accountId: string): ApiKeyInfo[];
  /** Revokes the active keys starting with `prefix` (of one account when given); returns how many. */
  revokeByPrefix(prefix: string, accountId?: string): number;
  revokeById(id: string): boolean;
  /** Records a use; callers decide how often (it is a write). */
  markUsed(id: string, at: number): void;
}

/** The first answer to a request made with an Idempotency-Key, replayed to its retries. */
export interface StoredResponse {
  /** Digest of what was asked (method, path, body), so a key reused for another request is caught. */
  fingerprint: string;
  statusCode: number;
  body: string;
}

export interface IdempotencyRepository {
  find(accountId: string, key: string): StoredResponse | undefined;
  save(accountId: string, key: string, response: StoredResponse, at: number): void;
  /** Forgets answers older than `before` (epoch ms); returns how many. */
  purgeBefore(before: number): number;
}

/** Small key/value settings that must survive restarts (not secrets: the pepper lives outside the database). */
export interface SettingsRepository {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  delete(key: string): void;
}

/** One request/response pair of an account in analyzer (sandbox) mode. */
export interface AnalyzerLogEntry {
  accountId: string;
  at: number;
  /** The request path, without the query string. */
  path: string;
  statusCode: number;
  /** The request body as JSON, without `apikey`. */
  request: string;
  /** The response body as sent. */
  response: string;
}

export interface AnalyzerLogRepository {
  append(entry: AnalyzerLogEntry): void;
  count(accountId: string): number;
}

/** The domain's journal port, with each event's per-account sequence number made visible. */
export interface StoreJournal extends EventJournal {
  /** Stores the events in one atomic commit and returns them with their sequence numbers. */
  append(events: readonly ExchangeEvent[]): JournaledEvent[];
  readAll(): Iterable<JournaledEvent>;
  count(): number;
}
