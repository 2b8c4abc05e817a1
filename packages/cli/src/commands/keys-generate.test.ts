import {
  createApiKeys,
  formatApiKey,
  generateApiKeyId,
  memoryApiKeyStore,
  parseApiKey,
} from '@sec/core/apikeys'
import { describe, expect, it } from 'vitest'
import { jwkThumbprint } from '../keys/jwk-thumbprint.js'
import { countingRandom } from '../testing/memory-io.js'
import { runSec, usageLines } from '../testing/run-sec.js'
import { keysGenerateApiKeyCommand } from './keys-generate-api-key.js'
import { keysGenerateHmacCommand } from './keys-generate-hmac.js'
import { keysGenerateJwkCommand } from './keys-generate-jwk.js'
import { keysGenerateWebhookCommand } from './keys-generate-webhook.js'

const randomBytes = (size: number) => countingRandom()(new Uint8Array(size))

describe('sec keys generate hmac', () => {
  const usage = (message: string) =>
    usageLines('sec keys generate hmac', keysGenerateHmacCommand.usage, message)

  it('prints 32 random bytes in base64url', async () => {
    expect(await runSec(['keys', 'generate', 'hmac'])).toMatchObject({
      code: 0,
      stderr: '',
      stdout: `${Buffer.from(randomBytes(32)).toString('base64url')}\n`,
    })
    const long = await runSec(['keys', 'generate', 'hmac', '--bytes', '64'])
    expect(Buffer.from(long.stdout.trim(), 'base64url')).toHaveLength(64)
  })

  it('writes a new file readable only by its owner with --out', async () => {
    const result = await runSec(['keys', 'generate', 'hmac', '--out', 'secret.txt'])
    expect(result).toMatchObject({
      code: 0,
      stdout: '',
      stderr: 'wrote the HMAC secret to secret.txt (mode 0600)\n',
    })
    expect(result.io.written.get('secret.txt')).toEqual({
      data: `${Buffer.from(randomBytes(32)).toString('base64url')}\n`,
      mode: 0o600,
    })
    expect(
      await runSec(['keys', 'generate', 'hmac', '--out', 'secret.txt'], { files: { 'secret.txt': 'old' } }),
    ).toMatchObject({
      code: 2,
      stdout: '',
      stderr: usage('cannot write --out secret.txt: the file already exists'),
    })
  })

  it.each([
    [['--bytes', '16'], '--bytes must be a whole number from 32 to 1024'],
    [['--bytes', 'many'], '--bytes must be a whole number from 32 to 1024'],
    [['--out', '-'], '--out needs a file path; leave it out to print to standard output'],
    [['--secret', 'x'], 'unknown option --secret'],
  ])('answers 2 to %j', async (flags, message) => {
    expect(await runSec(['keys', 'generate', 'hmac', ...flags])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: usage(message),
    })
  })
})

describe('sec keys generate webhook', () => {
  it('prints whsec_ and 32 random bytes in base64', async () => {
    expect(await runSec(['keys', 'generate', 'webhook'])).toMatchObject({
      code: 0,
      stderr: '',
      stdout: `whsec_${Buffer.from(randomBytes(32)).toString('base64')}\n`,
    })
    const short = await runSec(['keys', 'generate', 'webhook', '--bytes', '24'])
    expect(Buffer.from(short.stdout.trim().slice('whsec_'.length), 'base64')).toHaveLength(24)
  })

  it('signs with the secret it made', async () => {
    const secret = (await runSec(['keys', 'generate', 'webhook'])).stdout.trim()
    const signed = await runSec(['webhook', 'sign', '--id', 'msg_1', '--payload-file', 'e.json'], {
      env: { SEC_WEBHOOK_SECRET: secret },
      files: { 'e.json': '{}' },
    })
    expect(signed.code).toBe(0)
  })

  it('answers 2 to a size outside 24 to 64 bytes', async () => {
    expect(await runSec(['keys', 'generate', 'webhook', '--bytes', '65'])).toMatchObject({
      code: 2,
      stderr: usageLines(
        'sec keys generate webhook',
        keysGenerateWebhookCommand.usage,
        '--bytes must be a whole number from 24 to 64',
      ),
    })
  })
})

