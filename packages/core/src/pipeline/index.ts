export { assertGuards, isGuard, isSecurity } from './adapter-checks.js'
export { createSecurity, type RouteSecurity, type Security, type SecurityOptions } from './create-security.js'
export {
  challenge,
  type Decision,
  deny,
  type Guard,
  type GuardContext,
  type GuardResult,
  type HeaderRecord,
  type ProblemDecision,
  type RequestInput,
  type RespondDecision,
  respond,
} from './guard.js'
export { mergeVary } from './merge-vary.js'
export type { EarlyResponse, FinishResult, Outcome } from './outcome.js'
export type { Principal } from './principal.js'
export { ResponseHeaders } from './response-headers.js'
export { type Clock, cryptoRandom, type RandomSource, randomUuid, systemClock } from './runtime.js'
