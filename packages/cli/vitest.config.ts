import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    globalSetup: ['./src/testing/build-for-process-tests.ts'],
    // The process tests spawn `node dist/cli.js`; on a busy machine a spawn takes seconds.
    hookTimeout: 120_000,
    testTimeout: 60_000,
  },
})
