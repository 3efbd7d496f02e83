// Analyzer (sandbox) mode per account: the persisted switch that routes an account's orders to the sandbox exchange,
// and the log of every request/response pair the account makes while it is on.
import type { Clock } from '../domain/clock.js';
import type { AnalyzerLogQuery, AnalyzerLogRecord, AnalyzerLogRepository, SettingsRepository } from '../store/store.js';

export interface AnalyzerExchange {
  /** The request path, without the query string. */
  path: string;
  statusCode: number;
  /** The request body; its `apikey` is never stored. */
  requestBody: unknown;
  /** The response body as sent. */
  response: string;
}

/** Per account, unlike OpenAlgo's one switch per instance: accounts on one gateway belong to different people. */
export class AnalyzerMode {
  /** Each account's switch, read from the store once: it is asked several times per request, on the order path. */
  private readonly known = new Map<string, boolean>();

  constructor(
    private readonly settings: SettingsRepository,
    private readonly logs: AnalyzerLogRepository,
    private readonly clock: Clock,
  ) {}

  /** Only this process switches modes (the v1 toggle), so the copy in memory stays exact; several processes sharing
   * one store will need the cluster's invalidation. */
  isOn(accountId: string): boolean {
    let on = this.known.get(accountId);
    if (on === undefined) {
      on = this.settings.get(settingKey(accountId)) === 'on';
      this.known.set(accountId, on);
    }
    return on;
  }

  set(accountId: string, on: boolean): void {
    if (on) this.settings.set(settingKey(accountId), 'on');
    else this.settings.delete(settingKey(accountId));
    this.known.set(accountId, on);
  }

  record(accountId: string, exchange: AnalyzerExchange): void {
    this.logs.append({
      accountId,
      at: this.clock.now(),
      path: exchange.path,
      statusCode: exchange.statusCode,
      request: JSON.stringify(withoutApiKey(exchange.requestBody) ?? null),
      response: exchange.response,
    });
  }

  totalLogs(accountId: string): number {
    return this.logs.count(accountId);
  }

  /** The account's log, newest first. */
  listLogs(accountId: string, query: AnalyzerLogQuery): AnalyzerLogRecord[] {
    return this.logs.list(accountId, query);
  }

  /** The account's whole log as it stands now, oldest first, for a download. */
  exportLogs(accountId: string): Iterable<AnalyzerLogRecord> {
    return this.logs.entries(accountId);
  }
}

function settingKey(accountId: string): string {
  return `analyze_mode:${accountId}`;
}

function withoutApiKey(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const { apikey: _apikey, ...rest } = body as Record<string, unknown>;
  return rest;
}
