// The PostgreSQL the benchmarks measure Ordergate on: a database made fresh for the run on the machine's server
// (BENCH_POSTGRES_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres), one schema per server started, all
// dropped when the run ends. A run on a machine without PostgreSQL says so in its output and measures SQLite alone.
import crypto from 'node:crypto';
import pg from 'pg';

const ADMIN_URL = process.env.BENCH_POSTGRES_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  /** A fresh schema's URL (search_path), for one server. */
  freshSchema(): Promise<string>;
  drop(): Promise<void>;
}

/** The run's database, or the reason there is none. */
export async function benchDatabase(): Promise<BenchDatabase | { unavailable: string }> {
  const name = `ordergate_bench_${Date.now()}_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
  } catch (error) {
    return { unavailable: `PostgreSQL at ${ADMIN_URL} did not answer (${(error as Error).message})` };
  } finally {
    await admin.end().catch(() => undefined);
  }
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const base = url.toString();
  return {
    async freshSchema() {
      const schema = `b_${crypto.randomBytes(6).toString('hex')}`;
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`CREATE SCHEMA ${schema}`);
      await client.end();
      const schemaUrl = new URL(base);
      schemaUrl.searchParams.set('options', `-c search_path=${schema}`);
      return schemaUrl.toString();
    },
    async drop() {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
