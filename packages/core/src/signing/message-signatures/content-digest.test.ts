import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SecConfigError } from '../../errors/index.js'
import { contentDigest, verifyContentDigest } from './content-digest.js'

const body = '{"hello": "world"}'

describe('Content-Digest (RFC 9530)', () => {
  it('computes sha-256 by default and sha-512 on request, from text or bytes', async () => {
    expect(await contentDigest(body)).toBe('sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:')
    expect(await contentDigest(new TextEncoder().encode(body), 'sha-512')).toBe(
      'sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:',
    )
    expect(await contentDigest(new TextEncoder().encode(body).buffer)).toBe(await contentDigest(body))
    await expect(contentDigest(body, 'md5' as 'sha-256')).rejects.toBeInstanceOf(SecConfigError)
  })

  it('accepts a field whose every supported digest matches, ignoring other algorithms', async () => {
    const sha256 = await contentDigest(body)
    const sha512 = await contentDigest(body, 'sha-512')
    expect(await verifyContentDigest(sha256, body)).toBe(true)
    expect(await verifyContentDigest(`${sha256}, ${sha512}`, body)).toBe(true)
    expect(await verifyContentDigest(`md5=:AAAA:, ${sha512}, unixsum=1`, body)).toBe(true)
  })

  it('refuses a mismatch, a field without a supported digest, and malformed fields', async () => {
    const sha256 = await contentDigest(body)
    for (const field of [
      null,
      '',
      'md5=:AAAA:',
      `${sha256}, sha-512=:AAAA:`,
      'sha-256=:Y48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:',
      'sha-256="X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE="',
      'sha-256=(:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:)',
      'SHA-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:',
      `${sha256},`,
    ])
      expect(await verifyContentDigest(field, body), String(field)).toBe(false)
  })

  it('matches exactly the body it was computed for', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 128 }), fc.uint8Array({ maxLength: 128 }), async (a, b) => {
        const field = await contentDigest(a, 'sha-512')
        const same = a.length === b.length && a.every((byte, i) => byte === b[i])
        expect(await verifyContentDigest(field, b)).toBe(same)
        expect(await verifyContentDigest(field, a)).toBe(true)
      }),
    )
  })
})
