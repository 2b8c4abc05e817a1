import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { RandomSource } from '../pipeline/index.js'
import { crc32 } from './crc32.js'
import {
  apiKeyLength,
  apiKeyPrefix,
  apiKeySecretBits,
  base62Alphabet,
  formatApiKey,
  generateApiKeyId,
  isApiKeyId,
  looksLikeApiKey,
  parseApiKey,
} from './key-format.js'

/** A random source that replays the given bytes, cycling. */
function replay(bytes: readonly number[]): RandomSource {
  let i = 0
  return (out) => {
    for (let j = 0; j < out.length; j++) out[j] = bytes[i++ % bytes.length] as number
    return out
  }
}

const cryptoRandom: RandomSource = (bytes) => crypto.getRandomValues(bytes)

function newKey(
  random: RandomSource = cryptoRandom,
  kind: 'secret' | 'publishable' = 'secret',
  env: 'live' | 'test' = 'live',
) {
  return formatApiKey(kind, env, generateApiKeyId(random), random)
}

const shape = /^(sk|pk)_(live|test)_[0-9A-Za-z]{12}_[0-9A-Za-z]{28}$/

describe('formatApiKey', () => {
  it('builds prefix, id, secret and a base62 CRC-32 of everything before it', () => {
    const key = formatApiKey('secret', 'live', 'abcdefghijkl', replay([0, 1, 2, 61]))
    expect(key).toBe(`sk_live_abcdefghijkl_${'012z'.repeat(5)}01${key.slice(-6)}`)
    expect(key).toHaveLength(49)
    const checksum = [...key.slice(-6)].reduce((n, c) => n * 62 + base62Alphabet.indexOf(c), 0)
    expect(checksum).toBe(crc32(key.slice(0, 43)))
  })

  it('skips random bytes from 248 up, so every character is equally likely', () => {
    const key = formatApiKey('secret', 'test', '000000000000', replay([255, 248, 247, 62]))
    // 247 % 62 = 61 ('z'), 62 % 62 = 0 ('0'); 255 and 248 are dropped.
    expect(key.slice(21, 43)).toBe('z0'.repeat(11))
  })

  it('carries at least 128 bits of randomness in the secret, plus a 71-bit id', () => {
    expect(apiKeySecretBits).toBeGreaterThanOrEqual(128)
    expect(apiKeySecretBits).toBeCloseTo(130.99, 2)
    const key = newKey()
    expect(key.slice(21, 43)).toMatch(/^[0-9A-Za-z]{22}$/)
    expect(apiKeyLength).toBe(49)
    expect(new Set(Array.from({ length: 200 }, () => newKey())).size).toBe(200)
  })

  it('names kind and environment in a readable prefix', () => {
    expect(apiKeyPrefix('secret', 'live')).toBe('sk_live_')
    expect(apiKeyPrefix('secret', 'test')).toBe('sk_test_')
    expect(apiKeyPrefix('publishable', 'live')).toBe('pk_live_')
    expect(apiKeyPrefix('publishable', 'test')).toBe('pk_test_')
    expect(newKey(cryptoRandom, 'publishable', 'test')).toMatch(/^pk_test_/)
  })
})

