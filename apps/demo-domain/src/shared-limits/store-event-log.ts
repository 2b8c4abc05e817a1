import type { RateLimitStoreEvent } from '@sec/core'
import type { DemoEventSink } from '../identity/index.js'

const whileDown: Readonly<Record<RateLimitStoreEvent['fallback'], string>> = {
  insurance: "limiting with this process's memory until it is back",
  'fail-open': 'admitting every request until it is back',
  'fail-closed': 'refusing every request with a 503 until it is back',
}

// Error messages end with a period more often than not; the log line goes on after the reason.
function reason(error: unknown): string {
  return error instanceof Error ? `: ${error.message.replace(/\.$/, '')}` : ''
}

/**
 * An event sink that logs, through `log`, when a limiter's store goes down (and what the limiter
 * does meanwhile) and when it comes back. Every other event is ignored.
 */
export function logStoreEvents(log: (line: string) => void): DemoEventSink {
  return (event) => {
    if (event.type === 'ratelimit.store-unavailable')
      log(
        `Rate limiter "${event.limiter}": the ${event.store} store is unavailable${reason(event.error)}; ${whileDown[event.fallback]}.`,
      )
    else if (event.type === 'ratelimit.store-recovered')
      log(`Rate limiter "${event.limiter}": the ${event.store} store is back.`)
  }
}
