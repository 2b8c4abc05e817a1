import { type Clock, SecConfigError, systemClock } from '@sec/core'

/** The longest `timeoutMs` a store accepts: past a minute, a request waiting on Redis has failed anyway. */
const maxTimeoutMs = 60_000

/**
 * Checks that a store's `input` is an options object naming only `known` options, and returns it
 * (`{}` for `undefined` or `null`). Throws a `SecConfigError` at `${where}.options` or at the
 * unknown option's name.
 */
export function storeOptions(
  where: string,
  input: unknown,
  known: readonly string[],
): Readonly<Record<string, unknown>> {
  if (input === undefined || input === null) return {}
  if (typeof input !== 'object' || Array.isArray(input))
    throw new SecConfigError(`${where}.options`, `must be an object such as \`{ ${known.join(', ')} }\`.`)
  for (const name of Object.keys(input)) {
    if (!known.includes(name))
      throw new SecConfigError(
        `${where}.${name}`,
        'is not a known option. Remove it or check its spelling against the documentation.',
      )
  }
  return input as Readonly<Record<string, unknown>>
}

/** A key prefix: a string without `{` or `}`, since stores put their hash tags in braces. */
export function resolvePrefix(where: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback
  if (typeof value !== 'string')
    throw new SecConfigError(
      `${where}.prefix`,
      `must be a string such as '${fallback}'; got ${typeof value}.`,
    )
  if (value.includes('{') || value.includes('}'))
    throw new SecConfigError(
      `${where}.prefix`,
      'must not contain `{` or `}`: the store puts the key itself in braces as the Redis Cluster hash tag.',
    )
  return value
}

/** A call's time budget in milliseconds: above 0 and at most a minute. */
export function resolveTimeoutMs(where: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > maxTimeoutMs)
    throw new SecConfigError(
      `${where}.timeoutMs`,
      `must be a number of milliseconds above 0 and at most ${maxTimeoutMs}, such as ${fallback}; got ${String(value)}.`,
    )
  return value
}

/** A clock (`{ now(): number }`, ms since the epoch); `Date.now` when none is given. */
export function resolveClock(where: string, value: unknown): Clock {
  if (value === undefined) return systemClock
  if (typeof (value as Partial<Clock> | null)?.now !== 'function')
    throw new SecConfigError(
      `${where}.clock`,
      'must be an object with a now() method returning ms since the epoch, such as { now: () => Date.now() }.',
    )
  return value as Clock
}
