import type { LimitDecision, LimitPolicy } from '../limit-policy.js'
import { type DecisionRecord, decisionRecord } from './decision-record.js'

/**
 * An exact log of admissions, oldest first. Meant for small limits (≤ 1000) and integer costs: it
 * holds one entry per distinct admission time still inside the window.
 */
export interface SlidingLogState {
  /** Admission times (ms on the store's clock) and costs, interleaved, live from `head` on. */
  entries: number[]
  /** Index in `entries` of the oldest live time. */
  head: number
  /** Sum of the live costs. */
  used: number
}

/** The longest prefix of dropped entries kept before the log is compacted, in array slots. */
const compactAfter = 64

/** An empty log. */
export function emptySlidingLog(): SlidingLogState {
  return { entries: [], head: 0, used: 0 }
}

/**
 * Decides `cost` units at `now` and leaves the new state in `state`: entries at or before
 * `now - period` are dropped, and the cost is appended when admitted and above 0. A cost of 0 is a
 * peek: it records nothing and answers `allowed` and `retryAfter` as if it asked for one unit.
 * Costs must be integers. Clock readings are subtracted from each other before a period is added,
 * so the comparisons stay exact on an epoch-sized clock. The answer is written into `answer` (a new
 * record unless one is given) and returned.
 */
export function decideSlidingLog(
  state: SlidingLogState,
  now: number,
  policy: LimitPolicy,
  cost: number,
  answer: DecisionRecord = decisionRecord(),
): LimitDecision {
  const limit = policy.limit
  const period = policy.period
  const want = cost === 0 ? 1 : cost
  const entries = state.entries
  let head = state.head
  let used = state.used
  while (head < entries.length && now - (entries[head] as number) >= period) {
    used -= entries[head + 1] as number
    head += 2
  }
  if (head === entries.length) {
    entries.length = 0
    head = 0
    used = 0
  } else if (head >= compactAfter && head * 2 >= entries.length) {
    entries.copyWithin(0, head)
    entries.length -= head
    head = 0
  }
  const allowed = used + want <= limit
  if (allowed && cost > 0) {
    const last = entries.length - 2
    if (last >= head && entries[last] === now) entries[last + 1] = (entries[last + 1] as number) + cost
    else entries.push(now, cost)
    used += cost
  }
  state.head = head
  state.used = used
  let retryAfter = 0
  if (!allowed) {
    let freed = 0
    let at = head
    while (at < entries.length - 2) {
      freed += entries[at + 1] as number
      if (used - freed + want <= limit) break
      at += 2
    }
    retryAfter = Math.ceil((entries[at] as number) - now + period)
  }
  answer.allowed = allowed
  answer.remaining = Math.max(0, limit - used)
  answer.reset = entries.length > head ? Math.ceil((entries[entries.length - 2] as number) - now + period) : 0
  answer.retryAfter = retryAfter
  return answer
}
