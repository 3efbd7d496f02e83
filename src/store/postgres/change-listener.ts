// Hears other processes' changes to cached rows: a connection of its own LISTENs to CHANGES_CHANNEL and moves the
// change signal on every NOTIFY. When the connection drops it reconnects (backing off up to a second) and moves the
// signal once more, since notifications sent meanwhile were missed: caches reload rather than trust what they hold.
import pg from 'pg';
import { CHANGES_CHANNEL, type Changes } from '../change-signal.js';
import { POSTGRES_TYPES } from './pool.js';

const RETRY_MIN_MS = 50;
const RETRY_MAX_MS = 1000;

export class ChangeListener {
  private client: pg.Client | null = null;
  private closed = false;
  private retryMs = RETRY_MIN_MS;
  private timer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly url: string,
    private readonly changes: Changes,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Resolves once the first LISTEN is in place (rejects if it cannot be). */
  static async start(url: string, changes: Changes, onError: (error: Error) => void): Promise<ChangeListener> {
    const listener = new ChangeListener(url, changes, onError);
    await listener.connect();
    return listener;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, types: POSTGRES_TYPES, application_name: 'ordergate-listen' });
    client.on('notification', () => this.changes.changedElsewhere());
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('the LISTEN connection ended')));
    await client.connect();
    await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    this.client = client;
    this.retryMs = RETRY_MIN_MS;
  }

  private lost(client: pg.Client, error: Error): void {
    if (this.closed || this.client !== client) return;
    this.client = null;
    client.end().catch(() => undefined);
    this.onError(error);
    this.changes.changedElsewhere();
    this.retry();
  }

  private retry(): void {
    if (this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect().then(
        // Whatever was notified while no one listened is unknown: every cache reloads.
        () => this.changes.changedElsewhere(),
        () => {
          this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
          this.retry();
        },
      );
    }, this.retryMs);
    this.timer.unref();
  }
}
