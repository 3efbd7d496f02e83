// The traffic log, on SQLite or PostgreSQL (Kysely): one row per answered request, appended in batches, purged by age,
// listed newest first and summarized per endpoint. On SQLite the gateway's batches are written by a thread of its own
// (store/traffic-writer.ts) over better-sqlite3 directly, through SqliteTrafficAppender and the packing below.
import { type ExpressionBuilder, type Kysely, sql, type Selectable } from 'kysely';
import type { Database } from './database.js';
import type { TrafficLogTable, Schema } from './schema.js';
import type { EndpointTraffic, TrafficEntry, TrafficLogRepository, TrafficQuery, TrafficRecord, TrafficScope } from './store.js';

type Row = Selectable<TrafficLogTable>;

/** A TrafficEntry as the insert's parameters, in column order. */
type EntryValues = [
  at: number,
  keyId: string | null,
  accountId: string | null,
  userId: string | null,
  ip: string,
  method: string,
  path: string,
  route: string | null,
  status: number,
  durationUs: number,
];

/** Columns of one entry in a PackedEntries. */
const ENTRY_COLUMNS = 10;

/**
 * Entries per INSERT: 10 parameters each, well below PostgreSQL's 65535 parameters per statement and SQLite's 32766
 * (better-sqlite3's build).
 */
const INSERT_CHUNK = 1000;

const COLUMNS = ['position', 'at', 'key_id', 'account_id', 'user_id', 'ip', 'method', 'path', 'route', 'status', 'duration_us'] as const;

/**
 * A batch as one flat array, each entry's column values one after the other (EntryValues after EntryValues): what the
 * traffic writer's thread is sent. Structured cloning copies no property names this way: 500 entries cost about
 * 110 µs to post instead of 280 µs as objects (this VM).
 */
export type PackedEntries = EntryValues[number][];

export function packEntries(entries: readonly TrafficEntry[]): PackedEntries {
  const values: PackedEntries = [];
  for (const e of entries) {
    values.push(e.at, e.keyId, e.accountId, e.userId, e.ip, e.method, e.path, e.route, e.status, e.durationUs);
  }
  return values;
}

/**
 * The traffic writer thread's synchronous writes to traffic.db (SQLite only): prepared statements over its own
 * better-sqlite3 connection, no promise per batch.
 */
export class SqliteTrafficAppender {
  private readonly insertEntry;
  private readonly deleteBefore;
  private readonly appendAll;

