// The version of the rows callers cache (API keys, settings): repositories write such rows through `commit`, which
// moves the version once the transaction is committed, here and, through the engine, in every other process.
// SQLite: other connections' commits show in the file's `data_version`, read at most once per turn of the event loop.
// PostgreSQL: the transaction sends a NOTIFY on CHANGES_CHANNEL, which every gateway LISTENs to (postgres-store.ts).
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from './database.js';
import type { Schema } from './schema.js';
import type { ChangeSignal, Engine } from './store.js';

/** The PostgreSQL channel that carries "a cached row changed". */
export const CHANGES_CHANNEL = 'ordergate_changes';

export class Changes implements ChangeSignal {
  private local = 0;
  /** SQLite's data_version as last read. */
  private external = 0;
  private externalFresh = false;
  /** NOTIFYs received and reconnects (PostgreSQL). */
  private elsewhere = 0;

  /** `dataVersion` reads SQLite's counter of other connections' commits; absent on PostgreSQL (NOTIFY moves `external`). */
  constructor(
    private readonly engine: Engine,
    private readonly dataVersion?: () => number,
  ) {}

  version(): number {
    if (this.dataVersion && !this.externalFresh) {
      this.externalFresh = true;
      setImmediate(() => {
        this.externalFresh = false;
      });
      this.external = this.dataVersion();
    }
    // Each term only grows, so their sum moves whenever one of them does.
    return this.local + this.external + this.elsewhere;
  }

  /** Another process committed a change (a NOTIFY arrived), or notifications may have been missed (a reconnect). */
  changedElsewhere(): void {
    this.elsewhere += 1;
  }

  /** Runs `work` in one transaction that also tells other processes, and moves the version once it is committed. */
  async commit<T>(db: Kysely<Schema>, work: (trx: Transaction<Schema>) => Promise<T>): Promise<T> {
    const result = await db.transaction().execute(async (trx) => {
      const value = await work(trx);
      if (this.engine === 'postgres') await sql`SELECT pg_notify(${CHANGES_CHANNEL}, '')`.execute(trx);
      return value;
    });
    this.local += 1;
    return result;
  }
}

/** SQLite's counter of commits made by other connections to the file (`PRAGMA data_version`). */
export function sqliteDataVersion(db: Database): () => number {
  const statement = db.prepare<[], number>('PRAGMA data_version').pluck();
  return () => statement.get() ?? 0;
}
