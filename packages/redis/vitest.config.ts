import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    globalSetup: ['./src/testing/build-for-workers.ts'],
    // Real redis-server processes and clusters start in hooks; a cluster takes a few seconds to form.
    hookTimeout: 60_000,
    testTimeout: 60_000,
  },
})
