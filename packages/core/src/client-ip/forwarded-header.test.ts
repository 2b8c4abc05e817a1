import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { forwardedSeparator, parseForwardedElement } from './forwarded-header.js'
import { ListFromRight, lastListElement } from './header-list.js'

const drain = (cursor: { next(): string | undefined }) => {
  const out: string[] = []
  for (let item = cursor.next(); item !== undefined; item = cursor.next()) out.push(item)
  return out
}

describe('ListFromRight', () => {
  it.each([
    [[], []],
    [[''], []],
    [['a'], ['a']],
    [['a, b,c'], ['c', 'b', 'a']],
    [
      ['a', 'b, c'],
      ['c', 'b', 'a'],
    ],
    [
      [' a ,, ,b ', '', ',c,'],
      ['c', 'b', 'a'],
    ],
    [[','], []],
    [['a,'], ['a']],
    [[',a'], ['a']],
  ])('reads %j from the right as %j', (lines, expected) => {
    expect(drain(new ListFromRight(lines))).toEqual(expected)
  })

  it('reads every element of any header, from the right, like a split', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 4 }), (lines) => {
        const expected = lines
          .flatMap((line) => line.split(','))
          .map((item) => item.trim())
          .filter((item) => item !== '')
          .reverse()
        expect(drain(new ListFromRight(lines))).toEqual(expected)
      }),
    )
  })

  it('gives the last element of a list', () => {
    expect(lastListElement([])).toBeUndefined()
    expect(lastListElement(['https, http'])).toBe('http')
    expect(lastListElement(['http', 'https'])).toBe('https')
    expect(lastListElement(['https', ' ,'])).toBe('https')
  })
})

describe('ListFromRight with forwardedSeparator', () => {
  it.each([
    [['for=a'], ['for=a']],
    [['for=a, for=b;proto=https'], ['for=b;proto=https', 'for=a']],
    [
      ['for=a', 'for=b'],
      ['for=b', 'for=a'],
    ],
    [['for="a,b";host=x, for=c'], ['for=c', 'for="a,b";host=x']],
    [['for="a\\",b", for=c'], ['for=c', 'for="a\\",b"']],
    [['for="a\\\\", for=c'], ['for=c', 'for="a\\\\"']],
    [[' , ,for=a,,'], ['for=a']],
  ])('splits %j into %j', (lines, expected) => {
    expect(drain(new ListFromRight(lines, forwardedSeparator))).toEqual(expected)
  })

  it('keeps an unbalanced quote on the left from swallowing the elements appended on its right', () => {
    const elements = drain(
      new ListFromRight(['for="evil, x=", for=192.0.2.1;proto=http'], forwardedSeparator),
    )
    expect(elements[0]).toBe('for=192.0.2.1;proto=http')
    expect(parseForwardedElement(elements[0] as string)).toEqual({
      for: '192.0.2.1',
      proto: 'http',
      host: undefined,
    })
  })

  it('never throws and never loops on any header', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: fc.constantFrom(...'for=";,\\ a[]:1_'), maxLength: 40 }), {
          maxLength: 3,
        }),
        (lines) => {
          const elements = drain(new ListFromRight(lines, forwardedSeparator))
          expect(elements.length).toBeLessThanOrEqual(lines.join(',').length)
          for (const element of elements) parseForwardedElement(element)
        },
      ),
      { numRuns: 1000 },
    )
  })
})

describe('parseForwardedElement', () => {
  it.each([
    ['for=192.0.2.60;proto=http;by=203.0.113.43', { for: '192.0.2.60', proto: 'http', host: undefined }],
    ['for="_gazonk"', { for: '_gazonk', proto: undefined, host: undefined }],
    [
      'For="[2001:db8:cafe::17]:4711"',
      { for: '[2001:db8:cafe::17]:4711', proto: undefined, host: undefined },
    ],
    [
      'for=192.0.2.43;host="api.example.com:8443"',
      { for: '192.0.2.43', proto: undefined, host: 'api.example.com:8443' },
    ],
    [
      'PROTO=https; HOST=api.example.com; for=unknown',
      { for: 'unknown', proto: 'https', host: 'api.example.com' },
    ],
    ['for=2001:db8::1', { for: '2001:db8::1', proto: undefined, host: undefined }],
    ['for=[2001:db8::1]:80', { for: '[2001:db8::1]:80', proto: undefined, host: undefined }],
    ['for="a\\"b\\\\c"', { for: 'a"b\\c', proto: undefined, host: undefined }],
    [';;for=a;', { for: 'a', proto: undefined, host: undefined }],
    ['ext=value;for=a', { for: 'a', proto: undefined, host: undefined }],
    ['', { for: undefined, proto: undefined, host: undefined }],
  ])('parses %j', (text, expected) => {
    expect(parseForwardedElement(text)).toEqual(expected)
  })

  it.each([
    'for',
    'for=',
    'for= a',
    'for =a',
    '=a',
    'for=a b',
    'for="a',
    'for="a"b',
    'for="a\\',
    'for=a;for=b',
    'FOR=a;for=b',
    'by=a;by=b',
    'for=a"b"',
    'f(o)r=a',
    'for="a\u0000b"',
    'for=café',
  ])('refuses %j', (text) => {
    expect(parseForwardedElement(text)).toBeUndefined()
  })

  it('never throws', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        parseForwardedElement(text)
      }),
      { numRuns: 2000 },
    )
  })
})
