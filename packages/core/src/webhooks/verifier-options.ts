import * as v from 'valibot'
import type { Clock } from '../pipeline/index.js'
import type { NonceStore } from '../signing/nonce/index.js'

/** Option entries every webhook verifier and guard shares, for their `v.strictObject` schemas. */
export const sharedVerifierEntries = {
  secrets: v.optional(v.array(v.unknown(), 'Expected an array of secrets')),
  tolerance: v.optional(
    v.union([v.number(), v.string()], "Expected a duration such as '5m' or a number of milliseconds"),
  ),
  replay: v.optional(
    v.custom<NonceStore>(
      (x) => typeof (x as NonceStore | null)?.record === 'function',
      'Expected a replay store: { record(key, ttlMs): boolean | Promise<boolean> }, e.g. memoryNonceStore()',
    ),
  ),
}

/** The `clock` option of standalone verifiers (guards use the pipeline's clock). */
export const clockEntry = {
  clock: v.optional(
    v.custom<Clock>((x) => typeof (x as Clock | null)?.now === 'function', 'Expected { now(): number }'),
  ),
}

/** The `limit` option of guards: the body size they read and verify. */
export const limitEntry = {
  limit: v.optional(v.union([v.number(), v.string()], 'Expected bytes as a number or a string like 64kb')),
}
