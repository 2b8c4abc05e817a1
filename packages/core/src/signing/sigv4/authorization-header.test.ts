import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  maxAuthorizationLength,
  parseCredential,
  parseSignedHeaders,
  parseSigV4Authorization,
} from './authorization-header.js'

const algorithm = 'AWS4-HMAC-SHA256'
const signature = '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'
const valid = `${algorithm} Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`

describe('parseSigV4Authorization', () => {
  it('parses the three parts', () => {
    expect(parseSigV4Authorization(valid, algorithm)).toEqual({
      credential: {
        accessKeyId: 'AKIDEXAMPLE',
        date: '20150830',
        region: 'us-east-1',
        service: 'service',
        terminator: 'aws4_request',
      },
      signedHeaders: ['host', 'x-amz-date'],
      signature,
    })
  })

  it('accepts the parts in any order, with or without spaces after commas', () => {
    const reordered = `${algorithm}   Signature=${signature},SignedHeaders=host,  Credential=K/20150830/r/s/t`
    expect(parseSigV4Authorization(reordered, algorithm)?.credential.accessKeyId).toBe('K')
  })

  it('refuses everything else', () => {
    const bad = [
      '',
      algorithm,
      `${algorithm} `,
      valid.replace(algorithm, 'aws4-hmac-sha256'),
      valid.replace(algorithm, 'Bearer'),
      `${valid}, Signature=${signature}`,
      valid.replace('SignedHeaders=', 'Signedheaders='),
      valid.replace('Credential=', 'Credential ='),
      valid.replace(signature, signature.toUpperCase()),
      valid.replace(signature, signature.slice(1)),
      valid.replace('host;x-amz-date', 'x-amz-date;host'),
      valid.replace('host;x-amz-date', 'host;host;x-amz-date'),
      valid.replace('host;x-amz-date', 'Host;x-amz-date'),
      valid.replace('host;x-amz-date', 'authorization;host'),
      valid.replace('host;x-amz-date', ''),
      valid.replace('host;x-amz-date', 'host;;x-amz-date'),
      valid.replace('/aws4_request', ''),
      valid.replace('/aws4_request', '/aws4_request/x'),
      valid.replace('20150830', '2015083'),
      valid.replace('AKIDEXAMPLE', ''),
      valid.replace('AKIDEXAMPLE', 'AKID,EXAMPLE'),
      valid.replace('us-east-1', 'us east'),
      `${valid},`,
      valid.replace(', Signature', ' Signature'),
    ]
    for (const value of bad) expect(parseSigV4Authorization(value, algorithm), value).toBeUndefined()
  })

  it('refuses values over the length limit before parsing', () => {
    const padded = valid.replace(
      'SignedHeaders=host',
      `SignedHeaders=${'a'.repeat(maxAuthorizationLength)};host`,
    )
    expect(parseSigV4Authorization(padded, algorithm)).toBeUndefined()
  })

  it('never throws, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (value) => {
        parseSigV4Authorization(value, algorithm)
        parseSigV4Authorization(`${algorithm} ${value}`, algorithm)
      }),
    )
  })

  it('round-trips any well-formed header', () => {
    const element = fc.stringMatching(/^[A-Za-z0-9._~-]{1,20}$/)
    const names = fc.uniqueArray(fc.stringMatching(/^[a-z0-9-]{1,12}$/), { minLength: 1, maxLength: 10 })
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z0-9]{4,32}$/),
        element,
        element,
        element,
        names,
        fc.stringMatching(/^[0-9a-f]{64}$/),
        (accessKeyId, region, service, terminator, unsorted, sig) => {
          const headers = [...unsorted].sort()
          const header = `${algorithm} Credential=${accessKeyId}/20260115/${region}/${service}/${terminator}, SignedHeaders=${headers.join(';')}, Signature=${sig}`
          expect(parseSigV4Authorization(header, algorithm)).toEqual({
            credential: { accessKeyId, date: '20260115', region, service, terminator },
            signedHeaders: headers,
            signature: sig,
          })
        },
      ),
    )
  })
})

describe('parts', () => {
  it('parses credentials and signed header lists on their own', () => {
    expect(parseCredential('K/20150830/r/s/t')?.region).toBe('r')
    expect(parseCredential('K/20150830/r/s')).toBeUndefined()
    expect(parseSignedHeaders('a;b;c')).toEqual(['a', 'b', 'c'])
    expect(
      parseSignedHeaders(Array.from({ length: 65 }, (_, i) => `h${String(i).padStart(2, '0')}`).join(';')),
    ).toBeUndefined()
  })
})
