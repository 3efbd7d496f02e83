// Analyzer (sandbox) mode per account: the persisted switch that routes an account's orders to the sandbox exchange,
// and the log of every request/response pair the account makes while it is on.
import type { Clock } from '../domain/clock.js';
import type {
  AnalyzerLogQuery,
  AnalyzerLogRecord,
  AnalyzerLogRepository,
  ChangeSignal,
  SettingsRepository,
} from '../store/store.js';

export interface AnalyzerExchange {
  /** The request path, without the query string. */
  path: string;
  statusCode: number;
  /** The request body; its `apikey` is never stored. */
  requestBody: unknown;
  /** The response body as sent. */
  response: string;
}

/** Where the switches are kept in the settings table: this prefix and the account's id. */
const SETTING_PREFIX = 'analyze_mode:';

/**
 * Per account, unlike OpenAlgo's one switch per instance: accounts on one gateway belong to different people.
 *
 * `isOn` is asked several times per request, on the order path, so it answers synchronously from memory: the set of
 * accounts whose switch is on, read whole by `load` at start. A switch changed through this process (`set`) counts at
 * once; one changed by another process (another gateway on the same database) moves the store's change signal, and
 * `refresh`, awaited where a request is authenticated, reads the switches again before the request goes on.
 */
export class AnalyzerMode {
  /** The accounts whose switch is on. */
  private on = new Set<string>();
  /** The change signal's version when the switches in memory were read; undefined before the first read. */
  private loadedVersion: number | undefined;
  /** The read under way for a version, shared by every refresh asking for that version. */
  private loading: { version: number; done: Promise<void> } | undefined;
  /** Numbers the reads and sets in the order they started: a slower, older read never replaces a newer state. */
  private started = 0;
  private applied = 0;

  constructor(
    private readonly settings: SettingsRepository,
    private readonly logs: AnalyzerLogRepository,
    private readonly clock: Clock,
    private readonly changes: ChangeSignal,
  ) {}

  /** Whether the account runs in analyzer mode, as of the last `load`, `refresh` or `set`. */
  isOn(accountId: string): boolean {
    return this.on.has(accountId);
  }

  /** Reads every account's switch (at start; `refresh` afterwards). */
  load(): Promise<void> {
    return this.loadAt(this.changes.version());
  }

  /** Reads the switches again when a switch changed since they were read; at once (no read) otherwise. */
  async refresh(): Promise<void> {
    const version = this.changes.version();
    if (version !== this.loadedVersion) await this.loadAt(version);
  }

  async set(accountId: string, on: boolean): Promise<void> {
    if (on) await this.settings.set(SETTING_PREFIX + accountId, 'on');
    else await this.settings.delete(SETTING_PREFIX + accountId);
    if (on) this.on.add(accountId);
    else this.on.delete(accountId);
    // A read that started before this write must not undo it; the next refresh reads everything again (the write
    // moved the change signal, and `loadedVersion` stays as it was).
    this.applied = ++this.started;
  }

  /** Keeps one request/response pair of the account in its log. */
  record(accountId: string, exchange: AnalyzerExchange): Promise<void> {
    return this.logs.append({
      accountId,
      at: this.clock.now(),
      path: exchange.path,
      statusCode: exchange.statusCode,
      request: JSON.stringify(withoutApiKey(exchange.requestBody) ?? null),
      response: exchange.response,
    });
  }

  totalLogs(accountId: string): Promise<number> {
    return this.logs.count(accountId);
  }

  /** The account's log, newest first. */
  listLogs(accountId: string, query: AnalyzerLogQuery): Promise<AnalyzerLogRecord[]> {
    return this.logs.list(accountId, query);
  }

  /** The account's whole log as it stands now, oldest first, read page by page, for a download. */
  exportLogs(accountId: string): AsyncIterable<AnalyzerLogRecord> {
    return this.logs.entries(accountId);
  }

  private loadAt(version: number): Promise<void> {
    if (this.loading?.version === version) return this.loading.done;
    const done = this.read(version).finally(() => {
      if (this.loading?.done === done) this.loading = undefined;
    });
    this.loading = { version, done };
    return done;
  }

  private async read(version: number): Promise<void> {
    const order = ++this.started;
    const rows = await this.settings.list(SETTING_PREFIX);
    if (order < this.applied) return;
    this.on = new Set(rows.filter((row) => row.value === 'on').map((row) => row.key.slice(SETTING_PREFIX.length)));
    this.loadedVersion = version;
    this.applied = order;
  }
}

function withoutApiKey(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const { apikey: _apikey, ...rest } = body as Record<string, unknown>;
  return rest;
}
