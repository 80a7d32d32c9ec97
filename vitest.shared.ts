import { defineConfig } from 'vitest/config';

// Node 20.19+ lets require() load ES modules, and a require() racing an import() of the same module can abort
// the process ("v8::Module::IsGraphAsync must be used on an instantiated module"); it took down a test process in
// CI once. Test processes run with it off, as nixforge's scan workers do (see runner's scan-files.ts).
const TEST_PROCESS_ARGV = process.allowedNodeEnvironmentFlags.has('--no-experimental-require-module') ? ['--no-experimental-require-module'] : [];

/** Shared test settings: real parsers and servers make some tests slow, so timeouts are generous. */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    poolOptions: { forks: { execArgv: TEST_PROCESS_ARGV } },
  },
});
