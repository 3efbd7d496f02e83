// Connections to PostgreSQL through `pg`: one pool per store, numbers as JavaScript numbers (BIGINT columns hold epoch
// milliseconds, positions and counts, all far below 2^53), and a pool error (a connection the server dropped while
// idle) reported instead of crashing the process.
import pg from 'pg';

/** BIGINT (int8) and NUMERIC come back as text by default; every such value in this schema is an integer below 2^53. */
const INT8_OID = 20;

function typeParser(oid: number, format?: 'text' | 'binary') {
  if (oid === INT8_OID) return (value: string) => Number(value);
  return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
}

export const POSTGRES_TYPES = { getTypeParser: typeParser } as pg.CustomTypesConfig;

export interface PoolOptions {
  /** `postgres://user@host:port/database` (with `?options=-c search_path=…` to use another schema). */
  url: string;
  /** Connections at most (default 10). */
  max?: number;
  /** Reported errors of idle connections (a terminated backend); the pool replaces them. */
  onError?: (error: Error) => void;
}

export function createPool({ url, max = 10, onError = () => undefined }: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    types: POSTGRES_TYPES,
    // A request waiting for a connection while PostgreSQL is away fails within this, as a 503, rather than hanging.
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    application_name: 'ordergate',
  });
  pool.on('error', onError);
  // A connection cut between two queries of a checked-out client (mid-transaction) is reported here, not thrown into
  // the process: that client's next query fails, and whoever holds it drops it.
  pool.on('connect', (client) => {
    client.on('error', onError);
    // The server ends a session (a terminated backend, a shutdown) with a FATAL error a moment before its socket closes;
    // Kysely hands such a client back as healthy, so it is ended now and the pool drops it instead of lending it again.
    sessionEnds(client).on('errorMessage', (message: { severity?: string }) => {
      if (message.severity === 'FATAL' || message.severity === 'PANIC') client.end().catch(() => undefined);
    });
  });
  return pool;
}

/** The client's protocol connection, which `pg` has but does not type: it hears the server's messages first. */
function sessionEnds(client: pg.PoolClient): NodeJS.EventEmitter {
  return (client as unknown as { connection: NodeJS.EventEmitter }).connection;
}

/** True for `postgres://` and `postgresql://` URLs: what DATABASE_URL may name. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** The URL without its password, for messages and logs. */
export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unreadable URL)';
  }
}
