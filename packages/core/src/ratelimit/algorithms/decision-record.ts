import type { LimitDecision } from '../limit-policy.js'

/**
 * A {@link LimitDecision} the algorithms write their answer into, so that a store can hand one
 * record to every decision rather than allocate an answer it only reads and drops.
 */
export type DecisionRecord = { -readonly [Field in keyof LimitDecision]: LimitDecision[Field] }

/** A record to write a decision into, its fields in the order of {@link LimitDecision}. */
export function decisionRecord(): DecisionRecord {
  return { allowed: false, remaining: 0, reset: 0, retryAfter: 0 }
}
