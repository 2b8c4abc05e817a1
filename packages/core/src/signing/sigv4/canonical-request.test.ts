import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalHeaderValue, canonicalRequest, credentialScope, stringToSign } from './canonical-request.js'

describe('canonical request', () => {
  it('trims header values and folds whitespace runs', () => {
    expect(canonicalHeaderValue('  "a   b   c"  ')).toBe('"a b c"')
    expect(canonicalHeaderValue('value1\n  value2\t\tvalue3')).toBe('value1 value2 value3')
    expect(canonicalHeaderValue('')).toBe('')
    expect(canonicalHeaderValue('a b')).toBe('a b')
    expect(canonicalHeaderValue('a\u00a0b\u2003')).toBe('a b')
  })

  it('leaves no whitespace at the ends and no run of it, for any value', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', ' ', '\t', '\n', '\u00a0', '\u3000', 'é') }),
        (value) => {
          const canonical = canonicalHeaderValue(value)
          expect(canonical).toBe(value.trim().replace(/\s+/g, ' '))
        },
      ),
    )
  })

  it('joins the lines of a repeated header with commas, in order', () => {
    expect(
      canonicalRequest({
        method: 'GET',
        path: '/',
        query: '',
        signedHeaders: ['host', 'my-header'],
        headerValues: [['h'], ['b ', ' a', 'b']],
        payloadHash: 'UNSIGNED-PAYLOAD',
      }),
    ).toBe('GET\n/\n\nhost:h\nmy-header:b,a,b\n\nhost;my-header\nUNSIGNED-PAYLOAD')
  })

  it('builds the scope and the string to sign', () => {
    const scope = credentialScope('20150830', 'us-east-1', 'iam', 'aws4_request')
    expect(scope).toBe('20150830/us-east-1/iam/aws4_request')
    expect(stringToSign('AWS4-HMAC-SHA256', '20150830T123600Z', scope, 'ab')).toBe(
      'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/iam/aws4_request\nab',
    )
  })
})
