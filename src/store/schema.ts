// The tables of the schema (store/migrations.ts) as Kysely sees them: one typed query layer for SQLite and PostgreSQL.
// `rowid` orders rows of equal creation time by insertion: SQLite's own rowid, an identity column on PostgreSQL.
import type { Generated } from 'kysely';

export interface UsersTable {
  rowid: Generated<number>;
  id: string;
  username: string;
  password_hash: string | null;
  created_at: number;
}

export interface AccountsTable {
  rowid: Generated<number>;
  id: string;
  user_id: string;
  name: string;
  broker: Generated<string>;
  created_at: number;
}

export interface ApiKeysTable {
  rowid: Generated<number>;
  id: string;
  account_id: string;
  prefix: string;
  digest: string;
  /** Comma-separated scopes. */
  scopes: string;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface IdempotencyKeysTable {
  account_id: string;
  key: string;
  fingerprint: string;
  status_code: number;
  body: string;
  created_at: number;
}

export interface AnalyzerLogsTable {
  position: Generated<number>;
  account_id: string;
  at: number;
  path: string;
  status_code: number;
  request: string;
  response: string;
}

export interface AuthSessionsTable {
  id: string;
  user_id: string;
  created_at: number;
  revoked_at: number | null;
  revoked_reason: string | null;
}

export interface RefreshTokensTable {
  digest: string;
  session_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface LoginAddressesTable {
  user_id: string;
  address: string;
  last_login_at: number;
}

export interface TrafficLogTable {
  position: Generated<number>;
  at: number;
  key_id: string | null;
  account_id: string | null;
  user_id: string | null;
  ip: string;
  method: string;
  path: string;
  route: string | null;
  status: number;
  duration_us: number;
}

export interface BrokerConnectionsTable {
  rowid: Generated<number>;
  id: string;
  user_id: string;
  name: string;
  /** `openalgo`: an OpenAlgo-compatible server (OpenAlgo itself, or another Ordergate). */
  kind: string;
  base_url: string;
  /** The sealed credentials (gateway/credential-box.ts); never the plaintext. */
  credentials: string;
  /** Enough of the credential to recognise it (`••••3f9a`), never enough to use it. */
  credentials_hint: string;
  created_at: number;
}

export interface GttOrdersTable {
  rowid: Generated<number>;
  id: string;
  account_id: string;
  /** `live` or `sandbox` (domain/gtt.ts GttMode). */
  mode: string;
  strategy: string;
  trigger_type: string;
  symbol: string;
  exchange: string;
  side: string;
  quantity: string;
  product: string;
  order_type: string;
  /** JSON: `[{direction, trigger_price, price}]`, prices as decimal text. */
  legs: string;
  last_price: string;
  status: string;
  created_at: number;
  updated_at: number;
  expires_at: number;
  fired_leg: number | null;
  fired_at: number | null;
  /** When the child order's placement was last begun (claims it, so gateways sharing the database take turns). */
  attempted_at: number | null;
  order_id: string | null;
  reject_reason: string | null;
}

/** An account's chart preference; `value` is the JSON text of what the client stored. */
export interface ChartPreferencesTable {
  account_id: string;
  key: string;
  value: string;
  updated_at: number;
}

/** A stored backtest run; the JSON columns hold what the backtest API answers for it. */
export interface BacktestRunsTable {
  id: string;
  user_id: string;
  strategy: string;
  fill_model: string;
  params: string;
  data_source: string;
  settings: string;
  statistics: string;
  equity: string;
  trades: string;
  fill_report: string | null;
  bar_count: number;
  created_at: number;
}

/** A strategy a user uploaded: its TypeScript source. */
export interface UserStrategiesTable {
  user_id: string;
  name: string;
  source: string;
  created_at: number;
  updated_at: number;
}

export interface EventsTable {
  position: Generated<number>;
  account_id: string;
  seq: number;
  type: string;
  at: number;
  body: string;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: number;
}

export interface Schema {
  users: UsersTable;
  accounts: AccountsTable;
  api_keys: ApiKeysTable;
  settings: SettingsTable;
  idempotency_keys: IdempotencyKeysTable;
  analyzer_logs: AnalyzerLogsTable;
  auth_sessions: AuthSessionsTable;
  refresh_tokens: RefreshTokensTable;
  login_addresses: LoginAddressesTable;
  traffic_log: TrafficLogTable;
  broker_connections: BrokerConnectionsTable;
  gtt_orders: GttOrdersTable;
  chart_preferences: ChartPreferencesTable;
  backtest_runs: BacktestRunsTable;
  user_strategies: UserStrategiesTable;
  /** The paper exchange's live journal (SQLite: in journal.db). */
  events: EventsTable;
  /** The paper exchange's sandbox journal on PostgreSQL (SQLite keeps it as `events` in analyzer.db). */
  sandbox_events: EventsTable;
  /** The core's live order journal (SQLite: in journal.db, beside `events`). */
  order_events: EventsTable;
  /** The core's sandbox order journal on PostgreSQL (SQLite keeps it as `order_events` in analyzer.db). */
  sandbox_order_events: EventsTable;
  schema_migrations: SchemaMigrationsTable;
}
