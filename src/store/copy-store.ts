// `ordergate db copy`: moves an embedded install (the data folder's SQLite files) into an empty PostgreSQL database,
// every row and column kept, order keys included, so a user who outgrows one machine loses nothing. One PostgreSQL
// transaction holds the whole copy: it commits only once every table's count matches, and a failure leaves the target
// as empty as it was, ready for another try.
import type pg from 'pg';
import { DataDirLock } from './data-dir-lock.js';
import {
  ANALYZER_DATABASE_FILE,
  DATABASE_FILE,
  type DataFolderFile,
  type DataFolderFiles,
  JOURNAL_DATABASE_FILE,
  TRAFFIC_DATABASE_FILE,
  holdsEmbeddedInstall,
  openDataFolderFiles,
} from './data-folder-files.js';
import type { Database } from './database.js';
import { migratePostgres } from './postgres/migrate.js';
import { createPool } from './postgres/pool.js';
import type { Schema } from './schema.js';

export type CopiedTable = Exclude<keyof Schema, 'schema_migrations'>;

interface TableSource {
  table: CopiedTable;
  file: DataFolderFile;
  /** The table's name in that file. */
  from: string;
}

/** Parents before children, as the foreign keys need. */
const SOURCES: readonly TableSource[] = [
  { table: 'users', file: DATABASE_FILE, from: 'users' },
  { table: 'accounts', file: DATABASE_FILE, from: 'accounts' },
  { table: 'broker_connections', file: DATABASE_FILE, from: 'broker_connections' },
  { table: 'api_keys', file: DATABASE_FILE, from: 'api_keys' },
  { table: 'settings', file: DATABASE_FILE, from: 'settings' },
  { table: 'idempotency_keys', file: DATABASE_FILE, from: 'idempotency_keys' },
  { table: 'analyzer_logs', file: DATABASE_FILE, from: 'analyzer_logs' },
  { table: 'auth_sessions', file: DATABASE_FILE, from: 'auth_sessions' },
  { table: 'refresh_tokens', file: DATABASE_FILE, from: 'refresh_tokens' },
  { table: 'login_addresses', file: DATABASE_FILE, from: 'login_addresses' },
  { table: 'gtt_orders', file: DATABASE_FILE, from: 'gtt_orders' },
  { table: 'chart_preferences', file: DATABASE_FILE, from: 'chart_preferences' },
  { table: 'backtest_runs', file: DATABASE_FILE, from: 'backtest_runs' },
  { table: 'user_strategies', file: DATABASE_FILE, from: 'user_strategies' },
  { table: 'events', file: JOURNAL_DATABASE_FILE, from: 'events' },
  { table: 'sandbox_events', file: ANALYZER_DATABASE_FILE, from: 'events' },
  { table: 'order_events', file: JOURNAL_DATABASE_FILE, from: 'order_events' },
  { table: 'sandbox_order_events', file: ANALYZER_DATABASE_FILE, from: 'order_events' },
  { table: 'traffic_log', file: TRAFFIC_DATABASE_FILE, from: 'traffic_log' },
];

/** The tables a copy fills, in the order it fills them. */
export const COPIED_TABLES: readonly CopiedTable[] = SOURCES.map((source) => source.table);

/** Tables of the SQLite files that are no data of their own (the schema's bookkeeping). */
const BOOKKEEPING = new Set(['schema_migrations', 'sqlite_sequence']);

/** Rows per INSERT (and per progress report): well below PostgreSQL's 65,535 parameters for the widest table. */
const DEFAULT_PAGE_ROWS = 1000;

export interface CopyProgress {
  table: CopiedTable;
  /** Rows copied so far: 0 when the table starts, `total` when it is done. */
  copied: number;
  total: number;
}

export interface TableCount {
  table: CopiedTable;
  sqlite: number;
  postgres: number;
}

export interface CopyStoreOptions {
  /** The embedded install's data folder. */
  dataDir: string;
  /** The target: `postgres://user@host:port/database` (a `search_path` option selects a schema). */
  url: string;
  /** Told when each table starts and after each page of rows. */
  onProgress?: (progress: CopyProgress) => void;
  pageRows?: number;
}

