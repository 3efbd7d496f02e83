// Analyzer (sandbox) mode per account: the persisted switch that routes an account's orders to the sandbox exchange,
// and the log of every request/response pair the account makes while it is on.
import type { Clock } from '../domain/clock.js';
import type { AnalyzerLogRepository, SettingsRepository } from '../store/store.js';

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
  constructor(
    private readonly settings: SettingsRepository,
    private readonly logs: AnalyzerLogRepository,
    private readonly clock: Clock,
  ) {}

  /** Read from the store on each call, so a switch made by another process takes effect at once. */
  isOn(accountId: string): boolean {
    return this.settings.get(settingKey(accountId)) === 'on';
  }

  set(accountId: string, on: boolean): void {
    if (on) this.settings.set(settingKey(accountId), 'on');
    else this.settings.delete(settingKey(accountId));
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
}

function settingKey(accountId: string): string {
  return `analyze_mode:${accountId}`;
}

function withoutApiKey(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const { apikey: _apikey, ...rest } = body as Record<string, unknown>;
  return rest;
}