  constructor(db: Database) {
    // Positional parameters: binding by name costs a property lookup per column on every row.
    this.insertEntry = db.prepare<EntryValues>(
      `INSERT INTO traffic_log (at, key_id, account_id, user_id, ip, method, path, route, status, duration_us)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.deleteBefore = db.prepare<[number]>('DELETE FROM traffic_log WHERE at < ?');
    this.appendAll = db.transaction((values: PackedEntries) => {
      for (let i = 0; i < values.length; i += ENTRY_COLUMNS) {
        this.insertEntry.run(...(values.slice(i, i + ENTRY_COLUMNS) as EntryValues));
      }
    });
  }

  /** Appends a batch packed by packEntries, in one commit. */
  appendPacked(values: PackedEntries): void {
    if (values.length > 0) this.appendAll(values);
  }

  /** Forgets entries older than `before` (epoch ms); returns how many. */
  purgeBefore(before: number): number {
    return this.deleteBefore.run(before).changes;
  }
}

export class SqlTrafficLogRepository implements TrafficLogRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async appendMany(entries: readonly TrafficEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < entries.length; i += INSERT_CHUNK) {
        const rows = entries.slice(i, i + INSERT_CHUNK).map((e) => ({
          at: e.at,
          key_id: e.keyId,
          account_id: e.accountId,
          user_id: e.userId,
          ip: e.ip,
          method: e.method,
          path: e.path,
          route: e.route,
          status: e.status,
          duration_us: e.durationUs,
        }));
        await trx.insertInto('traffic_log').values(rows).execute();
      }
    });
  }

  async purgeBefore(before: number): Promise<number> {
    const result = await this.db.deleteFrom('traffic_log').where('at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async list(query: TrafficQuery): Promise<TrafficRecord[]> {
    const { scope } = query;
    if (seesNothing(scope)) return [];
    let select = this.db
      .selectFrom('traffic_log')
      .select(COLUMNS)
      .where((eb) => inScope(eb, scope));
    if (query.since !== undefined) select = select.where('at', '>=', query.since);
    if (query.until !== undefined) select = select.where('at', '<', query.until);
    if (query.status !== undefined) select = select.where('status', '=', query.status);
    if (query.statusClass !== undefined) {
      select = select.where('status', '>=', query.statusClass * 100).where('status', '<', query.statusClass * 100 + 100);
    }
    if (query.path !== undefined) select = select.where('path', '=', query.path);
    if (query.before !== undefined) select = select.where('position', '<', query.before);
    const rows = await select.orderBy('position', 'desc').limit(query.limit).execute();
    return rows.map(recordOf);
  }

  async summarize(scope: TrafficScope, since: number, until?: number): Promise<EndpointTraffic[]> {
    if (seesNothing(scope)) return [];
    let window = this.db
      .selectFrom('traffic_log')
      .select((eb) => [
        'method',
        'route',
        'status',
        'duration_us',
        eb.fn
          .agg<number>('row_number')
          .over((over) => over.partitionBy(['method', 'route']).orderBy('duration_us'))
          .as('rn'),
        eb.fn
          .countAll<number>()
          .over((over) => over.partitionBy(['method', 'route']))
          .as('n'),
      ])
      .where((eb) => inScope(eb, scope))
      .where('at', '>=', since);
    if (until !== undefined) window = window.where('at', '<', until);
    // Nearest-rank percentile p of n sorted durations: the one at rank ceil(p·n/100), in integer arithmetic. Window
    // functions keep the work in the database, so a busy week never lands in memory.
    const rank = (p: number) => sql<number>`(${sql.lit(p)} * n + 99) / 100`;
    const rows = await this.db
      .selectFrom(window.as('ranked'))
      .select((eb) => [
        'method',
        'route',
        eb.fn.countAll<number>().as('requests'),
        // CASE rather than SUM of a comparison: PostgreSQL's comparisons are booleans, which it does not add up.
        eb.fn.sum<number>(eb.case().when('status', '>=', 400).then(1).else(0).end()).as('errors'),
        eb.fn.sum<number>(eb.case().when('status', '>=', 500).then(1).else(0).end()).as('server_errors'),
        eb.fn.max<number>(eb.case().when('rn', '=', rank(50)).then(eb.ref('duration_us')).end()).as('p50_us'),
        eb.fn.max<number>(eb.case().when('rn', '=', rank(90)).then(eb.ref('duration_us')).end()).as('p90_us'),
        eb.fn.max<number>(eb.case().when('rn', '=', rank(99)).then(eb.ref('duration_us')).end()).as('p99_us'),
      ])
      .groupBy(['method', 'route'])
      .orderBy('requests', 'desc')
      // Requests that matched no route first among equals, as SQLite orders NULL; PostgreSQL puts it last unless told.
      .orderBy('route', (order) => order.asc().nullsFirst())
      .orderBy('method')
      .execute();
    return rows.map((row) => ({
      method: row.method,
      route: row.route,
      requests: row.requests,
      errors: row.errors,
      serverErrors: row.server_errors,
      p50Us: row.p50_us,
      p90Us: row.p90_us,
      p99Us: row.p99_us,
    }));
  }
}

function seesNothing(scope: TrafficScope): boolean {
  return scope.accountIds.length === 0 && scope.userId === null;
}

/** The rows a scope sees, as a condition (for a scope that sees some: `IN ()` is no SQL). */
function inScope(eb: ExpressionBuilder<Schema, 'traffic_log'>, scope: TrafficScope) {
  const parts = [];
  if (scope.accountIds.length > 0) parts.push(eb('account_id', 'in', scope.accountIds));
  if (scope.userId !== null) parts.push(eb.and([eb('account_id', 'is', null), eb('user_id', '=', scope.userId)]));
  return eb.or(parts);
}

function recordOf(row: Row): TrafficRecord {
  return {
    id: row.position,
    at: row.at,
    keyId: row.key_id,
    accountId: row.account_id,
    userId: row.user_id,
    ip: row.ip,
    method: row.method,
    path: row.path,
    route: row.route,
    status: row.status,
    durationUs: row.duration_us,
  };
}
