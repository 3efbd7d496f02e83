// The store port (DESIGN §6): the records and repositories the core and the gateway use, whatever engine holds them.
// Every call returns a promise, so SQLite (sqlite-store.ts) and PostgreSQL (postgres-store.ts) serve the same port.
import type { EventJournal, ExchangeEvent, JournaledEvent } from '../domain/events.js';
import type { Gtt, GttMode, GttSpec } from '../domain/gtt.js';

/** Which database engine a store runs on. */
export type Engine = 'sqlite' | 'postgres';

export interface Store {
  readonly users: UserRepository;
  readonly accounts: AccountRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly settings: SettingsRepository;
  readonly analyzerLogs: AnalyzerLogRepository;
  readonly authSessions: AuthSessionRepository;
  readonly loginAddresses: LoginAddressRepository;
  readonly traffic: TrafficLogRepository;
  readonly idempotency: IdempotencyRepository;
  readonly brokerConnections: BrokerConnectionRepository;
  /** Good-till-triggered orders, kept until they fire, are cancelled or expire. */
  readonly gtts: GttRepository;
  /** The v1 chart preferences of each account. */
  readonly chartPreferences: ChartPreferenceRepository;
  /** Every backtest run of each user, with its statistics, equity and trades. */
  readonly backtestRuns: BacktestRunRepository;
  /** The strategies users upload through the backtest API. */
  readonly userStrategies: UserStrategyRepository;
  /** The paper exchange's journal of the live accounts: its private state. */
  readonly journal: StoreJournal;
  /** The paper exchange's journal of the sandbox (analyzer) accounts: the same events, kept apart from the live ones. */
  readonly sandboxJournal: StoreJournal;
  /**
   * The core's order journal of the live accounts, whatever broker serves them (SQLite: beside `journal` in its file,
   * the appends of one turn to both committed in one transaction).
   */
  readonly orderJournal: StoreJournal;
  /** The core's order journal of the sandbox accounts (SQLite: beside `sandboxJournal`, committed with it). */
  readonly sandboxOrderJournal: StoreJournal;
  readonly engine: Engine;
  /** Where keys and switches that callers cache in memory were changed, by this process or another. */
  readonly changes: ChangeSignal;
  /** Rejects unless the database answers a trivial query (the readiness check). */
  ping(): Promise<void>;
  /**
   * Runs `work` while no other process sharing the database runs work under this call (PostgreSQL: an advisory lock;
   * SQLite: the data folder's lock already keeps a second gateway out). For read-then-create steps such as the first
   * start's user, account and key, so two gateways starting together on an empty database make them once.
   */
  exclusively<T>(work: () => Promise<T>): Promise<T>;
  /** Closes the connections; the store is unusable afterwards. */
  close(): Promise<void>;
}

/**
 * The version of what callers cache (API keys, settings such as the analyzer switches): it changes whenever such a
 * row is written, through this process or another (the CLI, another gateway on the same PostgreSQL database). Read it
 * synchronously, as often as every request: a cache whose version differs is stale.
 */
export interface ChangeSignal {
  version(): number;
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
  create(username: string, passwordHash?: string | null): Promise<User>;
  findById(id: string): Promise<User | undefined>;
  findByUsername(username: string): Promise<User | undefined>;
  /** The earliest created user: a single-user install's only user. */
  first(): Promise<User | undefined>;
  count(): Promise<number>;
  /** Every user, oldest first. */
  list(): Promise<User[]>;
  setPasswordHash(userId: string, passwordHash: string | null): Promise<void>;
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
  /**
   * Rejects when the user has an account of that name already or does not exist; throws NoSuchBrokerConnection when
   * `broker` (default `paper`) is neither `paper` nor a connection of that user.
   */
  create(name: string, userId: string, broker?: string): Promise<Account>;
  findById(id: string): Promise<Account | undefined>;
  /** The user's account of that name (names are unique per user, not across users). */
  findByName(userId: string, name: string): Promise<Account | undefined>;
  /** Every user's accounts of that name, oldest first: for the operator's CLI, which knows no caller. */
  listByName(name: string): Promise<Account[]>;
  /** All accounts, oldest first; only those of `userId` when given. */
  list(userId?: string): Promise<Account[]>;
  /**
   * Binds the account to `broker`: `paper`, or a broker connection of the account's own user (else
   * NoSuchBrokerConnection, and nothing changes). The account as it is now; undefined when there is no such account.
   */
  setBroker(accountId: string, broker: string): Promise<Account | undefined>;
}

