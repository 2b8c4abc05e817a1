import { buildFixture } from './next-fixture.js'

/** Vitest global setup: builds the Next.js fixture once, before any test file runs. */
export default async function setup(): Promise<void> {
  await buildFixture()
}
