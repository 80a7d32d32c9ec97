import { defineConfig } from 'vitest/config';

/** Shared test settings: real parsers and servers make some tests slow, so timeouts are generous. */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
