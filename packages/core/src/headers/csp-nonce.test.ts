import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createNonceSource, nonceBytes } from './csp-nonce.js'

describe('createNonceSource', () => {
  it('encodes 18 random bytes as standard base64, 24 characters without padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: nonceBytes, maxLength: nonceBytes }), (bytes) => {
        const next = createNonceSource((buffer) => {
          buffer.set(bytes)
          return buffer
        })
        expect(next()).toBe(btoa(String.fromCharCode(...bytes)))
      }),
    )
  })

  it('asks the random source for fresh bytes on every call', () => {
    let counter = 0
    const next = createNonceSource((buffer) => buffer.fill(counter++))
    expect([next(), next()]).toEqual(['AAAAAAAAAAAAAAAAAAAAAAAA', 'AQEBAQEBAQEBAQEBAQEBAQEB'])
  })
})
