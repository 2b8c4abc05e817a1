import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeBase64, encodeBase64 } from './base64.js'
import { parseSfDictionary, parseSfItem, parseSfList } from './parse-structured-field.js'
import {
  serializeSfBareItem,
  serializeSfDictionary,
  serializeSfItem,
  serializeSfList,
} from './serialize-structured-field.js'
import {
  type SfBareItem,
  type SfDictionary,
  type SfInnerList,
  type SfItem,
  type SfList,
  type SfMember,
  StructuredFieldError,
} from './structured-fields.js'

const roundItem = (text: string) => serializeSfItem(parseSfItem(text))
const roundList = (text: string) => serializeSfList(parseSfList(text))
const roundDictionary = (text: string) => serializeSfDictionary(parseSfDictionary(text))

describe('base64', () => {
  it('encodes with padding and decodes strictly', () => {
    const text = new TextEncoder().encode('pretend this is binary content.')
    expect(encodeBase64(text)).toBe('cHJldGVuZCB0aGlzIGlzIGJpbmFyeSBjb250ZW50Lg==')
    expect(decodeBase64('cHJldGVuZCB0aGlzIGlzIGJpbmFyeSBjb250ZW50Lg==')).toEqual(text)
    expect(decodeBase64('cHJldGVuZCB0aGlzIGlzIGJpbmFyeSBjb250ZW50Lg')).toEqual(text)
    expect(decodeBase64('')).toEqual(new Uint8Array(0))
    for (const bad of ['a', 'ab=c', 'a===', '=', 'ab cd', 'ab-_', 'abc==', 'é'])
      expect(decodeBase64(bad), bad).toBeUndefined()
  })

  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(decodeBase64(encodeBase64(bytes))).toEqual(bytes)
      }),
    )
  })
})

describe('structured field parsing (RFC 8941)', () => {
  it('parses each bare item type', () => {
    expect(parseSfItem('42').value).toEqual({ type: 'integer', value: 42 })
    expect(parseSfItem('-0').value).toEqual({ type: 'integer', value: 0 })
    expect(parseSfItem('-999999999999999').value).toEqual({ type: 'integer', value: -999999999999999 })
    expect(parseSfItem('4.5').value).toEqual({ type: 'decimal', value: 4.5 })
    expect(parseSfItem('-123456789012.123').value).toEqual({ type: 'decimal', value: -123456789012.123 })
    expect(parseSfItem('"a \\"quoted\\" \\\\ string"').value).toEqual({
      type: 'string',
      value: 'a "quoted" \\ string',
    })
    expect(parseSfItem('*foo:bar/baz').value).toEqual({ type: 'token', value: '*foo:bar/baz' })
    expect(parseSfItem(':cHJldGVuZA==:').value).toEqual({
      type: 'byte-sequence',
      value: new TextEncoder().encode('pretend'),
    })
    expect(parseSfItem('?1').value).toEqual({ type: 'boolean', value: true })
    expect(parseSfItem('?0').value).toEqual({ type: 'boolean', value: false })
  })

  it('keeps parameters in order, a repeated one at its first place with its last value', () => {
    const item = parseSfItem('text/html;charset=utf-8;q=0.5;x;charset=latin1')
    expect([...item.params]).toEqual([
      ['charset', { type: 'token', value: 'latin1' }],
      ['q', { type: 'decimal', value: 0.5 }],
      ['x', { type: 'boolean', value: true }],
    ])
  })

  it('re-serializes canonically', () => {
    expect(roundItem('  abc;a=1;b  ')).toBe('abc;a=1;b')
    expect(roundItem('1.50')).toBe('1.5')
    expect(roundItem('1.000')).toBe('1.0')
    expect(roundItem('a; b=?1')).toBe('a;b')
    expect(roundItem(':cHJldGVuZA:')).toBe(':cHJldGVuZA==:')
    expect(roundList('a,b,\t c')).toBe('a, b, c')
    expect(roundList('(  a   b  );x=1, ()')).toBe('(a b);x=1, ()')
    expect(roundList('')).toBe('')
    expect(roundDictionary('a=1,    b=2;x=1;y=2,   c=(a   b   c), d')).toBe('a=1, b=2;x=1;y=2, c=(a b c), d')
    expect(roundDictionary('a=?1;p, b=?0')).toBe('a;p, b=?0')
    expect(roundDictionary('a=1, b=2, a=3')).toBe('a=3, b=2')
  })

  it('refuses invalid values', () => {
    const items = [
      '',
      ' ',
      '1 2',
      '1;',
      '1 ;a',
      'a;A=1',
      '1234567890123456',
      '1234567890123.0',
      '1.',
      '1.1234',
      '--1',
      '-',
      '"unterminated',
      '"bad \\x escape"',
      '"tab\there"',
      ':a:',
      ':ab=c:',
      ':a b:',
      ':unterminated',
      '?2',
      '?',
      '&',
      'é',
      '\ta',
      'a\t',
      '(a b',
      '(a,b)',
      '(a)(b)',
      '1.2.3',
    ]
    for (const text of items)
      expect(() => parseSfItem(text), JSON.stringify(text)).toThrow(StructuredFieldError)
    for (const text of ['a,', ',a', 'a,,b', 'a b', '(a b)x', 'a;', '\ta'])
      expect(() => parseSfList(text), JSON.stringify(text)).toThrow(StructuredFieldError)
    for (const text of ['a=1,', 'A=1', '1=1', 'a=1 b=2', 'a=', 'a=(1', '=1', 'a=1;;b'])
      expect(() => parseSfDictionary(text), JSON.stringify(text)).toThrow(StructuredFieldError)
    expect(() => parseSfDictionary('a=1, b=2, a=3', { rejectDuplicateKeys: true })).toThrow(
      StructuredFieldError,
    )
  })

  it('refuses values it cannot serialize', () => {
    expect(() => serializeSfBareItem({ type: 'integer', value: 1e15 })).toThrow(StructuredFieldError)
    expect(() => serializeSfBareItem({ type: 'integer', value: 1.5 })).toThrow(StructuredFieldError)
    expect(() => serializeSfBareItem({ type: 'decimal', value: 1e12 })).toThrow(StructuredFieldError)
    expect(() => serializeSfBareItem({ type: 'string', value: 'é' })).toThrow(StructuredFieldError)
    expect(() => serializeSfBareItem({ type: 'token', value: '1a' })).toThrow(StructuredFieldError)
    expect(() => serializeSfDictionary(new Map([['A', parseSfItem('1')]]))).toThrow(StructuredFieldError)
  })
})

