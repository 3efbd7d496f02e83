import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // PostgreSQL-only suites run in the PostgreSQL pass (vitest.postgres.config.ts, `npm run test:postgres`).
    exclude: ['tests/postgres/**', '**/node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