/** Why the copy did not happen; PostgreSQL was left as it was. The message says what to do. */
export class CopyError extends Error {}

/**
 * Copies the install in `dataDir` into the PostgreSQL database at `url` and returns each table's count on both sides
 * (equal: the copy commits only then). Holds the data folder's lock meanwhile, so no gateway writes to it (throws
 * DataDirInUse while one runs). Migrates the target to the current schema and refuses it when any table holds rows.
 */
export async function copyStore(options: CopyStoreOptions): Promise<TableCount[]> {
  const { dataDir, url, onProgress = () => undefined, pageRows = DEFAULT_PAGE_ROWS } = options;
  if (!holdsEmbeddedInstall(dataDir)) {
    throw new CopyError(`${dataDir} holds no Ordergate data (no ${DATABASE_FILE}): set ORDERGATE_DATA_DIR to the data folder to copy`);
  }
  const lock = DataDirLock.acquire(dataDir);
  try {
    const pool = createPool({ url, max: 1 });
    try {
      // The target first: a wrong URL fails before the data folder's files are migrated.
      await migratePostgres(pool);
      const files = openDataFolderFiles(dataDir);
      try {
        return await copyFiles(files, pool, pageRows, onProgress);
      } finally {
        files.close();
      }
    } finally {
      await pool.end();
    }
  } finally {
    lock.release();
  }
}

async function copyFiles(
  files: DataFolderFiles,
  pool: pg.Pool,
  pageRows: number,
  onProgress: (progress: CopyProgress) => void,
): Promise<TableCount[]> {
  const readers = SOURCES.map((source) => ({ source, db: files.of(source.file) }));
  checkEverythingIsCopied(files);
  // One read transaction per file: every count and page sees the same rows, even if a CLI command writes meanwhile.
  const reading = [...new Set(readers.map((reader) => reader.db).filter((db) => db !== undefined))];
  for (const db of reading) db.exec('BEGIN');
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    const totals = readers.map(({ source, db }) => (db ? countRows(db, source.from) : 0));
    await client.query('BEGIN');
    try {
      // A gateway started on the target meanwhile waits for the copy rather than writing its first user beside it.
      await client.query(`LOCK TABLE ${COPIED_TABLES.map(quote).join(', ')} IN EXCLUSIVE MODE`);
      await refuseFilledTarget(client);
      for (const [index, { source, db }] of readers.entries()) {
        const total = totals[index] ?? 0;
        onProgress({ table: source.table, copied: 0, total });
        if (db === undefined || total === 0) continue;
        try {
          await copyTable(db, client, source, total, pageRows, onProgress);
        } catch (error) {
          if (error instanceof CopyError) throw error;
          throw new CopyError(`copying ${source.table} failed: ${(error as Error).message}`, { cause: error });
        }
      }
      const counts: TableCount[] = [];
      for (const [index, { source }] of readers.entries()) {
        counts.push({ table: source.table, sqlite: totals[index] ?? 0, postgres: await countTarget(client, source.table) });
      }
      const differing = counts.filter((count) => count.sqlite !== count.postgres);
      if (differing.length > 0) {
        const listed = differing.map((c) => `${c.table} SQLite ${c.sqlite}, PostgreSQL ${c.postgres}`).join('; ');
        throw new CopyError(`the counts differ after copying (${listed}); nothing was kept`);
      }
      await client.query('COMMIT');
      return counts;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
      throw error;
    }
  } finally {
    client.release(broken);
    for (const db of reading) db.exec('ROLLBACK');
  }
}

/** Throws when a file holds rows in a table this copy does not know: the copy would lose them. */
function checkEverythingIsCopied(files: DataFolderFiles): void {
  for (const file of new Set(SOURCES.map((source) => source.file))) {
    const db = files.of(file);
    if (db === undefined) continue;
    const copied = new Set(SOURCES.filter((source) => source.file === file).map((source) => source.from));
    const tables = db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
    for (const table of tables) {
      if (copied.has(table) || BOOKKEEPING.has(table)) continue;
      if (db.prepare(`SELECT 1 FROM ${quote(table)} LIMIT 1`).get() !== undefined) {
        throw new CopyError(`${file} holds rows in table ${table}, which this copy does not know: nothing was copied`);
      }
    }
  }
}