describe('sec keys generate api-key', () => {
  const usage = (message: string) =>
    usageLines('sec keys generate api-key', keysGenerateApiKeyCommand.usage, message)
  const pepper = 'pepper-0123456789-0123456789-0123'

  it('prints a test secret key by default, in the format of @sec/core/apikeys', async () => {
    const random = countingRandom()
    const expected = formatApiKey('secret', 'test', generateApiKeyId(random), random)
    const result = await runSec(['keys', 'generate', 'api-key'])
    expect(result).toMatchObject({ code: 0, stderr: '', stdout: `${expected}\n` })
    expect(parseApiKey(expected)).toMatchObject({ kind: 'secret', environment: 'test' })
  })

  it('makes live and publishable keys', async () => {
    const key = (
      await runSec(['keys', 'generate', 'api-key', '--env', 'live', '--kind', 'publishable'])
    ).stdout.trim()
    expect(key.startsWith('pk_live_')).toBe(true)
    expect(parseApiKey(key)).toMatchObject({ kind: 'publishable', environment: 'live' })
  })

  it('prints the digest createApiKeys stores, so a key made here verifies', async () => {
    for (const peppered of [true, false]) {
      const result = await runSec(['keys', 'generate', 'api-key', '--env', 'live', '--hash'], {
        env: peppered ? { SEC_API_KEY_PEPPER: pepper } : {},
      })
      expect(result.code).toBe(0)
      const record = JSON.parse(result.stdout) as Record<string, string>
      expect(Object.keys(record)).toEqual(['key', 'id', 'kind', 'environment', 'hash', 'hashAlgorithm'])
      expect(record).toMatchObject({
        id: parseApiKey(record.key as string)?.keyId,
        kind: 'secret',
        environment: 'live',
        hashAlgorithm: peppered ? 'hmac-sha256' : 'sha256',
      })
      const store = memoryApiKeyStore()
      await store.create({
        id: record.id as string,
        owner: 'acct_ops',
        kind: 'secret',
        environment: 'live',
        scopes: [],
        name: 'seeded',
        hash: record.hash as string,
        createdAt: 0,
        expiresAt: undefined,
        revokedAt: undefined,
        lastUsedAt: undefined,
        replacedBy: undefined,
      })
      const keys = createApiKeys({ store, environment: 'live', ...(peppered && { pepper }) })
      expect(await keys.verify(record.key as string)).toMatchObject({
        valid: true,
        metadata: { owner: 'acct_ops' },
      })
      const other = createApiKeys({ store, environment: 'live', pepper: peppered ? `${pepper}!` : pepper })
      expect(await other.verify(record.key as string)).toEqual({ valid: false, refusal: 'mismatch' })
    }
  })

  it('reads the pepper from a file, or from an argument only when the user insists', async () => {
    const fromEnv = await runSec(['keys', 'generate', 'api-key', '--hash'], {
      env: { SEC_API_KEY_PEPPER: pepper },
    })
    const fromFile = await runSec(['keys', 'generate', 'api-key', '--hash', '--pepper-file', 'pepper'], {
      files: { pepper: `${pepper}\n` },
    })
    expect(fromFile).toMatchObject({ code: 0, stdout: fromEnv.stdout })
    expect(await runSec(['keys', 'generate', 'api-key', '--hash', '--pepper', pepper])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: usage(
        'refusing --pepper: a secret given as an argument is saved in your shell history and visible in the process list; use SEC_API_KEY_PEPPER or --pepper-file <path>, or add --i-know-this-lands-in-shell-history if you accept that',
      ),
    })
    expect(
      await runSec([
        'keys',
        'generate',
        'api-key',
        '--hash',
        '--pepper',
        pepper,
        '--i-know-this-lands-in-shell-history',
      ]),
    ).toMatchObject({ code: 0, stdout: fromEnv.stdout })
  })

  it.each([
    [['--env', 'prod'], {}, '--env must be live or test'],
    [['--kind', 'private'], {}, '--kind must be secret or publishable'],
    [['--pepper-file', 'pepper'], {}, 'a pepper is only used with --hash'],
    [
      ['--hash'],
      { SEC_API_KEY_PEPPER: 'short' },
      'the pepper from SEC_API_KEY_PEPPER must be at least 32 bytes, as createApiKeys requires',
    ],
  ])('answers 2 to %j', async (flags, env, message) => {
    expect(await runSec(['keys', 'generate', 'api-key', ...flags], { env, files: { pepper } })).toMatchObject(
      {
        code: 2,
        stdout: '',
        stderr: usage(message),
      },
    )
  })
})

