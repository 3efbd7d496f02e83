// The PostgreSQL pass (`npm run test:postgres`, run by .ci/run): every suite that meets the store through a gateway, the
// CLI or a repository runs again with PostgreSQL as the engine, in a database made fresh for this run, plus the
// suites only PostgreSQL has (tests/postgres/). The pure domain and exchange suites do not touch a store: not repeated.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/api/**/*.test.ts', 'tests/cli*.test.ts', 'tests/durability/**/*.test.ts', 'tests/store/*-repository.test.ts', 'tests/postgres/**/*.test.ts'],
    // The backtest CLI reads CSV files and the bundled series, never the store.
    exclude: ['tests/cli-backtest.test.ts', '**/node_modules/**'],
    globalSetup: ['tests/postgres-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two files at a time: much of this pass waits on PostgreSQL, so two workers on two cores took 300 s where one took
    // 480 s, and kept CI under 20 minutes.
    maxWorkers: 2,
  },
});
