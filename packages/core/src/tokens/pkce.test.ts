import fc from 'fast-check'
import { base64url } from 'jose'
import { describe, expect, it } from 'vitest'
import vector from '../../../../../shared/conformance/vectors/pkce-rfc7636.json'
import {
  codeChallengeS256,
  createCodeVerifier,
  InvalidCodeVerifierError,
  isCodeVerifier,
  verifyCodeChallenge,
} from './pkce.js'

const unreserved = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~'
const verifierArbitrary = fc
  .array(fc.constantFrom(...unreserved), { minLength: 43, maxLength: 128 })
  .map((chars) => chars.join(''))

describe('PKCE (RFC 7636)', () => {
  it('computes the S256 challenge of the appendix B vector', async () => {
    expect(vector.code_challenge_method).toBe('S256')
    expect(await codeChallengeS256(vector.code_verifier)).toBe(vector.code_challenge)
    expect(await verifyCodeChallenge(vector.code_verifier, vector.code_challenge)).toBe(true)
    expect(await verifyCodeChallenge(vector.code_verifier, vector.code_challenge, 'S256')).toBe(true)
  })

  it('refuses the plain method, even when the challenge is the verifier itself', async () => {
    expect(await verifyCodeChallenge(vector.code_verifier, vector.code_verifier, 'plain')).toBe(false)
    expect(await verifyCodeChallenge(vector.code_verifier, vector.code_challenge, 'plain')).toBe(false)
    expect(await verifyCodeChallenge(vector.code_verifier, vector.code_challenge, 's256')).toBe(false)
    expect(await verifyCodeChallenge(vector.code_verifier, vector.code_verifier)).toBe(false)
  })

  it('refuses a wrong verifier or a tampered challenge', async () => {
    const other = `${vector.code_verifier.slice(0, -1)}A`
    expect(await verifyCodeChallenge(other, vector.code_challenge)).toBe(false)
    expect(await verifyCodeChallenge(vector.code_verifier, `${vector.code_challenge.slice(0, -1)}d`)).toBe(
      false,
    )
    expect(await verifyCodeChallenge(vector.code_verifier, `${vector.code_challenge}=`)).toBe(false)
    expect(await verifyCodeChallenge(vector.code_verifier, '')).toBe(false)
  })

  it('creates 43-character verifiers from the random source', () => {
    const fixed = createCodeVerifier((bytes) => bytes.fill(0xff))
    expect(fixed).toBe(`${'_'.repeat(42)}8`)
    expect(isCodeVerifier(fixed)).toBe(true)
    const a = createCodeVerifier()
    const b = createCodeVerifier()
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(a).not.toBe(b)
  })

  it('rejects malformed verifiers when computing a challenge', async () => {
    for (const bad of ['', 'a'.repeat(42), 'a'.repeat(129), `${'a'.repeat(42)} `, `${'a'.repeat(42)}+`]) {
      expect(isCodeVerifier(bad)).toBe(false)
      await expect(codeChallengeS256(bad)).rejects.toBeInstanceOf(InvalidCodeVerifierError)
      expect(await verifyCodeChallenge(bad, vector.code_challenge)).toBe(false)
    }
    await expect(codeChallengeS256('a'.repeat(42))).rejects.toMatchObject({ code: 'SEC_PKCE_VERIFIER' })
    expect(isCodeVerifier(42)).toBe(false)
  })

  it('accepts every well-formed verifier with its own challenge, and it only', async () => {
    await fc.assert(
      fc.asyncProperty(verifierArbitrary, verifierArbitrary, async (verifier, other) => {
        const challenge = await codeChallengeS256(verifier)
        expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/)
        expect(base64url.decode(challenge)).toHaveLength(32)
        expect(await verifyCodeChallenge(verifier, challenge)).toBe(true)
        expect(await verifyCodeChallenge(other, challenge)).toBe(other === verifier)
      }),
      { numRuns: 200 },
    )
  })

  it('answers false, never throws, for arbitrary input', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 200 }),
        fc.string({ maxLength: 60 }),
        fc.string(),
        async (v, c, m) => {
          const result = await verifyCodeChallenge(v, c, m)
          expect(typeof result).toBe('boolean')
          if (m !== 'S256') expect(result).toBe(false)
        },
      ),
      { numRuns: 300 },
    )
  })
})
