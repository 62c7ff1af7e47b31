import { defineConfig } from 'vitest/config';

// Tests start real processes (etcd, kubectl, task processes); give them room, and run files in
// separate forks so a crash in one cannot take the others down.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'pkg/**/*.test.ts', 'controllers/**/*.test.ts', 'api/**/*.test.ts'],
    exclude: ['node_modules', 'dist'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    globalSetup: ['test/harness/global-setup.ts'],
  },
});
