import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Builds the Next.js fixture (`next build`) once, before any test file, when its sources changed.
    globalSetup: ['./src/testing/build-fixture.ts'],
  },
})
