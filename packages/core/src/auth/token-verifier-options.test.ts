import { beforeAll, describe, expect, it } from 'vitest'
import { SecConfigError } from '../errors/index.js'
import { bearer } from './bearer-guard.js'
import { createKeyPair, type TestKeyPair } from './test-issuer.js'
import type { TokenVerifierOptions } from './token-verifier-options.js'
import { createTokenVerifier } from './verify-token.js'

const issuer = 'https://auth.example.com/'
const audience = 'https://api.example.com'
const jwks = 'https://auth.example.com/.well-known/jwks.json'
const secret = 'x'.repeat(32)

let rsa: TestKeyPair

beforeAll(async () => {
  rsa = await createKeyPair('RS256', 'rsa-1')
})

function refusal(options: unknown): SecConfigError {
  try {
    bearer(options as TokenVerifierOptions)
  } catch (error) {
    expect(error).toBeInstanceOf(SecConfigError)
    return error as SecConfigError
  }
  throw new Error('expected a SecConfigError')
}

describe('token verifier options', () => {
  it('accepts each key source alone', () => {
    expect(() => bearer({ issuer, audience, jwks })).not.toThrow()
    expect(() => bearer({ issuer, audience, keys: { keys: [rsa.publicJwk] } })).not.toThrow()
    expect(() => bearer({ issuer, audience, algorithms: ['HS256'], secret })).not.toThrow()
    expect(() =>
      bearer({ issuer: [issuer, 'https://old.example.com/'], audience: [audience], jwks }),
    ).not.toThrow()
    expect(() => bearer({ issuer, audience, jwks: 'http://localhost:8080/jwks.json' })).not.toThrow()
    expect(() => bearer({ issuer, audience, jwks: new URL('http://127.0.0.1/jwks') })).not.toThrow()
  })

  it('refuses HS256 next to asymmetric keys, a JWKS or asymmetric algorithms', () => {
    expect(refusal({ issuer, audience, jwks, secret, algorithms: ['HS256'] }).path).toBe('bearer.secret')
    expect(refusal({ issuer, audience, keys: { keys: [rsa.publicJwk] }, secret }).path).toBe('bearer.secret')
    expect(refusal({ issuer, audience, jwks, algorithms: ['HS256'] }).message).toBe(
      'bearer.algorithms: HS256 needs a secret and is refused with jwks or keys. Use an asymmetric algorithm with public keys, or a secret alone.',
    )
    expect(refusal({ issuer, audience, secret, algorithms: ['HS256', 'RS256'] }).message).toMatch(
      /^bearer\.algorithms: mixes HS256 with asymmetric algorithms/,
    )
  })

  it('refuses a secret unless HS256 is enabled explicitly, and a short one', () => {
    expect(refusal({ issuer, audience, secret }).message).toBe(
      "bearer.secret: needs HS256 to be enabled explicitly: set algorithms: ['HS256'].",
    )
    expect(refusal({ issuer, audience, secret: 'short', algorithms: ['HS256'] }).message).toMatch(
      /^bearer\.secret: is 5 bytes; HS256 needs at least 32 random bytes/,
    )
    expect(refusal({ issuer, audience, secret: new Uint8Array(31), algorithms: ['HS256'] }).path).toBe(
      'bearer.secret',
    )
  })

  it('refuses a verifier without keys, or with two key sources', () => {
    expect(refusal({ issuer, audience }).message).toBe(
      "bearer: needs keys to verify tokens: jwks (the issuer's key set URL), keys (a local JWK set) or secret (HS256).",
    )
    expect(refusal({ issuer, audience, jwks, keys: { keys: [rsa.publicJwk] } }).path).toBe('bearer.keys')
  })

  it('requires issuer and audience', () => {
    expect(refusal({ audience, jwks }).message).toBe(
      "bearer.issuer: is required: set the expected issuer claim, e.g. issuer: 'https://auth.example.com/'.",
    )
    expect(refusal({ issuer, jwks }).path).toBe('bearer.audience')
    expect(refusal({ issuer: '', audience, jwks }).path).toBe('bearer.issuer')
    expect(refusal({ issuer, audience: [], jwks }).path).toBe('bearer.audience')
    expect(refusal({ issuer, audience: [audience, 3], jwks }).path).toBe('bearer.audience[1]')
  })

  it('refuses none and unknown algorithms', () => {
    for (const alg of ['none', 'None', 'NONE'])
      expect(refusal({ issuer, audience, jwks, algorithms: ['RS256', alg] }).message).toBe(
        "bearer.algorithms[1]: 'none' would accept unsigned tokens that anyone can forge. Remove it.",
      )
    expect(refusal({ issuer, audience, jwks, algorithms: ['HS512'] }).path).toBe('bearer.algorithms[0]')
    expect(refusal({ issuer, audience, jwks, algorithms: ['rs256'] }).path).toBe('bearer.algorithms[0]')
    expect(refusal({ issuer, audience, jwks, algorithms: [] }).path).toBe('bearer.algorithms')
  })

  it('bounds the clock tolerance and the JWKS timeout', () => {
    expect(() => bearer({ issuer, audience, jwks, clockTolerance: '5m' })).not.toThrow()
    expect(refusal({ issuer, audience, jwks, clockTolerance: '6m' }).message).toBe(
      `bearer.clockTolerance: must be at most '5m': a larger tolerance keeps expired tokens alive; got "6m".`,
    )
    expect(refusal({ issuer, audience, jwks, clockTolerance: '30 seconds' }).path).toBe(
      'bearer.clockTolerance',
    )
    expect(refusal({ issuer, audience, jwks, jwksTimeout: '1m' }).path).toBe('bearer.jwksTimeout')
    expect(refusal({ issuer, audience, jwks, maxTokenAge: 0 }).path).toBe('bearer.maxTokenAge')
  })

  it('requires https for a remote key set, except on loopback', () => {
    expect(refusal({ issuer, audience, jwks: 'http://auth.example.com/jwks' }).path).toBe('bearer.jwks')
    expect(refusal({ issuer, audience, jwks: 'not a url' }).path).toBe('bearer.jwks')
    expect(refusal({ issuer, audience, jwks: 'https://user:pw@auth.example.com/jwks' }).path).toBe(
      'bearer.jwks',
    )
  })

  it('refuses private, symmetric or unusable keys in a local set', async () => {
    const { privateKey } = await import('jose').then((jose) =>
      jose.generateKeyPair('ES256', { extractable: true }),
    )
    const privateJwk = await import('jose').then((jose) => jose.exportJWK(privateKey))
    expect(refusal({ issuer, audience, keys: { keys: [privateJwk] } }).message).toBe(
      'bearer.keys.keys[0]: holds private key material ("d"). Publish and configure only the public part.',
    )
    expect(refusal({ issuer, audience, keys: { keys: [{ kty: 'oct', k: 'AAAA' }] } }).path).toBe(
      'bearer.keys.keys[0]',
    )
    expect(refusal({ issuer, audience, keys: { keys: [{ ...rsa.publicJwk, use: 'enc' }] } }).path).toBe(
      'bearer.keys.keys[0].use',
    )
    expect(refusal({ issuer, audience, algorithms: ['ES256'], keys: { keys: [rsa.publicJwk] } }).path).toBe(
      'bearer.keys.keys[0].alg',
    )
    expect(refusal({ issuer, audience, keys: { keys: [] } }).path).toBe('bearer.keys.keys')
    expect(refusal({ issuer, audience, keys: [rsa.publicJwk] }).path).toBe('bearer.keys')
  })

  it('refuses unknown options and malformed values', () => {
    expect(refusal({ issuer, audience, jwks, algorithm: ['RS256'] }).message).toBe(
      'bearer.algorithm: is not a known option. Remove it or check its spelling against the documentation.',
    )
    expect(refusal({ issuer, audience, jwks, cacheSize: -1 }).path).toBe('bearer.cacheSize')
    expect(refusal({ issuer, audience, jwks, revocationStore: {} }).path).toBe('bearer.revocationStore')
    expect(refusal({ issuer, audience, jwks, requiredClaims: [''] }).path).toBe('bearer.requiredClaims[0]')
  })

  it('names createTokenVerifier in its own errors', () => {
    expect(() => createTokenVerifier({ issuer, audience: '', jwks })).toThrow(
      /^createTokenVerifier\.audience:/,
    )
  })
})
