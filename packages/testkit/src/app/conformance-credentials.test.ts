import { createTokenVerifier, InvalidTokenError, parseApiKey } from '@sec/core'
import { describe, expect, it } from 'vitest'
import { createConformanceApiKeys } from './conformance-api-keys.js'
import {
  conformanceApiKeyGrants,
  conformanceApiKeys,
  conformanceAudience,
  conformanceIssuer,
  conformancePublicJwk,
  conformanceTokens,
} from './conformance-credentials.js'

/**
 * The private halves of the conformance issuer's key and of the forger's: throwaway Ed25519 keys
 * made for these fixtures, which sign nothing else. Kept here only to show how the tokens were made.
 */
const issuerPrivateJwk = { ...conformancePublicJwk, d: 'RWm3Yz5RnH0Bg-JSIasX4HikUnDZnvAd5o3KWAO4DZE' }
const forgerPrivateJwk = {
  kty: 'OKP',
  crv: 'Ed25519',
  x: 'QdqlMngOZ1Wv2s3vRwgaKrxzA3vEkvp0MXOkDMLaevM',
  d: 'C8L4Mk5qT_bC8lHsbuBezgzaXhrJ30EdLkxQXoQSDwI',
}

const header = { alg: 'EdDSA', kid: 'conformance-1', typ: 'at+jwt' }
const iat = Date.UTC(2026, 0, 1) / 1000
const exp = Date.UTC(2100, 0, 1) / 1000

function claims(sub: string, scope: string, roles: readonly string[], extra: Record<string, unknown> = {}) {
  return {
    iss: conformanceIssuer,
    aud: conformanceAudience,
    sub,
    scope,
    roles,
    jti: `tok_${sub}`,
    iat,
    exp,
    ...extra,
  }
}

const alicesClaims = claims('alice', 'notes:read notes:write', ['user'])

/** Every token's header and claims, exactly as written in it. */
const contents: Readonly<Record<keyof typeof conformanceTokens, readonly [unknown, unknown]>> = {
  alice: [header, alicesClaims],
  bob: [header, claims('bob', 'notes:write', ['user'])],
  admin: [header, claims('admin', 'notes:read notes:write', ['admin'])],
  expired: [header, { ...alicesClaims, jti: 'tok_alice_expired', exp: iat + 900 }],
  wrongAudience: [
    header,
    { ...alicesClaims, aud: 'https://other-api.example.com', jti: 'tok_alice_other_api' },
  ],
  foreignKey: [header, { ...alicesClaims, jti: 'tok_alice_forged' }],
  algNone: [
    { alg: 'none', typ: 'at+jwt' },
    { ...alicesClaims, jti: 'tok_alice_unsigned' },
  ],
}

const encoder = new TextEncoder()

function decodeSegment(segment: string): unknown {
  return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'))
}

/** What jose's `SignJWT` writes for these members: JSON in insertion order, base64url, EdDSA. */
async function sign(jwk: Record<string, unknown>, protectedHeader: unknown, payload: unknown) {
  const key = await crypto.subtle.importKey('jwk', jwk, { name: 'Ed25519' }, false, ['sign'])
  const input = `${Buffer.from(JSON.stringify(protectedHeader)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`
  const signature = await crypto.subtle.sign({ name: 'Ed25519' }, key, encoder.encode(input))
  return `${input}.${Buffer.from(signature).toString('base64url')}`
}

const verifier = createTokenVerifier({
  issuer: conformanceIssuer,
  audience: conformanceAudience,
  keys: { keys: [conformancePublicJwk] },
})

async function refusal(token: string): Promise<unknown> {
  const error = await verifier.verify(token).then(
    () => undefined,
    (reason: unknown) => reason,
  )
  return error instanceof InvalidTokenError ? error.reason : error
}

describe('conformance tokens', () => {
  it('carry exactly the header and claims documented', () => {
    for (const [name, token] of Object.entries(conformanceTokens)) {
      const [encodedHeader, encodedClaims] = token.split('.')
      expect([decodeSegment(encodedHeader ?? ''), decodeSegment(encodedClaims ?? '')], name).toEqual(
        contents[name as keyof typeof conformanceTokens],
      )
    }
  })

  it('are what signing their contents again gives (EdDSA is deterministic)', async () => {
    for (const name of ['alice', 'bob', 'admin', 'expired', 'wrongAudience'] as const) {
      const [protectedHeader, payload] = contents[name]
      expect(await sign(issuerPrivateJwk, protectedHeader, payload), name).toBe(conformanceTokens[name])
    }
    const [forgedHeader, forgedPayload] = contents.foreignKey
    expect(await sign(forgerPrivateJwk, forgedHeader, forgedPayload)).toBe(conformanceTokens.foreignKey)
    expect(conformanceTokens.algNone.endsWith('.')).toBe(true)
  })

  it('verify as their subjects, or are refused, each for its own reason', async () => {
    const alice = await verifier.verify(conformanceTokens.alice)
    expect(alice.principal).toEqual({
      id: 'alice',
      kind: 'user',
      scopes: ['notes:read', 'notes:write'],
      claims: alicesClaims,
    })
    expect((await verifier.verify(conformanceTokens.bob)).principal.scopes).toEqual(['notes:write'])
    expect((await verifier.verify(conformanceTokens.admin)).principal.claims.roles).toEqual(['admin'])
    expect(await refusal(conformanceTokens.expired)).toBe('expired')
    expect(await refusal(conformanceTokens.wrongAudience)).toBe('claims')
    expect(await refusal(conformanceTokens.foreignKey)).toBe('signature')
    // An empty signature fails the compact JWS syntax check before the algorithm is even read.
    expect(await refusal(conformanceTokens.algNone)).toBe('malformed')
  })
})

describe('conformance API keys', () => {
  it('are well-formed keys of the kind and environment their name gives', () => {
    expect(
      Object.values(conformanceApiKeys).map((key) => {
        const parsed = parseApiKey(key)
        return parsed && [parsed.kind, parsed.environment]
      }),
    ).toEqual([
      ['secret', 'live'],
      ['secret', 'live'],
      ['publishable', 'live'],
      ['secret', 'test'],
    ])
  })

  it('are all in the live deployment store, which refuses the test one', async () => {
    const keys = createConformanceApiKeys()
    for (const name of ['live', 'unscoped', 'publishable'] as const) {
      const result = await keys.verify(conformanceApiKeys[name])
      expect(result.valid, name).toBe(true)
      if (result.valid) {
        expect(result.metadata.owner).toBe(conformanceApiKeyGrants[name].owner)
        expect(result.metadata.scopes).toEqual(conformanceApiKeyGrants[name].scopes)
      }
    }
    expect(await keys.verify(conformanceApiKeys.testEnvironment)).toEqual({
      valid: false,
      refusal: 'wrong-environment',
    })
  })
})
