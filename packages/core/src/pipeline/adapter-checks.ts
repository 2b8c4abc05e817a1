import { configError } from '../config/index.js'
import type { Security } from './create-security.js'
import type { Guard } from './guard.js'

/**
 * Whether `value` is a {@link Guard}: an object with a string `name` and a `check` function. For
 * adapters that take guards outside `createSecurity()` and must refuse a typo at start-up.
 */
export function isGuard(value: unknown): value is Guard {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Guard).name === 'string' &&
    typeof (value as Guard).check === 'function'
  )
}

/**
 * Whether `value` is the {@link Security} `createSecurity()` returns (it has all four methods), so
 * an adapter can refuse anything else when it is set up rather than on the first request.
 */
export function isSecurity(value: unknown): value is Security {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Security).protect === 'function' &&
    typeof (value as Security).resume === 'function' &&
    typeof (value as Security).errorResponse === 'function' &&
    typeof (value as Security).statusResponse === 'function'
  )
}

/**
 * Checks a list of guards an adapter was given. Throws a `SecConfigError` at `path` when `value`
 * is not an array, or at `path[i]` for its first entry that is not a guard, showing `example`
 * (e.g. `'validate({ body })'`) as what to pass instead.
 */
export function assertGuards(
  value: unknown,
  path: string,
  example: string,
): asserts value is readonly Guard[] {
  if (!Array.isArray(value)) configError(path, `Expected an array of guards, e.g. [${example}].`)
  value.forEach((guard, index) => {
    if (!isGuard(guard)) {
      configError(
        `${path}[${index}]`,
        `Expected a guard (an object with a name and a check function), such as ${example}.`,
      )
    }
  })
}
