import type { EventSink, SecurityEvent } from '../events/index.js'

/** A source of time. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number
}

/** Fills the array with cryptographically secure random bytes and returns it (as `crypto.getRandomValues`). */
export type RandomSource = (bytes: Uint8Array<ArrayBuffer>) => Uint8Array<ArrayBuffer>

/** The system clock. */
export const systemClock: Clock = { now: () => Date.now() }

/** Web Crypto's random source. */
export const cryptoRandom: RandomSource = (bytes) => crypto.getRandomValues(bytes)

const hex = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

/** A version 4 UUID from the given random source. */
export function randomUuid(random: RandomSource): string {
  const b = random(new Uint8Array(16))
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80
  let out = ''
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) out += '-'
    out += hex[b[i] ?? 0]
  }
  return out
}

/** Settings every request of one `createSecurity` instance shares. */
export class Runtime {
  readonly clock: Clock
  readonly random: RandomSource
  readonly bodyLimit: number
  readonly #sinks: readonly EventSink[]

  constructor(clock: Clock, random: RandomSource, bodyLimit: number, sinks: readonly EventSink[]) {
    this.clock = clock
    this.random = random
    this.bodyLimit = bodyLimit
    this.#sinks = sinks
  }

  get hasSinks(): boolean {
    return this.#sinks.length > 0
  }

  newId(): string {
    return randomUuid(this.random)
  }

  emit(event: SecurityEvent): void {
    for (const sink of this.#sinks) {
      try {
        sink(event)
      } catch {
        // A broken sink must not turn a served request into a failed one.
      }
    }
  }
}