describe('sec keys generate jwk', () => {
  const usage = (message: string) =>
    usageLines('sec keys generate jwk', keysGenerateJwkCommand.usage, message)

  const signing: Record<
    string,
    [EcKeyImportParams | RsaHashedImportParams | Algorithm, Algorithm | EcdsaParams | RsaPssParams]
  > = {
    ES256: [{ name: 'ECDSA', namedCurve: 'P-256' }, { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams],
    EdDSA: [{ name: 'Ed25519' }, { name: 'Ed25519' }],
    RS256: [
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as RsaHashedImportParams,
      { name: 'RSASSA-PKCS1-v1_5' },
    ],
    PS256: [
      { name: 'RSA-PSS', hash: 'SHA-256' } as RsaHashedImportParams,
      { name: 'RSA-PSS', saltLength: 32 } as RsaPssParams,
    ],
  }
  const members: Record<string, string[]> = {
    ES256: ['kty', 'crv', 'x', 'y', 'd', 'kid', 'alg', 'use'],
    EdDSA: ['kty', 'crv', 'x', 'd', 'kid', 'alg', 'use'],
    RS256: ['kty', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi', 'kid', 'alg', 'use'],
    PS256: ['kty', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi', 'kid', 'alg', 'use'],
  }

  it.each(Object.keys(signing))(
    'makes a %s key pair whose public half verifies what the private half signs',
    async (alg) => {
      const args = [
        'keys',
        'generate',
        'jwk',
        ...(alg === 'ES256' ? [] : ['--alg', alg]),
        '--out',
        'key.json',
        '--jwks',
      ]
      const result = await runSec(args)
      expect(result).toMatchObject({ code: 0, stderr: 'wrote the private JWK to key.json (mode 0600)\n' })
      const written = result.io.written.get('key.json')
      expect(written?.mode).toBe(0o600)
      const privateJwk = JSON.parse(written?.data ?? '') as JsonWebKey & { kid: string; use: string }
      const jwks = JSON.parse(result.stdout) as { keys: (JsonWebKey & { kid: string })[] }
      expect(Object.keys(privateJwk)).toEqual(members[alg])
      expect(privateJwk).toMatchObject({
        alg,
        use: 'sig',
        kid: await jwkThumbprint(JSON.parse(written?.data ?? '') as Record<string, unknown>),
      })
      expect(jwks.keys).toHaveLength(1)
      const publicJwk = jwks.keys[0] as JsonWebKey & { kid: string }
      expect(publicJwk).toEqual(
        Object.fromEntries(
          Object.entries(privateJwk).filter(([name]) => !['d', 'p', 'q', 'dp', 'dq', 'qi'].includes(name)),
        ),
      )

      const [importAlgorithm, signAlgorithm] = signing[alg] as [Algorithm, Algorithm]
      const data = new TextEncoder().encode('signed by sec')
      const privateKey = await crypto.subtle.importKey('jwk', privateJwk, importAlgorithm, false, ['sign'])
      const publicKey = await crypto.subtle.importKey('jwk', publicJwk, importAlgorithm, false, ['verify'])
      const signature = await crypto.subtle.sign(signAlgorithm, privateKey, data)
      expect(await crypto.subtle.verify(signAlgorithm, publicKey, signature, data)).toBe(true)
      expect(
        await crypto.subtle.verify(signAlgorithm, publicKey, signature, new TextEncoder().encode('changed')),
      ).toBe(false)
    },
  )

  it('prints the private JWK on standard output without --out, with the kid given', async () => {
    const result = await runSec(['keys', 'generate', 'jwk', '--alg', 'EdDSA', '--kid', '2026-01'])
    expect(result).toMatchObject({ code: 0, stderr: '' })
    expect(JSON.parse(result.stdout)).toMatchObject({
      kty: 'OKP',
      crv: 'Ed25519',
      d: expect.any(String),
      kid: '2026-01',
      alg: 'EdDSA',
    })
    expect(result.stdout.endsWith('}\n')).toBe(true)
  })

  it.each([
    [['--alg', 'HS256'], '--alg must be one of ES256, EdDSA, RS256, PS256'],
    [['--jwks'], '--jwks prints the public JWKS on standard output, so the private key needs --out <file>'],
    [['--bits', '4096'], '--bits is for RSA keys (RS256, PS256); ES256 keys have a fixed size'],
    [['--alg', 'RS256', '--bits', '1024'], '--bits must be a whole number from 2048 to 4096'],
    [['--alg', 'RS256', '--bits', '2500'], '--bits must be 2048, 3072 or 4096'],
    [['--kid', 'a b'], '--kid must be 1 to 128 letters, digits, -, _ or .'],
  ])('answers 2 to %j', async (flags, message) => {
    expect(await runSec(['keys', 'generate', 'jwk', ...flags])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: usage(message),
    })
  })
})
