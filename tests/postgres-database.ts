// The PostgreSQL side of the tests: `npm run test:postgres` (vitest.postgres.config.ts) creates one fresh database per
// run (postgres-setup.ts) and names it in ORDERGATE_TEST_POSTGRES_URL; each gateway or store a test opens gets a
// schema of its own in it, so tests stay as independent as their SQLite files are.
import crypto from 'node:crypto';
import pg from 'pg';

/** The run's database, or undefined when the suite runs on SQLite. */
export function testPostgresUrl(): string | undefined {
  return process.env.ORDERGATE_TEST_POSTGRES_URL || undefined;
}

/** True when this run is the PostgreSQL pass: gateways and stores should use PostgreSQL. */
export function onPostgres(): boolean {
  return testPostgresUrl() !== undefined;
}

/** The run's database (throws outside the PostgreSQL pass). */
export function requirePostgresUrl(): string {
  const url = testPostgresUrl();
  if (!url) throw new Error('ORDERGATE_TEST_POSTGRES_URL is not set: run this through `npm run test:postgres`');
  return url;
}

/** A new, empty schema in the run's database; its URL selects it (search_path). */
export async function freshSchema(base: string = requirePostgresUrl()): Promise<string> {
  const schema = `t_${crypto.randomBytes(8).toString('hex')}`;
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await client.end();
  }
  return withSearchPath(base, schema);
}

export function withSearchPath(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('options', `-c search_path=${schema}`);
  return parsed.toString();
}

/** The schema of each data folder in this process: a gateway restarted on the same folder finds its database again. */
const schemaOfDataDir = new Map<string, Promise<string>>();

/**
 * The environment that points a gateway or CLI of `dataDir` at its database: on the PostgreSQL pass a DATABASE_URL
 * (one schema per data folder, made on first use), on SQLite nothing.
 */
export async function databaseEnvFor(dataDir: string): Promise<Record<string, string>> {
  if (!onPostgres()) return {};
  let url = schemaOfDataDir.get(dataDir);
  if (!url) {
    url = freshSchema();
    schemaOfDataDir.set(dataDir, url);
  }
  return { DATABASE_URL: await url };
}
