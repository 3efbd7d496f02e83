import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // PostgreSQL-only suites run in the PostgreSQL pass (vitest.postgres.config.ts, `npm run test:postgres`).
    exclude: ['tests/postgres/**', '**/node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time on two cores: much of the suite waits on child processes (the CLI, upstream gateways,
    // crashes) and sockets, so two workers ran it in 413 s where vitest's default of one took 653 s.
    maxWorkers: 2,
  },
});
