import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Some suites generate RSA keys, start servers or run long properties: seconds on a machine
    // that runs every package's tests at once.
    hookTimeout: 60_000,
    testTimeout: 30_000,
  },
})
