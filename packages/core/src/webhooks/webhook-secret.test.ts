import { describe, expect, it } from 'vitest'
import { SecConfigError } from '../errors/index.js'
import { generateWebhookSecret, webhookSecretKey } from './webhook-secret.js'

describe('generateWebhookSecret', () => {
  it('writes whsec_ and the random bytes in base64', () => {
    expect(generateWebhookSecret((bytes) => bytes.fill(0xff))).toBe(`whsec_${'/'.repeat(42)}8=`)
    expect(generateWebhookSecret((bytes) => bytes.fill(0), 24)).toBe(`whsec_${'A'.repeat(32)}`)
    expect(generateWebhookSecret(undefined, 64)).toMatch(/^whsec_[A-Za-z0-9+/]{86}==$/)
    expect(generateWebhookSecret()).not.toBe(generateWebhookSecret())
  })

  it('round-trips through the secret parser', () => {
    for (const size of [24, 32, 48, 64]) {
      const secret = generateWebhookSecret(undefined, size)
      expect(webhookSecretKey('secret', secret)).toHaveLength(size)
    }
  })

  it('refuses sizes outside 24 to 64 bytes', () => {
    for (const size of [0, 23, 65, 32.5]) {
      expect(() => generateWebhookSecret(undefined, size)).toThrow(SecConfigError)
    }
    expect(() => generateWebhookSecret(undefined, 16)).toThrow(
      'generateWebhookSecret.size: must be a whole number of bytes from 24 to 64; got 16.',
    )
  })
})

describe('webhookSecretKey', () => {
  it('decodes the base64 after whsec_, or takes bytes as they are', () => {
    expect(Array.from(webhookSecretKey('s', `whsec_${'AQID'.repeat(8)}`))).toEqual(
      Array(8).fill([1, 2, 3]).flat(),
    )
    const raw = new Uint8Array(24).fill(7)
    expect(webhookSecretKey('s', raw)).toEqual(raw)
    expect(webhookSecretKey('s', raw)).not.toBe(raw)
  })

  it('explains each refusal without quoting the secret', () => {
    const body = 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
    const cases: [unknown, string][] = [
      [body, "s: must start with 'whsec_'"],
      [`whsec_${body}\n`, "s: must be 'whsec_' followed by padded standard base64"],
      [`whsec_${body.slice(1)}`, "s: must be 'whsec_' followed by padded standard base64"],
      [`whsec_${body.replace('M', '-')}`, "s: must be 'whsec_' followed by padded standard base64"],
      [`whsec_${body.slice(0, 28)}`, 's: is a 21-byte key; Standard Webhooks keys have at least 24 bytes.'],
      [new Uint8Array(0), 's: is a 0-byte key'],
      [null, "s: must be a 'whsec_…' string or the key bytes as a Uint8Array."],
    ]
    for (const [secret, message] of cases) {
      let error: unknown
      try {
        webhookSecretKey('s', secret)
      } catch (thrown) {
        error = thrown
      }
      expect(error).toBeInstanceOf(SecConfigError)
      expect((error as Error).message).toContain(message)
      expect((error as Error).message).not.toContain(body.slice(2, 20))
    }
  })
})
