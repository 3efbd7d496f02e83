// vitest globalSetup of the PostgreSQL pass: a fresh database for this run on the machine's server (ORDERGATE_TEST_
// POSTGRES_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/postgres), dropped at the end. No server, no run:
// the pass fails loudly rather than skipping.
import pg from 'pg';

const ADMIN_URL = process.env.ORDERGATE_TEST_POSTGRES_ADMIN_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export default async function setup(): Promise<() => Promise<void>> {
  const name = `ordergate_test_${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${process.pid}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(`PostgreSQL does not answer at ${ADMIN_URL} (${(error as Error).message}): start it (the env doc says how)`);
  }
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  process.env.ORDERGATE_TEST_POSTGRES_URL = url.toString();
  return async () => {
    const client = new pg.Client({ connectionString: ADMIN_URL });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.end();
  };
}
