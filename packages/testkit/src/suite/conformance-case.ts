import type { ConformanceVariant } from '../app/conformance-app.js'
import type { ConformanceRequest } from '../client/send-request.js'
import type { NormalizedResponse } from './normalize-response.js'

/** One request and the exact normalized response every adapter must give to it. */
export interface ConformanceCase {
  /** What the case shows, as a test title. */
  readonly name: string
  /** The servers the case runs against. */
  readonly variants: readonly ConformanceVariant[]
  /** The request. Without a `Host` line the suite sends `Host: api.example.com`. */
  readonly request: ConformanceRequest
  /** The expected status, headers (all but the ignored ones) and body. */
  readonly expected: NormalizedResponse
  /**
   * What a framework that hands on only the first line of a header the case repeats answers
   * instead (see `ConformanceSuiteOptions.frameworkFirstLineOnly`). Needed on every case that
   * repeats such a header. Default: none.
   */
  readonly expectedFirstLineOnly?: NormalizedResponse
  /** Text that must appear nowhere in the response: values the request sent, secrets the handler knew. */
  readonly secrets?: readonly string[]
}

/** The cases of one concern. */
export interface CaseGroup {
  readonly title: string
  readonly cases: readonly ConformanceCase[]
}

/** Both variants. */
export const bothVariants: readonly ConformanceVariant[] = ['direct', 'proxied']
