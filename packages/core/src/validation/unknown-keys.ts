import { pointerSegment } from '../body/json-pointer.js'
import type { ValidationError, ValidationLocation } from './issue-report.js'

// Deeper than any body the body guard lets through (maxDepth is at most 1000).
const maxWalkDepth = 1000

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

/**
 * Whether a value can hold keys to report. Scalars are skipped before their JSON pointer is built,
 * since most values of a body are scalars and the walk runs on every validated request.
 */
function isWalkable(value: unknown): value is object {
  return typeof value === 'object' && value !== null
}

/**
 * Reports, as `Unknown field`, every key of `input` that a successful schema left out of
 * `output`: how schemas that strip unknown keys (valibot `object`, zod's default) show them, so
 * the check works with any Standard Schema. It descends only where the output keeps the input's
 * shape (plain objects, arrays of the same length); a schema that transforms an object into
 * something else is not second-guessed, and one that keeps unknown keys (valibot `looseObject`,
 * zod `passthrough`, arktype's default) is taken at its word.
 */
export function collectUnknownKeys(
  errors: ValidationError[],
  maxErrors: number,
  location: ValidationLocation,
  input: unknown,
  output: unknown,
  pointer = '',
  depth = 0,
): void {
  if (input === output || depth > maxWalkDepth) return
  if (Array.isArray(input)) {
    if (!Array.isArray(output) || output.length !== input.length) return
    for (let k = 0; k < input.length && errors.length < maxErrors; k++) {
      const item: unknown = input[k]
      if (isWalkable(item))
        collectUnknownKeys(errors, maxErrors, location, item, output[k], `${pointer}/${k}`, depth + 1)
    }
    return
  }
  if (!isPlainRecord(input) || !isPlainRecord(output)) return
  for (const key of Object.keys(input)) {
    if (errors.length >= maxErrors) return
    if (!Object.hasOwn(output, key)) {
      errors.push({ location, path: `${pointer}/${pointerSegment(key)}`, message: 'Unknown field' })
      continue
    }
    const value = input[key]
    if (isWalkable(value)) {
      const path = `${pointer}/${pointerSegment(key)}`
      collectUnknownKeys(errors, maxErrors, location, value, output[key], path, depth + 1)
    }
  }
}