const keyArbitrary = fc.stringMatching(/^[a-z*][a-z0-9_\-.*]{0,6}$/)
const bareItemArbitrary: fc.Arbitrary<SfBareItem> = fc.oneof(
  fc
    .integer({ min: -999_999_999, max: 999_999_999 })
    .chain((high) =>
      fc.integer({ min: 0, max: 999_999 }).map((low) => high * 1_000_000 + (high < 0 ? -low : low)),
    )
    .filter((n) => Math.abs(n) <= 999_999_999_999_999)
    .map((value) => ({ type: 'integer' as const, value: value === 0 ? 0 : value })),
  fc
    .integer({ min: -999_999_999, max: 999_999_999 })
    .chain((high) =>
      fc.integer({ min: 0, max: 999_999 }).map((low) => (high * 1_000_000 + (high < 0 ? -low : low)) / 1000),
    )
    .map((value) => ({ type: 'decimal' as const, value: value === 0 ? 0 : value })),
  fc
    .string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) })
    .map((value) => ({ type: 'string' as const, value })),
  fc
    .stringMatching(/^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]{0,8}$/)
    .map((value) => ({ type: 'token' as const, value })),
  fc.uint8Array({ maxLength: 24 }).map((value) => ({ type: 'byte-sequence' as const, value })),
  fc.boolean().map((value) => ({ type: 'boolean' as const, value })),
)
const paramsArbitrary = fc
  .array(fc.tuple(keyArbitrary, bareItemArbitrary), { maxLength: 3 })
  .map((entries) => new Map(entries))
const itemArbitrary: fc.Arbitrary<SfItem> = fc.record({
  kind: fc.constant('item' as const),
  value: bareItemArbitrary,
  params: paramsArbitrary,
})
const innerListArbitrary: fc.Arbitrary<SfInnerList> = fc.record({
  kind: fc.constant('inner-list' as const),
  items: fc.array(itemArbitrary, { maxLength: 3 }),
  params: paramsArbitrary,
})
const memberArbitrary: fc.Arbitrary<SfMember> = fc.oneof(itemArbitrary, innerListArbitrary)
const listArbitrary: fc.Arbitrary<SfList> = fc.array(memberArbitrary, { maxLength: 4 })
const dictionaryArbitrary: fc.Arbitrary<SfDictionary> = fc
  .array(fc.tuple(keyArbitrary, memberArbitrary), { maxLength: 4 })
  .map((entries) => new Map(entries))

/** Text made of the characters structured fields use, so random input often gets deep into the parser. */
const sfText = fc.string({
  unit: fc.constantFrom(...'abz09*-_.:/;=,()"\\?  \t AZ+%é\u0100\u{1F600}'.split('')),
  maxLength: 60,
})

function stable(parse: (text: string) => unknown, serialize: (value: never) => string) {
  return (text: string) => {
    let value: unknown
    try {
      value = parse(text)
    } catch (error) {
      expect(error).toBeInstanceOf(StructuredFieldError)
      return
    }
    const once = serialize(value as never)
    expect(serialize(parse(once) as never)).toBe(once)
  }
}

describe('structured field properties', () => {
  it('parses what it serializes back to the same value', () => {
    fc.assert(
      fc.property(itemArbitrary, (item) => {
        expect(parseSfItem(serializeSfItem(item))).toEqual(item)
      }),
    )
    fc.assert(
      fc.property(listArbitrary, (list) => {
        expect(parseSfList(serializeSfList(list))).toEqual(list)
      }),
    )
    fc.assert(
      fc.property(dictionaryArbitrary, (dictionary) => {
        expect(parseSfDictionary(serializeSfDictionary(dictionary))).toEqual(dictionary)
      }),
    )
  })

  it('either refuses random text with a StructuredFieldError or parses it to a stable serialization', () => {
    for (const text of [sfText, fc.string(), fc.string({ unit: 'binary' })]) {
      fc.assert(fc.property(text, stable(parseSfItem, serializeSfItem)), { numRuns: 300 })
      fc.assert(fc.property(text, stable(parseSfList, serializeSfList)), { numRuns: 300 })
      fc.assert(fc.property(text, stable(parseSfDictionary, serializeSfDictionary)), { numRuns: 300 })
    }
  })

  it('parses huge values in one pass', () => {
    const members = Array.from({ length: 20_000 }, (_, i) => `k${i}=("a" "b");p=${i}`).join(', ')
    expect(parseSfDictionary(members).size).toBe(20_000)
    expect(() => parseSfDictionary(`a="${'x'.repeat(1_000_000)}`)).toThrow(StructuredFieldError)
    expect(() => parseSfList('('.repeat(100_000))).toThrow(StructuredFieldError)
    expect(parseSfItem(`:${'A'.repeat(400_000)}:`).value.type).toBe('byte-sequence')
  })
})