/** The broker of every account until bound to a connection: the built-in paper exchange. */
export const PAPER_BROKER = 'paper';

/** What protocol a broker connection speaks: `openalgo`, OpenAlgo's v1 API (OpenAlgo itself, or another Ordergate). */
export type BrokerKind = 'openalgo';
export const BROKER_KINDS: readonly BrokerKind[] = ['openalgo'];

/** A server one user's accounts may trade through, with the credential it takes, sealed. */
export interface BrokerConnection {
  /** A random UUID; the sealed credentials are bound to it. */
  id: string;
  /** The owner: only this user's accounts may be bound to the connection. */
  userId: string;
  /** Unique among the user's connections. */
  name: string;
  kind: BrokerKind;
  /** Where the server answers, e.g. `http://127.0.0.1:5000` (no trailing slash). */
  baseUrl: string;
  /** The credential (the upstream API key) as CredentialBox sealed it; the plaintext is never stored. */
  sealedCredentials: string;
  /** Enough of the credential to recognise it (`••••3f9a`), never enough to use it. */
  credentialsHint: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

/** A connection to store: its id is drawn by the caller (crypto.randomUUID()), who seals the credentials with it. */
export type NewBrokerConnection = Omit<BrokerConnection, 'createdAt'>;

export interface BrokerConnectionRepository {
  /**
   * Rejects when the user has a connection of that name already or does not exist; throws InvalidBrokerConnection for a
   * name or base URL that breaks its rule. The base URL is stored as the rule normalizes it.
   */
  create(connection: NewBrokerConnection): Promise<BrokerConnection>;
  get(id: string): Promise<BrokerConnection | undefined>;
  findByName(userId: string, name: string): Promise<BrokerConnection | undefined>;
  /** The user's connections, oldest first. */
  listForUser(userId: string): Promise<BrokerConnection[]>;
  /** Every user's connections, oldest first: for the operator's CLI. */
  list(): Promise<BrokerConnection[]>;
  /**
   * Deletes the connection; false when there is none. Throws BrokerConnectionInUse, deleting nothing, while an account
   * is bound to it (bind those accounts elsewhere first).
   */
  remove(id: string): Promise<boolean>;
}

/**
 * Good-till-triggered orders. Every change of state is conditional on the GTT being active, so that of a firing, a
 * cancel, a modification and an expiry racing on one GTT (in this process or another gateway on the same database)
 * exactly one wins; the others are told so (false, undefined) and change nothing.
 */
export interface GttRepository {
  insert(gtt: Gtt): Promise<void>;
  /** The account's active GTT of that id in that mode (a live GTT is not the sandbox's, nor the other way round). */
  findActive(accountId: string, mode: GttMode, id: string): Promise<Gtt | undefined>;
  /** The account's active GTTs of that mode, newest first. */
  listActive(accountId: string, mode: GttMode): Promise<Gtt[]>;
  /** Every account's active GTTs of both modes, oldest first (the evaluator's pass). */
  listAllActive(): Promise<Gtt[]>;
  /**
   * Triggered GTTs whose child order is neither placed nor refused yet (a firing cut short) and whose last placement
   * began at `staleBefore` or earlier, oldest first.
   */
  listUnplaced(staleBefore: number): Promise<Gtt[]>;
  /**
   * Takes an unplaced GTT for another placement at `at`, if its last one began at `staleBefore` or earlier; false when
   * another evaluator took it since, or it was placed or refused meanwhile.
   */
  claimRetry(id: string, at: number, staleBefore: number): Promise<boolean>;
  /**
   * Replaces the terms, last price and update time of the account's active GTT in that mode; the GTT as it is now, or
   * undefined if there is none such.
   */
  replace(id: string, mode: GttMode, spec: GttSpec, lastPrice: Gtt['lastPrice'], at: number): Promise<Gtt | undefined>;
  /** active → cancelled, for the account's GTT in that mode; the GTT as it is now, or undefined if there is none such. */
  cancel(accountId: string, mode: GttMode, id: string, at: number): Promise<Gtt | undefined>;
  /** active → expired; false if it was not active. */
  expire(id: string, at: number): Promise<boolean>;
  /** active → triggered by leg `legIndex`, its placement begun at `at`; false if it was not active (another evaluator, a cancel, won). */
  claim(id: string, legIndex: number, at: number): Promise<boolean>;
  /** Records the outcome of a triggered GTT's child order: its id, or why it could not be placed. */
  recordOutcome(id: string, outcome: { orderId: string } | { rejectReason: string }): Promise<void>;
}

/** Chart preferences (the v1 /chart): per account, key → the JSON text of any value. */
export interface ChartPreferenceRepository {
  /** The account's preferences, by key. */
  list(accountId: string): Promise<Array<{ key: string; value: string }>>;
  /** Writes every entry (inserting or replacing), all or none. */
  save(accountId: string, entries: ReadonlyArray<{ key: string; value: string }>): Promise<void>;
}

/**
 * A stored backtest run. `params`, `dataSource`, `settings`, `statistics`, `equity` and `trades` are JSON texts whose
 * shape the core's backtest service owns (core/backtest/backtest-record.ts); the store keeps them as given.
 */
export interface BacktestRunRow {
  id: string;
  userId: string;
  strategy: string;
  fillModel: string;
  params: string;
  dataSource: string;
  settings: string;
  statistics: string;
  equity: string;
  trades: string;
  /** JSON text of the exchange fill model's report (refusals, square-offs, charges); null for `reference`. */
  fillReport: string | null;
  barCount: number;
  createdAt: number;
}

/** A run as the history lists it: without its equity curve and trades (the fill report is small and stays). */
export type BacktestRunSummaryRow = Omit<BacktestRunRow, 'equity' | 'trades'>;

export interface BacktestRunRepository {
  add(run: BacktestRunRow): Promise<void>;
  /** The user's run, or undefined (also for another user's run). */
  get(userId: string, id: string): Promise<BacktestRunRow | undefined>;
  /** The user's newest runs first, of one strategy or all; at most `limit`. */
  list(userId: string, filter: { strategy?: string; limit: number }): Promise<BacktestRunSummaryRow[]>;
}

/** A strategy a user uploaded: its name and TypeScript source. */
export interface UserStrategyRow {
  name: string;
  source: string;
  createdAt: number;
  updatedAt: number;
}

export interface UserStrategyRepository {
  /** Adds the user's strategy or replaces its source; true when it was new. */
  save(userId: string, name: string, source: string, at: number): Promise<boolean>;
  get(userId: string, name: string): Promise<UserStrategyRow | undefined>;
  /** The user's strategies by name. */
  list(userId: string): Promise<UserStrategyRow[]>;
  /** False if the user had no such strategy. */
  remove(userId: string, name: string): Promise<boolean>;
}

/** A connection's name or base URL breaks its rule (store/broker-connection-fields.ts); nothing was stored. */
export class InvalidBrokerConnection extends Error {
  constructor(
    readonly field: 'name' | 'kind' | 'baseUrl',
    readonly rule: string,
  ) {
    super(`${field}: ${rule}`);
    this.name = 'InvalidBrokerConnection';
  }
}

/** `broker` names neither the paper exchange nor a connection of the account's user. */
export class NoSuchBrokerConnection extends Error {
  constructor(readonly broker: string) {
    super(`No broker connection "${broker}" of the account's user`);
    this.name = 'NoSuchBrokerConnection';
  }
}

/** A connection still serving accounts cannot be removed. */
export class BrokerConnectionInUse extends Error {
  constructor(
    readonly connectionName: string,
    /** The names of the accounts bound to it, oldest first. */
    readonly accountNames: readonly string[],
  ) {
    const count = accountNames.length;
    super(
      `Broker connection "${connectionName}" serves ${count} account${count === 1 ? '' : 's'} (${accountNames.join(', ')}): ` +
        'bind them to another broker first',
    );
    this.name = 'BrokerConnectionInUse';
  }
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
  insert(key: NewApiKey): Promise<ApiKeyInfo>;
  findActiveByDigest(digest: string): Promise<ActiveApiKey | undefined>;
  /** Every key ever issued, revoked ones included. */
  count(): Promise<number>;
  countActive(): Promise<number>;
  listByAccount(accountId: string): Promise<ApiKeyInfo[]>;
  /** Revokes the active keys starting with `prefix` (of one account when given); returns how many. */
  revokeByPrefix(prefix: string, accountId?: string): Promise<number>;
  revokeById(id: string): Promise<boolean>;
  findById(id: string): Promise<ApiKeyInfo | undefined>;
  /**
   * Revokes the active key `id` and stores a new key for its account with its scopes, in one commit; undefined (and
   * nothing written) when `id` is not an active key.
   */
  replace(id: string, next: Pick<NewApiKey, 'prefix' | 'digest'>): Promise<ApiKeyInfo | undefined>;
  /** Records a use; callers decide how often (it is a write). */
  markUsed(id: string, at: number): Promise<void>;
}

/** The first answer to a request made with an Idempotency-Key, replayed to its retries. */
export interface StoredResponse {
  /** Digest of what was asked (method, path, body), so a key reused for another request is caught. */
  fingerprint: string;
  statusCode: number;
  body: string;
}

export interface IdempotencyRepository {
  find(accountId: string, key: string): Promise<StoredResponse | undefined>;
  save(accountId: string, key: string, response: StoredResponse, at: number): Promise<void>;
  /** Forgets answers older than `before` (epoch ms); returns how many. */
  purgeBefore(before: number): Promise<number>;
}

/** Small key/value settings that must survive restarts (not secrets: the pepper lives outside the database). */
export interface SettingsRepository {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every setting whose key starts with `prefix` (case counts), ordered by key. */
  list(prefix: string): Promise<Array<{ key: string; value: string }>>;
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

/** A stored analyzer log entry; `id` orders entries (later is larger). */
export interface AnalyzerLogRecord extends AnalyzerLogEntry {
  id: number;
}

export interface AnalyzerLogQuery {
  /** At most this many entries. */
  limit: number;
  /** Only entries with an id below this (the cursor: the last id of the previous page). */
  before?: number;
  /** Only entries at or after this time (epoch ms). */
  since?: number;
}

export interface AnalyzerLogRepository {
  append(entry: AnalyzerLogEntry): Promise<void>;
  count(accountId: string): Promise<number>;
  /** The account's entries, newest first. */
  list(accountId: string, query: AnalyzerLogQuery): Promise<AnalyzerLogRecord[]>;
  /**
   * Every entry of the account that exists when iteration starts, oldest first, read page by page: the iterator may
   * be held across awaits (a streamed download) without keeping the connection busy.
   */
  entries(accountId: string): AsyncIterable<AnalyzerLogRecord>;
}

/** One login: the family of refresh tokens rotated from it. Revoking it ends every token of the family. */
export interface AuthSession {
  id: string;
  userId: string;
  createdAt: number;
  revokedAt: number | null;
  revokedReason: string | null;
}

/** A refresh token as stored: its digest only. */
export interface StoredRefreshToken {
  digest: string;
  sessionId: string;
  createdAt: number;
  expiresAt: number;
  /** Set when the token was exchanged for a new pair; a second use is a theft signal. */
  usedAt: number | null;
}

export interface AuthSessionRepository {
  /** A new session with its first refresh token, in one commit. */
  open(session: { userId: string; createdAt: number }, firstToken: Omit<StoredRefreshToken, 'sessionId' | 'usedAt'>): Promise<AuthSession>;
  find(sessionId: string): Promise<AuthSession | undefined>;
  findToken(digest: string): Promise<StoredRefreshToken | undefined>;
  /**
   * Marks `usedDigest` used and stores `next` in the same session, in one commit; false (and nothing written) when
   * the token was already used or its session revoked, so of two concurrent refreshes only one wins.
   */
  rotate(usedDigest: string, usedAt: number, next: Omit<StoredRefreshToken, 'sessionId' | 'usedAt'>): Promise<boolean>;
  /** Revokes the session (idempotent). */
  revoke(sessionId: string, at: number, reason: string): Promise<void>;
  /** Revokes every open session of the user except `keep`; returns how many. */
  revokeAllOfUser(userId: string, at: number, reason: string, keep?: string): Promise<number>;
}

/** The client addresses each user logged in from, with the time of the last successful login from each. */
export interface LoginAddressRepository {
  /** Records a successful login; keeps only the user's `keep` most recent addresses. */
  remember(userId: string, address: string, at: number, keep: number): Promise<void>;
  /** Epoch ms of the user's last successful login from `address`; undefined when none is kept. */
  lastLoginAt(userId: string, address: string): Promise<number | undefined>;
}

/** One answered HTTP request, as the traffic log keeps it. */
export interface TrafficEntry {
  /** Epoch milliseconds when the request arrived. */
  at: number;
  keyId: string | null;
  accountId: string | null;
  userId: string | null;
  ip: string;
  method: string;
  /** The URL path, without the query string. */
  path: string;
  /** The matched route pattern (`/api/admin/accounts/:account`); null when no route matched. */
  route: string | null;
  status: number;
  /** Microseconds from arrival to the last byte handed to the socket. */
  durationUs: number;
}

/** A stored traffic entry; `id` orders entries (later is larger). */
export interface TrafficRecord extends TrafficEntry {
  id: number;
}

/** Whose traffic a query sees: the rows of these accounts, and the rows of no account made by `userId`. */
export interface TrafficScope {
  accountIds: readonly string[];
  /** Requests of this user attributed to no account (a logged-in user's own admin calls); none when null. */
  userId: string | null;
}

export interface TrafficQuery {
  scope: TrafficScope;
  /** Epoch ms: arrivals at or after `since` and before `until`. */
  since?: number;
  until?: number;
  /** One exact status, or a class: 2 for 2xx … 5 for 5xx. */
  status?: number;
  statusClass?: 1 | 2 | 3 | 4 | 5;
  /** The exact URL path. */
  path?: string;
  /** Only entries with an id below this (the cursor: the last id of the previous page). */
  before?: number;
  limit: number;
}

/** One endpoint's traffic in a window; percentiles are nearest-rank, in microseconds. */
export interface EndpointTraffic {
  method: string;
  /** The route pattern; null for requests that matched no route. */
  route: string | null;
  requests: number;
  /** Answers with a status of 400 or more. */
  errors: number;
  /** Answers with a status of 500 or more (also counted in `errors`). */
  serverErrors: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
}

export interface TrafficLogRepository {
  /** Appends entries in one commit. */
  appendMany(entries: readonly TrafficEntry[]): Promise<void>;
  /** Forgets entries older than `before` (epoch ms); returns how many. */
  purgeBefore(before: number): Promise<number>;
  /** Matching entries, newest first. */
  list(query: TrafficQuery): Promise<TrafficRecord[]>;
  /**
   * Per (method, route) of the scope's entries that arrived at or after `since` and before `until` (no end when
   * absent): counts and duration percentiles, busiest first.
   */
  summarize(scope: TrafficScope, since: number, until?: number): Promise<EndpointTraffic[]>;
}

/** The domain's journal port, with each event's per-account sequence number made visible. */
export interface StoreJournal extends EventJournal {
  /**
   * Numbers the events and stages them for one atomic commit (alone or with the other appends of this turn, as the
   * journal's durability says); `whenDurable` tells when it is committed. Throws while the journal is failed.
   */
  append(events: readonly ExchangeEvent[]): JournaledEvent[];
  readAll(): AsyncIterable<JournaledEvent>;
  count(): Promise<number>;
  /** True from a failed commit until `resume`: appends are refused meanwhile (503s, `/ready` fails). */
  readonly failed: boolean;
  /**
   * After a failure: resolves once the database answers again, with what was staged dropped (its requests were
   * answered 503) and the sequence numbers read anew. Appends stay refused: the caller rebuilds its state from
   * `readAll` (what is committed is the truth), then calls `resume`.
   */
  recover(): Promise<void>;
  /** Accepts appends again after `recover`. */
  resume(): void;
  /** Commits what is staged now; resolves once everything appended is durable. */
  settle(): Promise<void>;
  /** Settles, then releases the journal's connections or threads. */
  close(): Promise<void>;
}
