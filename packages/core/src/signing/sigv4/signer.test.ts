import { describe, expect, it } from 'vitest'
import { SecConfigError } from '../../errors/index.js'
import type { RandomSource } from '../../pipeline/index.js'
import { createSigner, type SignerOptions } from './signer.js'
import { type SigningCrypto, webSigningCrypto } from './signing-crypto.js'

const now = Date.UTC(2026, 0, 15, 12, 0, 0)
const zeros: RandomSource = (bytes) => bytes.fill(0)
const base: SignerOptions = {
  accessKeyId: 'AKIDTEST',
  secretAccessKey: 'secret-0123456789',
  region: 'eu',
  service: 'notes',
  clock: { now: () => now },
  random: zeros,
}
const emptyHash = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
const authorization =
  /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/20260115\/eu\/notes\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=[0-9a-f]{64}$/

describe('createSigner', () => {
  it('answers the headers to add, in order, with the nonce and the content hash', async () => {
    const headers = await createSigner(base).sign({ url: 'https://api.example.com/v1/notes?b=2&a=1' })
    expect(Object.keys(headers)).toEqual([
      'X-Amz-Date',
      'X-Amz-Nonce',
      'x-amz-content-sha256',
      'Authorization',
    ])
    expect(headers['X-Amz-Date']).toBe('20260115T120000Z')
    expect(headers['X-Amz-Nonce']).toBe('AAAAAAAAAAAAAAAAAAAAAA')
    expect(headers['x-amz-content-sha256']).toBe(emptyHash)
    expect(headers.Authorization).toMatch(authorization)
    expect(authorization.exec(headers.Authorization ?? '')?.[1]).toBe(
      'host;x-amz-content-sha256;x-amz-date;x-amz-nonce',
    )
  })

  it('signs the given headers but not hop-by-hop, proxy, user-agent or sec-* ones', async () => {
    const headers = await createSigner({ ...base, nonce: false, contentHash: false }).sign({
      method: 'post',
      url: new URL('https://api.example.com/v1/notes'),
      headers: {
        'Content-Type': 'application/json',
        'X-Trace': ['a', 'b'],
        Connection: 'keep-alive',
        'Proxy-Authorization': 'x',
        'User-Agent': 'test',
        'Sec-FetchLike-Mode': 'cors',
        Authorization: 'Bearer old',
        'X-Amz-Date': '19990101T000000Z',
        Skipped: undefined,
      },
      body: '{"title":"a"}',
    })
    expect(Object.keys(headers)).toEqual(['X-Amz-Date', 'Authorization'])
    expect(headers['X-Amz-Date']).toBe('20260115T120000Z')
    expect(authorization.exec(headers.Authorization ?? '')?.[1]).toBe('content-type;host;x-amz-date;x-trace')
  })

  it('takes headers as a Headers object or as pairs, and keeps a Host given', async () => {
    const signer = createSigner({ ...base, nonce: false, contentHash: false })
    const fromHeaders = await signer.sign({
      url: 'https://api.example.com/',
      headers: new Headers({ host: 'internal.example.com', 'x-a': '1' }),
    })
    const fromPairs = await signer.sign({
      url: 'https://api.example.com/',
      headers: [
        ['Host', 'internal.example.com'],
        ['X-A', '1'],
      ],
    })
    expect(fromPairs).toEqual(fromHeaders)
    const detailed = await signer.signMessage({
      method: 'GET',
      target: '/',
      headers: [
        ['Host', 'internal.example.com'],
        ['X-A', '1'],
      ],
    })
    expect(detailed.headers).toEqual(Object.entries(fromHeaders))
    expect(detailed.canonicalRequest).toBe(
      `GET\n/\n\nhost:internal.example.com\nx-a:1\nx-amz-date:20260115T120000Z\n\nhost;x-a;x-amz-date\n${emptyHash}`,
    )
  })

  it('sends and signs a session token', async () => {
    const headers = await createSigner({ ...base, nonce: false, sessionToken: 'tok/en+=' }).sign({
      url: 'https://api.example.com/',
    })
    expect(Object.keys(headers)).toEqual([
      'X-Amz-Security-Token',
      'X-Amz-Date',
      'x-amz-content-sha256',
      'Authorization',
    ])
    expect(headers['X-Amz-Security-Token']).toBe('tok/en+=')
    expect(authorization.exec(headers.Authorization ?? '')?.[1]).toBe(
      'host;x-amz-content-sha256;x-amz-date;x-amz-security-token',
    )
  })

  it('hashes string, bytes and ArrayBuffer bodies alike, or signs UNSIGNED-PAYLOAD', async () => {
    const signer = createSigner({ ...base, nonce: false })
    const url = 'https://api.example.com/'
    const hashOf = async (body: string | Uint8Array | ArrayBuffer | null) =>
      (await signer.sign({ method: 'PUT', url, body }))['x-amz-content-sha256']
    const bytes = new TextEncoder().encode('héllo')
    expect(await hashOf('héllo')).toBe(await webSigningCrypto.sha256Hex(bytes))
    expect(await hashOf(bytes)).toBe(await hashOf('héllo'))
    expect(await hashOf(bytes.buffer)).toBe(await hashOf('héllo'))
    expect(await hashOf(null)).toBe(emptyHash)
    const unsigned = await createSigner({ ...base, unsignedPayload: true }).sign({
      method: 'PUT',
      url,
      body: 'x',
    })
    expect(unsigned['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD')
  })

  it('uses its own names', async () => {
    const headers = await createSigner({
      ...base,
      naming: {
        algorithm: 'SEC1-HMAC-SHA256',
        prefix: 'X-Sec-',
        keyPrefix: 'SEC1',
        terminator: 'sec1_request',
      },
      nonce: { header: 'X-Request-Nonce' },
    }).sign({ url: 'https://api.example.com/' })
    expect(Object.keys(headers)).toEqual([
      'X-Sec-Date',
      'X-Request-Nonce',
      'X-Sec-Content-Sha256',
      'Authorization',
    ])
    expect(headers.Authorization).toMatch(
      /^SEC1-HMAC-SHA256 Credential=AKIDTEST\/20260115\/eu\/notes\/sec1_request, SignedHeaders=host;x-request-nonce;x-sec-content-sha256;x-sec-date, Signature=[0-9a-f]{64}$/,
    )
  })

  it('presigns a URL, keeping its query first', async () => {
    const url = await createSigner(base).presign(
      { url: 'https://api.example.com:8443/v1/files/a%20b?download=1' },
      { expiresIn: '15m' },
    )
    expect(url).toMatch(
      /^https:\/\/api\.example\.com:8443\/v1\/files\/a%20b\?download=1&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDTEST%2F20260115%2Feu%2Fnotes%2Faws4_request&X-Amz-Date=20260115T120000Z&X-Amz-SignedHeaders=host&X-Amz-Expires=900&X-Amz-Nonce=AAAAAAAAAAAAAAAAAAAAAA&X-Amz-Signature=[0-9a-f]{64}$/,
    )
    const plain = await createSigner({ ...base, nonce: false, unsignedPayload: true }).presign({
      url: 'https://api.example.com/x?',
    })
    expect(plain).toMatch(
      /^https:\/\/api\.example\.com\/x\?X-Amz-Algorithm=.*&X-Amz-Expires=900&x-amz-content-sha256=UNSIGNED-PAYLOAD&X-Amz-Signature=[0-9a-f]{64}$/,
    )
  })

  it('refuses presign lifetimes outside 1 second to 7 days', async () => {
    const signer = createSigner(base)
    const request = { url: 'https://api.example.com/' }
    await expect(signer.presign(request, { expiresIn: 604_800 })).resolves.toContain('X-Amz-Expires=604800')
    for (const expiresIn of [0, 604_801, 1.5, -1, Number.NaN, '8d', '1500ms'] as const)
      await expect(signer.presign(request, { expiresIn }), String(expiresIn)).rejects.toThrow(SecConfigError)
    await expect(
      signer.presignMessage({ method: 'GET', target: '/', headers: [] }, { expiresIn: 0 }),
    ).rejects.toThrow('presign.expiresIn: must be whole seconds from 1 to 604800 (7 days); got 0.')
  })

  it('works with a synchronous crypto implementation', async () => {
    const calls: string[] = []
    const sync: SigningCrypto = {
      sha256Hex: (data) => {
        calls.push('sha256')
        return typeof data === 'string' ? `h${data.length}`.padEnd(64, '0') : 'b'.repeat(64)
      },
      hmacSha256: () => {
        calls.push('hmac')
        return new Uint8Array(32).fill(1)
      },
    }
    const headers = await createSigner({ ...base, crypto: sync }).sign({ url: 'https://api.example.com/' })
    expect(headers.Authorization).toMatch(/Signature=(01){32}$/)
    expect(calls).toEqual(['sha256', 'sha256', 'hmac', 'hmac', 'hmac', 'hmac', 'hmac'])
  })

  it('refuses bad options at construction, naming the option', () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ accessKeyId: undefined }, 'createSigner.accessKeyId: is required.'],
      [
        { accessKeyId: 'a/b' },
        'createSigner.accessKeyId: Expected 1 to 128 printable ASCII characters, without / or space.',
      ],
      [{ secretAccessKey: '' }, 'createSigner.secretAccessKey: Expected a non-empty string.'],
      [{ region: undefined }, "createSigner.region: is required, e.g. 'us-east-1'."],
      [
        { service: 'a/b' },
        'createSigner.service: Expected 1 to 64 letters, digits, -, ., _ or ~ (it is part of the credential scope).',
      ],
      [
        { naming: { prefix: 'X Amz' } },
        'createSigner.naming.prefix: Expected 1 to 32 letters, digits or -, e.g. X-Sec-.',
      ],
      [
        { naming: { dateHeader: 'x_date' } },
        'createSigner.naming.dateHeader: Expected 1 to 64 letters, digits or -, e.g. X-Sec-Date.',
      ],
      [
        { crypto: {} },
        'createSigner.crypto: Expected { sha256Hex(data), hmacSha256(key, data) }, e.g. nodeSigningCrypto from @sec/node.',
      ],
      [
        { nonce: { header: 'X Nonce' } },
        "createSigner.nonce: Expected true, false or { header: 'X-Request-Nonce' }.",
      ],
      [
        { sessionToken: 'a b' },
        'createSigner.sessionToken: Expected printable ASCII characters without spaces.',
      ],
      [
        { secret: 'x' },
        'createSigner.secret: is not a known option. Remove it or check its spelling against the documentation.',
      ],
    ]
    for (const [change, message] of bad)
      expect(() => createSigner({ ...base, ...change } as never)).toThrow(message)
  })
})
