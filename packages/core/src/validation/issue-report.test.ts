import type { StandardSchemaV1 } from '@standard-schema/spec'
import { describe, expect, it } from 'vitest'
import { issueMessage, issueSegments, reportIssues, type ValidationError } from './issue-report.js'

// Issues shaped as each library reports them, with the received value in `message`, `input`,
// `received` or `actual`: none of it may come out.
const issue = (fields: Record<string, unknown>): StandardSchemaV1.Issue =>
  ({ message: 'Invalid: received "s3cret"', ...fields }) as unknown as StandardSchemaV1.Issue

describe('issueMessage', () => {
  it.each([
    [{ kind: 'schema', type: 'string', expected: 'string', received: '"s3cret"' }, 'Expected string'],
    [{ kind: 'schema', type: 'picklist', expected: '"a" | "b"', input: 's3cret' }, 'Expected "a" | "b"'],
    [{ kind: 'schema', type: 'strict_object', expected: 'never' }, 'Unknown field'],
    [{ kind: 'schema', type: 'strict_tuple', expected: 'never' }, 'Unexpected item'],
    [{ kind: 'schema', type: 'custom', expected: null }, 'Invalid type'],
    [
      { kind: 'validation', type: 'max_length', expected: '<=3', received: '6' },
      'Invalid max length: expected <=3',
    ],
    [{ kind: 'validation', type: 'email', expected: null }, 'Invalid email'],
    [{ kind: 'validation', type: 'check', expected: null }, 'Invalid value'],
    [{ kind: 'transformation', type: 'transform' }, 'Invalid value'],
    [{ kind: 'schema', type: 'string', expected: `x${'y'.repeat(200)}` }, 'Invalid type'],
    [{ kind: 'schema', type: 'string', expected: 'line\nbreak' }, 'Invalid type'],
  ])('valibot %j gives %j', (fields, message) => {
    expect(issueMessage(issue(fields), 'valibot')).toBe(message)
  })

  it.each([
    [{ code: 'invalid_type', expected: 'string', received: 'number' }, 'Expected string'],
    [{ code: 'too_small', minimum: 3, inclusive: true, origin: 'string' }, 'Too small: expected >=3'],
    [{ code: 'too_small', minimum: 0, inclusive: false }, 'Too small: expected >0'],
    [{ code: 'too_big', maximum: 10n, inclusive: true }, 'Too big: expected <=10'],
    [{ code: 'too_big', maximum: 'ten' }, 'Too big'],
    [{ code: 'invalid_format', format: 'email', input: 's3cret' }, 'Invalid email'],
    [{ code: 'invalid_string', validation: 'url' }, 'Invalid url'],
    [{ code: 'invalid_string', validation: { includes: 's3cret' } }, 'Invalid format'],
    [{ code: 'not_multiple_of', divisor: 5 }, 'Expected a multiple of 5'],
    [{ code: 'invalid_value', values: ['a', 'b'] }, 'Invalid value'],
    [{ code: 'custom', params: { input: 's3cret' } }, 'Invalid value'],
  ])('zod issue %#', (fields, message) => {
    expect(issueMessage(issue(fields), 'zod')).toBe(message)
  })

  it.each([
    [{ code: 'domain', expected: 'a string', actual: 'a number (s3cret)' }, 'Expected a string'],
    [{ code: 'minLength', expected: 'at least length 3', actual: 'length 1' }, 'Expected at least length 3'],
    [{ code: 'predicate', expected: 'removed', actual: '' }, 'Unknown field'],
    [{ code: 'predicate' }, 'Invalid value'],
  ])('arktype %j gives %j', (fields, message) => {
    expect(issueMessage(issue(fields), 'arktype')).toBe(message)
  })

  it('gives any other vendor a fixed message', () => {
    expect(issueMessage(issue({ expected: 'string' }), 'notes')).toBe('Invalid value')
  })
})

describe('issueSegments', () => {
  it('accepts keys and path segments, and stops at keys that are not strings or numbers', () => {
    expect(issueSegments(issue({ path: ['a', { key: 0 }, { key: 'b' }] }))).toEqual(['a', 0, 'b'])
    expect(issueSegments(issue({ path: ['a', Symbol('s'), 'b'] }))).toEqual(['a'])
    expect(issueSegments(issue({ path: [{ key: 'a' }, { key: { object: 'key' } }] }))).toEqual(['a'])
    expect(issueSegments(issue({}))).toEqual([])
  })
})

describe('reportIssues', () => {
  const source = { location: 'body', vendor: 'zod', format: undefined } as const

  it('expands a zod unrecognized_keys issue into one Unknown field per key, within the cap', () => {
    const errors: ValidationError[] = []
    const keys = issue({ code: 'unrecognized_keys', keys: ['role', 'a/b', 7], path: ['user'] })
    reportIssues(errors, 2, source, [keys], { user: {} })
    expect(errors).toEqual([
      { location: 'body', path: '/user/role', message: 'Unknown field' },
      { location: 'body', path: '/user/a~1b', message: 'Unknown field' },
    ])
  })

  it('says Required where the input has nothing, whatever the vendor says', () => {
    const errors: ValidationError[] = []
    const missing = [
      issue({ code: 'invalid_type', expected: 'string', path: ['title'] }),
      issue({ code: 'invalid_type', expected: 'string', path: ['list', 2] }),
      issue({ code: 'invalid_type', expected: 'string', path: ['title', 'deeper'] }),
    ]
    reportIssues(errors, 20, source, missing, { list: ['a'] })
    expect(errors.map((error) => error.message)).toEqual(['Required', 'Required', 'Required'])
  })
})
