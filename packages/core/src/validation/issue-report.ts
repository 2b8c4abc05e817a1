import type { StandardSchemaV1 } from '@standard-schema/spec'
import type { InputLocation } from '../body/body-problems.js'
import { jsonPointer } from '../body/json-pointer.js'

/** Where a validated value came from. */
export type ValidationLocation = InputLocation

/** One entry of a `validation-failed` problem's `errors`. */
export interface ValidationError {
  /** The part of the request. */
  readonly location: ValidationLocation
  /** An RFC 6901 JSON pointer into that part, e.g. `/tags/0`; `''` for the part itself. */
  readonly path: string
  /** What is wrong, built from the schema alone: never the value received, never a library's own text. */
  readonly message: string
}

/** Turns a schema issue into a message; return `undefined` to use the built-in one. */
export type IssueFormatter = (
  issue: StandardSchemaV1.Issue,
  location: ValidationLocation,
) => string | undefined

type Details = Readonly<Record<string, unknown>>

// What a schema expects is schema text, but keep it short and printable before echoing it.
const printable = /^[\x20-\x7e]{1,100}$/
const identifier = /^[a-z][a-z0-9_]{0,40}$/

function expectedText(details: Details): string | undefined {
  const expected = details.expected
  return typeof expected === 'string' && printable.test(expected) ? expected : undefined
}

function words(value: unknown): string | undefined {
  return typeof value === 'string' && identifier.test(value) ? value.replaceAll('_', ' ') : undefined
}

function bound(value: unknown): string | undefined {
  return typeof value === 'bigint' || (typeof value === 'number' && Number.isFinite(value))
    ? String(value)
    : undefined
}

function expecting(prefix: string, expected: string | undefined): string {
  return expected === undefined ? prefix : `${prefix}: expected ${expected}`
}

// valibot: `kind` is schema (a type check) or validation (an action in a pipe), `type` names it.
function valibotMessage(details: Details): string {
  const expected = expectedText(details)
  if (details.kind === 'schema') {
    if (expected === 'never' && details.type === 'strict_object') return 'Unknown field'
    if (expected === 'never' && details.type === 'strict_tuple') return 'Unexpected item'
    return expected === undefined ? 'Invalid type' : `Expected ${expected}`
  }
  const action = words(details.type)
  if (details.kind !== 'validation' || action === undefined || action === 'check' || action === 'custom')
    return 'Invalid value'
  return expecting(`Invalid ${action}`, expected)
}

// zod 3 and 4: `code` names the failure; bounds and formats sit in their own fields.
function zodMessage(details: Details): string {
  switch (details.code) {
    case 'invalid_type': {
      const expected = expectedText(details)
      return expected === undefined ? 'Invalid type' : `Expected ${expected}`
    }
    case 'too_small': {
      const minimum = bound(details.minimum)
      return expecting('Too small', minimum && `${details.inclusive === false ? '>' : '>='}${minimum}`)
    }
    case 'too_big': {
      const maximum = bound(details.maximum)
      return expecting('Too big', maximum && `${details.inclusive === false ? '<' : '<='}${maximum}`)
    }
    case 'invalid_format':
    case 'invalid_string': {
      const format = words(details.format ?? details.validation)
      return format === undefined ? 'Invalid format' : `Invalid ${format}`
    }
    case 'not_multiple_of': {
      const divisor = bound(details.divisor ?? details.multipleOf)
      return divisor === undefined ? 'Invalid value' : `Expected a multiple of ${divisor}`
    }
    default:
      return 'Invalid value'
  }
}

// arktype: `expected` describes the constraint ("a string", "at least length 3").
function arktypeMessage(details: Details): string {
  const expected = expectedText(details)
  if (details.code === 'predicate' && expected === 'removed') return 'Unknown field'
  return expected === undefined ? 'Invalid value' : `Expected ${expected}`
}

/**
 * The built-in message of an issue. Libraries put the received value in their messages
 * (valibot: "Invalid type: Expected string but received 123"), so the message is rebuilt from
 * the issue's structured fields and the vendor's conventions; an unknown vendor gets
 * `Invalid value`.
 */
export function issueMessage(issue: StandardSchemaV1.Issue, vendor: string): string {
  const details = issue as unknown as Details
  if (vendor === 'valibot') return valibotMessage(details)
  if (vendor === 'zod') return zodMessage(details)
  if (vendor === 'arktype') return arktypeMessage(details)
  return 'Invalid value'
}

/** The path of an issue as pointer segments, cut before any key that is not a string or number. */
export function issueSegments(issue: StandardSchemaV1.Issue): (string | number)[] {
  const segments: (string | number)[] = []
  for (const item of issue.path ?? []) {
    const key = typeof item === 'object' && item !== null ? item.key : item
    if (typeof key !== 'string' && typeof key !== 'number') break
    segments.push(key)
  }
  return segments
}

// Whether the input lacks the value the issue points at: then the honest message is "Required",
// whatever the library calls it.
function isMissing(root: unknown, segments: readonly (string | number)[]): boolean {
  let node = root
  for (const segment of segments) {
    if (typeof node !== 'object' || node === null) return false
    if (!Object.hasOwn(node, segment)) return true
    node = (node as Record<string | number, unknown>)[segment]
  }
  return node === undefined
}

/** Settings shared by every issue of one part of the request. */
export interface IssueSource {
  readonly location: ValidationLocation
  readonly vendor: string
  readonly format: IssueFormatter | undefined
}

/**
 * Appends the issues of one part to `errors`, up to `maxErrors` entries in all. A zod
 * `unrecognized_keys` issue becomes one `Unknown field` entry per key.
 */
export function reportIssues(
  errors: ValidationError[],
  maxErrors: number,
  source: IssueSource,
  issues: readonly StandardSchemaV1.Issue[],
  root: unknown,
): void {
  const { location, vendor, format } = source
  for (const issue of issues) {
    if (errors.length >= maxErrors) return
    const segments = issueSegments(issue)
    const keys = (issue as unknown as Details).keys
    if (
      vendor === 'zod' &&
      (issue as unknown as Details).code === 'unrecognized_keys' &&
      Array.isArray(keys)
    ) {
      for (const key of keys) {
        if (typeof key !== 'string' || errors.length >= maxErrors) continue
        errors.push({ location, path: jsonPointer([...segments, key]), message: 'Unknown field' })
      }
      continue
    }
    const custom = format?.(issue, location)
    const message = custom ?? (isMissing(root, segments) ? 'Required' : issueMessage(issue, vendor))
    errors.push({ location, path: jsonPointer(segments), message })
  }
}
