import { fileURLToPath } from 'node:url'
import { buildIfStale } from '@sec/testkit'

/**
 * Vitest global setup. The exactness tests run decisions in separate `node` processes, which
 * import the built package (`dist`), so it is rebuilt first whenever a source is newer than it.
 */
export default function setup(): void {
  buildIfStale({
    packageDir: fileURLToPath(new URL('../..', import.meta.url)),
    output: 'dist/index.js',
    neededBy: 'the decision worker processes',
  })
}
