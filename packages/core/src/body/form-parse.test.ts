import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SecProblemError } from '../problem/index.js'
import { fieldsToRecord, parseFormText } from './form-parse.js'

function problemOf(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    if (error instanceof SecProblemError) return error.problem
    throw error
  }
  throw new Error('expected a problem')
}

describe('parseFormText', () => {
  it.each([
    ['a=1&b=2', { a: '1', b: '2' }],
    ['tag=x&tag=y&tag=z&one=1', { tag: ['x', 'y', 'z'], one: '1' }],
    ['name=Ada+Lovelace&note=50%25+off%21', { name: 'Ada Lovelace', note: '50% off!' }],
    ['city=K%C3%B6ln&emoji=%F0%9F%98%80', { city: 'Köln', emoji: '😀' }],
    ['plus=%2B&amp=%26&eq=a%3Db', { plus: '+', amp: '&', eq: 'a=b' }],
    ['flag&empty=&=anon', { flag: '', empty: '', '': 'anon' }],
    ['&&a=1&&', { a: '1' }],
    ['a[b]=1&a.c=2', { 'a[b]': '1', 'a.c': '2' }],
    ['bad=%zz&half=%4', { bad: '%zz', half: '%4' }],
    [
      'toString=1&hasOwnProperty=2&valueOf=a&valueOf=b',
      { toString: '1', hasOwnProperty: '2', valueOf: ['a', 'b'] },
    ],
    ['raw=é', { raw: 'é' }],
  ])('parses %j', (text, fields) => {
    expect(parseFormText(text, 1000)).toEqual(fields)
  })

  it('matches URLSearchParams on well-formed forms', () => {
    const field = fc.string({ unit: 'grapheme' })
    fc.assert(
      fc.property(fc.array(fc.tuple(field, field), { maxLength: 8 }), (pairs) => {
        const text = new URLSearchParams(pairs).toString()
        const expected: Record<string, string | string[]> = {}
        for (const [name, value] of new URLSearchParams(text)) {
          if (['__proto__', 'constructor', 'prototype'].includes(name)) return
          const existing = expected[name]
          if (!Object.hasOwn(expected, name)) expected[name] = value
          else
            expected[name] = typeof existing === 'string' ? [existing, value] : [...(existing ?? []), value]
        }
        expect(parseFormText(text, 1000)).toEqual(expected)
      }),
    )
  })

  it.each([
    ['a=%C3%28', 'a'],
    ['%C0%AF=1', 'an overlong /'],
    ['a=%ED%A0%80', 'an encoded surrogate'],
    ['a=%C3', 'a truncated sequence'],
    ['a=%C3x%A9', 'a sequence split by a literal'],
  ])('refuses %j (%s) as invalid UTF-8', (text) => {
    expect(problemOf(() => parseFormText(text, 1000))).toEqual({
      detail: 'A percent-encoded form field is not valid UTF-8.',
      type: 'urn:sec:problem:invalid-utf8',
      title: 'Invalid UTF-8',
      status: 400,
    })
  })

  it.each([
    ['__proto__=1', '__proto__'],
    ['a=1&constructor=x', 'constructor'],
    ['%5F_proto__=1', '__proto__'],
    ['prototype', 'prototype'],
  ])('refuses the prototype key in %j', (text, key) => {
    expect(problemOf(() => parseFormText(text, 1000))).toEqual({
      detail: `The key "${key}" is not allowed.`,
      location: 'body',
      pointer: `/${key}`,
      type: 'urn:sec:problem:forbidden-json-key',
      title: 'Forbidden JSON Key',
      status: 400,
    })
  })

  it('counts every pair against the field limit', () => {
    expect(parseFormText('a=1&a=2', 2)).toEqual({ a: ['1', '2'] })
    expect(problemOf(() => parseFormText('a=1&a=2&a=3', 2))).toEqual({
      detail: 'The body has more than 2 fields.',
      type: 'urn:sec:problem:json-too-complex',
      title: 'JSON Too Complex',
      status: 400,
    })
  })
})

describe('fieldsToRecord', () => {
  it('names the query in its problems', () => {
    expect(problemOf(() => fieldsToRecord(new URLSearchParams('a=1&__proto__=2'), 'query', 10))).toEqual({
      detail: 'The key "__proto__" is not allowed.',
      location: 'query',
      pointer: '/__proto__',
      type: 'urn:sec:problem:forbidden-json-key',
      title: 'Forbidden JSON Key',
      status: 400,
    })
  })
})
