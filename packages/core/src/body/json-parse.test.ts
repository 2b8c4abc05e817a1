import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SecProblemError } from '../problem/index.js'
import { type JsonLimits, parseJsonText } from './json-parse.js'

const limits: JsonLimits = { maxDepth: 32, maxKeys: 1000, maxItems: 10_000 }

function problemOf(text: string, given: JsonLimits = limits): unknown {
  try {
    parseJsonText(text, given)
  } catch (error) {
    if (error instanceof SecProblemError) return error.problem
    throw error
  }
  throw new Error('expected a problem')
}

const malformed = {
  detail: 'The body is not valid JSON.',
  type: 'urn:sec:problem:malformed-json',
  title: 'Malformed JSON',
  status: 400,
}

describe('parseJsonText', () => {
  it.each([
    ['{"a":1}', { a: 1 }],
    [' [1, "two", null, true, false, -0.5e3, {"b": []}] ', [1, 'two', null, true, false, -500, { b: [] }]],
    ['"just a string"', 'just a string'],
    ['42', 42],
    ['null', null],
    ['{"quote\\"key":"\\\\"}', { 'quote"key': '\\' }],
    ['{"a/b~c":{"\\u00e9":"\\ud83d\\ude00"}}', { 'a/b~c': { é: '😀' } }],
    ['{"__proto_":1,"constructors":2,"Prototype":3}', { __proto_: 1, constructors: 2, Prototype: 3 }],
  ])('parses %s', (text, value) => {
    expect(parseJsonText(text, limits)).toEqual(value)
  })

  it('builds plain objects', () => {
    const value = parseJsonText('{"a":{"b":1}}', limits) as Record<string, unknown>
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
  })

  it.each([
    '',
    '   ',
    '{',
    '}',
    '[1,]',
    '[,1]',
    '{"a":1,}',
    '{"a" 1}',
    '{"a":}',
    '{a:1}',
    "{'a':1}",
    '[1 2]',
    '{"a":1}{"b":2}',
    '{"a":1} x',
    '"unterminated',
    '"\\"',
    '{"a":1]',
    '[1}',
    'tru',
    'NaN',
    '01',
    '"tab\there"',
    '{"bad\\escape":1}',
    '"\\x41"',
    '\ufeff{}',
  ])('refuses malformed %j without quoting the parser', (text) => {
    expect(problemOf(text)).toEqual(malformed)
  })

  it.each([
    ['{"__proto__":{"admin":true}}', '/__proto__', '__proto__'],
    ['{"a":[{"b":{"constructor":{"prototype":{}}}}]}', '/a/0/b/constructor', 'constructor'],
    ['[[],[{"x":1,"prototype":1}]]', '/1/0/prototype', 'prototype'],
    ['{"\\u005f_proto__":1}', '/__proto__', '__proto__'],
    ['{"a/b":{"c~d":{"__proto__":1}}}', '/a~1b/c~0d/__proto__', '__proto__'],
  ])('refuses the prototype key in %s at its pointer', (text, pointer, key) => {
    expect(problemOf(text)).toEqual({
      detail: `The key "${key}" is not allowed.`,
      location: 'body',
      pointer,
      type: 'urn:sec:problem:forbidden-json-key',
      title: 'Forbidden JSON Key',
      status: 400,
    })
  })

  it.each([
    ['{"a":1,"a":2}', '/a'],
    ['{"a":1,"\\u0061":2}', '/a'],
    ['{"list":[{"id":1},{"id":2,"x":{"k":1,"k":1}}]}', '/list/1/x/k'],
    [`{${Array.from({ length: 40 }, (_, i) => `"k${i}":${i}`).join(',')},"k39":0}`, '/k39'],
  ])('refuses a repeated key in %s', (text, pointer) => {
    expect(problemOf(text)).toEqual({
      detail: 'The key appears more than once in the same object.',
      location: 'body',
      pointer,
      type: 'urn:sec:problem:duplicate-json-key',
      title: 'Duplicate JSON Key',
      status: 400,
    })
  })

  it('allows the same key in sibling and nested objects', () => {
    expect(parseJsonText('[{"a":1},{"a":2,"b":{"a":3}}]', limits)).toEqual([{ a: 1 }, { a: 2, b: { a: 3 } }])
  })

  it.each([['[1,"\\ud800"]'], ['{"k":"\\udc00x"}'], ['{"\\uDBFF":1}'], ['"\\ude00\\ud83d"']])(
    'refuses an escaped lone surrogate in %s',
    (text) => {
      expect(problemOf(text)).toEqual({
        detail: 'The body escapes a lone surrogate, which UTF-8 cannot encode.',
        type: 'urn:sec:problem:invalid-utf8',
        title: 'Invalid UTF-8',
        status: 400,
      })
    },
  )

  it('accepts an escaped backslash before u', () => {
    expect(parseJsonText('"\\\\ud800"', limits)).toBe('\\ud800')
  })

  it('refuses a nesting bomb of 100 000 arrays at its depth limit, without recursion', () => {
    const bomb = '['.repeat(100_000) + ']'.repeat(100_000)
    expect(problemOf(bomb)).toEqual({
      detail: 'The JSON nests deeper than 32 levels.',
      type: 'urn:sec:problem:json-too-complex',
      title: 'JSON Too Complex',
      status: 400,
    })
    expect(problemOf(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`)).toMatchObject({
      type: 'urn:sec:problem:json-too-complex',
    })
  })

  it('counts depth exactly', () => {
    const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth)
    expect(parseJsonText(nested(3), { ...limits, maxDepth: 3 })).toEqual([[[]]])
    expect(problemOf(nested(4), { ...limits, maxDepth: 3 })).toMatchObject({
      detail: 'The JSON nests deeper than 3 levels.',
    })
    expect(parseJsonText('{"a":[{}]}', { ...limits, maxDepth: 3 })).toEqual({ a: [{}] })
  })

  it('counts keys over the whole document', () => {
    const tight = { ...limits, maxKeys: 3 }
    expect(parseJsonText('{"a":{"b":1},"c":2}', tight)).toEqual({ a: { b: 1 }, c: 2 })
    expect(problemOf('{"a":{"b":1},"c":[{"d":1}]}', tight)).toEqual({
      detail: 'The JSON has more than 3 object keys.',
      type: 'urn:sec:problem:json-too-complex',
      title: 'JSON Too Complex',
      status: 400,
    })
  })

  it('counts array items over the whole document', () => {
    const tight = { ...limits, maxItems: 4 }
    expect(parseJsonText('[[1],[2]]', tight)).toEqual([[1], [2]])
    expect(problemOf('[[1],[2,3]]', tight)).toEqual({
      detail: 'The JSON has more than 4 array items.',
      type: 'urn:sec:problem:json-too-complex',
      title: 'JSON Too Complex',
      status: 400,
    })
  })

  it('reports the first problem in document order', () => {
    expect(problemOf('{"__proto__":1,"a":1,"a":2}')).toMatchObject({ pointer: '/__proto__' })
    expect(problemOf('{"a":1,"a":2,"__proto__":1}')).toMatchObject({ pointer: '/a' })
  })

  it('round-trips any JSON value within the limits', () => {
    const loose: JsonLimits = { maxDepth: 1000, maxKeys: 1_000_000, maxItems: 1_000_000 }
    fc.assert(
      fc.property(fc.jsonValue(), fc.boolean(), (value, pretty) => {
        const text = JSON.stringify(value, null, pretty ? 2 : undefined)
        const hasForbidden = /"(__proto__|constructor|prototype)":/.test(text)
        if (hasForbidden) expect(problemOf(text, loose)).toMatchObject({ status: 400 })
        else expect(parseJsonText(text, loose)).toEqual(JSON.parse(text))
      }),
    )
  })

  it('agrees with JSON.parse on arbitrary text: parses what it accepts, or answers a 400 problem', () => {
    const loose: JsonLimits = { maxDepth: 1000, maxKeys: 1_000_000, maxItems: 1_000_000 }
    const jsonish = fc.stringMatching(/^[[\]{}",:\\ a-z0-9_.\-+ud]*$/)
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), jsonish), (text) => {
        let value: unknown
        try {
          value = parseJsonText(text, loose)
        } catch (error) {
          expect(error).toBeInstanceOf(SecProblemError)
          expect((error as SecProblemError).problem.status).toBe(400)
          return
        }
        expect(value).toEqual(JSON.parse(text))
      }),
      { numRuns: 2000 },
    )
  })
})
