import type { ConformanceServer, ConformanceVariant } from '@sec/testkit'
import { startFixture } from './next-fixture.js'

/**
 * Starts the Next.js fixture for a variant: its routes build their security with
 * `createConformanceApp(process.env.SEC_CONFORMANCE_VARIANT)`.
 */
export function startNextConformanceServer(variant: ConformanceVariant): Promise<ConformanceServer> {
  return startFixture({ SEC_CONFORMANCE_VARIANT: variant })
}