async function refuseFilledTarget(client: pg.PoolClient): Promise<void> {
  const filled: string[] = [];
  for (const table of COPIED_TABLES) {
    const rows = await countTarget(client, table);
    if (rows > 0) filled.push(`${table} ${rows}`);
  }
  if (filled.length > 0) {
    throw new CopyError(
      `the target database holds data already (${filled.join(', ')}): copy into an empty database (or an empty schema), nothing was written`,
    );
  }
}

/** Copies the rows of one table page by page in SQLite's rowid order, then moves its identity sequences past them. */
async function copyTable(
  db: Database,
  client: pg.PoolClient,
  source: TableSource,
  total: number,
  pageRows: number,
  onProgress: (progress: CopyProgress) => void,
): Promise<void> {
  const { sourceColumns, targetColumns, identities } = await columnsOf(db, client, source);
  const page = db
    .prepare<[number, number], unknown[]>(
      `SELECT rowid, ${sourceColumns.map(quote).join(', ')} FROM ${quote(source.from)} WHERE rowid > ? ORDER BY rowid LIMIT ?`,
    )
    .raw(true);
  const insertsRowid = targetColumns.length > sourceColumns.length;
  let after = 0;
  let copied = 0;
  for (;;) {
    const rows = page.all(after, pageRows);
    if (rows.length === 0) break;
    const values: unknown[] = [];
    const tuples: string[] = [];
    for (const [rowid, ...columns] of rows) {
      const first = values.length;
      values.push(...columns);
      if (insertsRowid) values.push(rowid);
      tuples.push(`(${targetColumns.map((_, i) => `$${first + i + 1}`).join(', ')})`);
      after = rowid as number;
    }
    await client.query(`INSERT INTO ${quote(source.table)} (${targetColumns.map(quote).join(', ')}) VALUES ${tuples.join(', ')}`, values);
    copied += rows.length;
    onProgress({ table: source.table, copied, total });
  }
  for (const column of identities) {
    await client.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), MAX(${quote(column)})) FROM ${quote(source.table)}`,
      [quote(source.table), column],
    );
  }
}

/**
 * The columns to read in SQLite and to write in PostgreSQL: the same, plus `rowid` where PostgreSQL keeps SQLite's
 * implicit insertion order as a column of its own (users, accounts, api_keys, broker_connections); and the target's
 * identity columns.
 */
async function columnsOf(db: Database, client: pg.PoolClient, source: TableSource) {
  const sourceColumns = db.prepare<[], { name: string }>(`PRAGMA table_info(${quote(source.from)})`).all().map((c) => c.name);
  const { rows } = await client.query<{ column_name: string; is_identity: string }>(
    `SELECT column_name, is_identity FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [source.table],
  );
  const targetNames = rows.map((row) => row.column_name);
  const implicitRowid = targetNames.includes('rowid') && !sourceColumns.includes('rowid');
  const targetColumns = implicitRowid ? [...sourceColumns, 'rowid'] : sourceColumns;
  if (targetColumns.length !== targetNames.length || !targetColumns.every((name) => targetNames.includes(name))) {
    throw new CopyError(
      `${source.table} has other columns in SQLite (${sourceColumns.join(', ')}) than in PostgreSQL (${targetNames.join(', ')}): ` +
        'both should be at the schema of this Ordergate; nothing was copied',
    );
  }
  const identities = rows.filter((row) => row.is_identity === 'YES').map((row) => row.column_name);
  return { sourceColumns, targetColumns, identities };
}

function countRows(db: Database, table: string): number {
  return db.prepare<[], number>(`SELECT COUNT(*) FROM ${quote(table)}`).pluck().get() ?? 0;
}

async function countTarget(client: pg.PoolClient, table: CopiedTable): Promise<number> {
  const { rows } = await client.query<{ count: number }>(`SELECT COUNT(*) AS count FROM ${quote(table)}`);
  return rows[0]?.count ?? 0;
}

/** A table or column name as an SQL identifier (both engines quote with double quotes). */
function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
