import { fileURLToPath } from 'node:url'
import { buildIfStale } from '@sec/testkit'

/**
 * Vitest global setup. The process tests spawn the built binary (`node dist/cli.js`), so it is
 * rebuilt first whenever a source is newer than it.
 */
export default function setup(): void {
  buildIfStale({
    packageDir: fileURLToPath(new URL('../..', import.meta.url)),
    output: 'dist/cli.js',
    neededBy: 'the process tests',
  })
}
