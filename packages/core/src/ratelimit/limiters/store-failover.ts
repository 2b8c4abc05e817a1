import type { EventSink, RateLimitStoreEvent } from '../../events/index.js'
import type { Clock } from '../../pipeline/index.js'

/** What answers while the store is down. */
export type StoreFallback = RateLimitStoreEvent['fallback']

/** What {@link StoreHealth} needs to know to track a store and report on it. */
export interface StoreHealthOptions {
  readonly limiter: string
  readonly store: string
  readonly fallback: StoreFallback
  readonly clock: Clock
  /** ms between two calls let through to a store that is down. */
  readonly probeInterval: number
  readonly sinks: readonly EventSink[]
}

/**
 * Tracks whether a limiter's store answers. Up, every call goes to the store; the first failure
 * takes it down. Down, calls are answered by the fallback and one call per probe interval goes to
 * the store as a probe; the first probe that succeeds brings it up. Each transition emits one event.
 *
 * Calls carry the epoch they started in, so an answer that arrives late cannot flip the state: a
 * call started before an outage that succeeds after it does not end the outage, and one started
 * before a recovery that fails after it does not start a new one.
 */
export class StoreHealth {
  #down = false
  #epoch = 0
  #nextProbe = 0
  readonly #options: StoreHealthOptions

  constructor(options: StoreHealthOptions) {
    this.#options = options
  }

  /** Whether the store is considered down. */
  get down(): boolean {
    return this.#down
  }

  /** The current epoch, to hand back to {@link succeeded} or {@link failed}. */
  get epoch(): number {
    return this.#epoch
  }

  /** While down: whether this call is the probe of the current interval (and starts the next one). */
  probeDue(): boolean {
    const now = this.#options.clock.now()
    if (now < this.#nextProbe) return false
    this.#nextProbe = now + this.#options.probeInterval
    return true
  }

  /** A store call started in `epoch` answered. */
  succeeded(epoch: number): void {
    if (!this.#down || epoch !== this.#epoch) return
    this.#down = false
    this.#epoch++
    this.#emit('ratelimit.store-recovered', undefined)
  }

  /** A store call started in `epoch` threw or rejected with `error`. */
  failed(epoch: number, error: unknown): void {
    if (this.#down || epoch !== this.#epoch) return
    this.#down = true
    this.#epoch++
    this.#nextProbe = this.#options.clock.now() + this.#options.probeInterval
    this.#emit('ratelimit.store-unavailable', error)
  }

  #emit(type: RateLimitStoreEvent['type'], error: unknown): void {
    const { sinks, clock, limiter, store, fallback } = this.#options
    if (sinks.length === 0) return
    const event: RateLimitStoreEvent =
      type === 'ratelimit.store-unavailable'
        ? { type, time: clock.now(), limiter, store, fallback, error }
        : { type, time: clock.now(), limiter, store, fallback }
    for (const sink of sinks) {
      try {
        sink(event)
      } catch {
        // A broken sink must not turn a limiter decision into a failure.
      }
    }
  }
}