describe('parseApiKey', () => {
  it('reads back what formatApiKey builds', () => {
    for (const kind of ['secret', 'publishable'] as const)
      for (const environment of ['live', 'test'] as const) {
        const id = generateApiKeyId(cryptoRandom)
        const key = formatApiKey(kind, environment, id, cryptoRandom)
        expect(key).toMatch(shape)
        expect(parseApiKey(key)).toEqual({ key, kind, environment, keyId: id })
      }
  })

  it('accepts the example of the documentation', () => {
    expect(parseApiKey('sk_live_7Gq2Lk9XbW4p_Rj3Vn8TzQ1cYh6Mf0Ks5Ad2Ab38Q')).toEqual({
      key: 'sk_live_7Gq2Lk9XbW4p_Rj3Vn8TzQ1cYh6Mf0Ks5Ad2Ab38Q',
      kind: 'secret',
      environment: 'live',
      keyId: '7Gq2Lk9XbW4p',
    })
  })

  it('refuses wrong prefixes, separators, lengths and alphabets', () => {
    const key = newKey()
    for (const bad of [
      '',
      'sk_live_',
      key.slice(0, -1),
      `${key}0`,
      `rk${key.slice(2)}`,
      `SK${key.slice(2)}`,
      `sk_prod${key.slice(7)}`,
      `${key.slice(0, 20)}-${key.slice(21)}`,
      `${key.slice(0, 30)}+${key.slice(31)}`,
      `${key.slice(0, 30)}é${key.slice(31)}`,
      ` ${key.slice(1)}`,
      `${key.slice(0, 43)}zzzzzz`,
    ])
      expect(parseApiKey(bad)).toBeUndefined()
  })

  it('refuses a checksum above 2^32 - 1 even when it is base62', () => {
    const key = newKey()
    expect(parseApiKey(`${key.slice(0, 43)}zzzzzz`)).toBeUndefined()
  })

  it('never throws and never validates random input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'binary', maxLength: 60 }),
          fc.string({ minLength: 49, maxLength: 49 }),
        ),
        (s) => {
          expect(parseApiKey(s)).toBeUndefined()
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('never validates well-shaped keys with a random checksum', () => {
    const base62 = fc.constantFrom(...base62Alphabet)
    const part = (n: number) => fc.array(base62, { minLength: n, maxLength: n }).map((cs) => cs.join(''))
    fc.assert(
      fc.property(
        fc.constantFrom('sk_live_', 'sk_test_', 'pk_live_'),
        part(12),
        part(28),
        (prefix, id, rest) => {
          expect(parseApiKey(`${prefix}${id}_${rest}`)).toBeUndefined()
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('rejects every single-character typo of a valid key by its checksum', () => {
    const candidates = `${base62Alphabet}_-+/=. `
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (seed) => {
        const key = newKey(replay([...seed].map((b) => b % 248)))
        expect(parseApiKey(key)).toBeDefined()
        for (let i = 0; i < key.length; i++)
          for (const c of candidates) {
            if (c === key[i]) continue
            expect(parseApiKey(key.slice(0, i) + c + key.slice(i + 1))).toBeUndefined()
          }
      }),
      { numRuns: 20 },
    )
    // About 60,000 parses: seconds on a machine busy with other suites.
  }, 60_000)

  it('rejects swapped neighbours, dropped and doubled characters', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 64, maxLength: 64 }), (seed) => {
        const key = newKey(replay([...seed].map((b) => b % 248)))
        for (let i = 0; i + 1 < key.length; i++) {
          if (key[i] !== key[i + 1])
            expect(parseApiKey(key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2))).toBeUndefined()
          expect(parseApiKey(key.slice(0, i) + key.slice(i + 1))).toBeUndefined()
          expect(parseApiKey(key.slice(0, i) + key[i] + key.slice(i))).toBeUndefined()
        }
      }),
      { numRuns: 50 },
    )
  })
})

describe('isApiKeyId', () => {
  it('accepts 12 base62 characters only', () => {
    expect(isApiKeyId(generateApiKeyId(cryptoRandom))).toBe(true)
    for (const bad of ['', 'abc', 'abcdefghijk_', 'abcdefghijklm', '../../etc/pa', 'abcdéfghijkl'])
      expect(isApiKeyId(bad)).toBe(false)
  })
})

describe('looksLikeApiKey', () => {
  it('spots the prefixes, checksum or not', () => {
    expect(looksLikeApiKey('sk_live_whatever')).toBe(true)
    expect(looksLikeApiKey('pk_test_')).toBe(true)
    expect(looksLikeApiKey('eyJhbGciOiJFUzI1NiJ9.e30.sig')).toBe(false)
    expect(looksLikeApiKey('sk_live')).toBe(false)
    expect(looksLikeApiKey('')).toBe(false)
  })
})
