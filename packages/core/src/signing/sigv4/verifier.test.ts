import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SecConfigError } from '../../errors/index.js'
import type { RandomSource } from '../../pipeline/index.js'
import { SecProblemError } from '../../problem/index.js'
import { memoryNonceStore, type NonceStore } from '../nonce/index.js'
import type { HeaderLine } from './sign-message.js'
import { createSigner, type SignableRequest, type SignerOptions } from './signer.js'
import { testRequest } from './test-request.js'
import { createSigV4Verifier, type SigV4VerifierOptions, verifySigV4 } from './verifier.js'

const now = Date.UTC(2026, 0, 15, 12, 0, 0)
const secret = 'secret-0123456789'

/** Distinct nonces across every signer of this file, in order: 1, 2, 3, … */
let nonces = 0
const counterRandom: RandomSource = (bytes) => {
  bytes.fill(0)
  new DataView(bytes.buffer).setUint32(0, ++nonces)
  return bytes
}

function signerWith(extra: Partial<SignerOptions> = {}, at = now) {
  return createSigner({
    accessKeyId: 'AKIDTEST',
    secretAccessKey: secret,
    region: 'eu',
    service: 'notes',
    clock: { now: () => at },
    random: counterRandom,
    ...extra,
  })
}

function verifierWith(extra: Partial<SigV4VerifierOptions> = {}) {
  return createSigV4Verifier({
    credentials: (id) => (id === 'AKIDTEST' ? [secret] : undefined),
    region: 'eu',
    service: 'notes',
    clock: { now: () => now },
    ...extra,
  })
}

interface Sent {
  readonly method: string
  readonly target: string
  readonly headers: HeaderLine[]
  readonly body: string
}

/** Signs a request and returns it as it would arrive: target, every header line (Host included) and body. */
async function signed(request: SignableRequest & { body?: string }, signer = signerWith()): Promise<Sent> {
  const url = new URL(request.url)
  const own: HeaderLine[] = Object.entries((request.headers ?? {}) as Record<string, string>)
  const added = await signer.sign(request)
  return {
    method: (request.method ?? 'GET').toUpperCase(),
    target: url.pathname + url.search,
    headers: [['Host', url.host], ...own, ...Object.entries(added)],
    body: request.body ?? '',
  }
}

const arrive = (sent: Sent) => testRequest(sent)

const note: SignableRequest & { body: string } = {
  method: 'POST',
  url: 'https://api.example.com/v1/notes?draft=1',
  headers: { 'Content-Type': 'application/json', 'X-Tenant': 'acme' },
  body: '{"title":"Hello"}',
}

const refusal = (reason: string, detail: string) => ({
  valid: false,
  reason,
  problem: { detail, reason, type: 'urn:sec:problem:unauthorized', title: 'Unauthorized', status: 401 },
})

function replaceHeader(sent: Sent, name: string, value: string): Sent {
  return {
    ...sent,
    headers: sent.headers.map(([n, v]) => [n, n.toLowerCase() === name.toLowerCase() ? value : v] as const),
  }
}

describe('createSigV4Verifier', () => {
  it('accepts a signed request and names the client', async () => {
    nonces = 0
    const result = await verifierWith().verify(arrive(await signed(note)))
    expect(result).toEqual({
      valid: true,
      accessKeyId: 'AKIDTEST',
      principal: { id: 'AKIDTEST', kind: 'client', accessKeyId: 'AKIDTEST' },
      presigned: false,
      signedAt: now,
      expiresAt: undefined,
      signedHeaders: [
        'content-type',
        'host',
        'x-amz-content-sha256',
        'x-amz-date',
        'x-amz-nonce',
        'x-tenant',
      ],
      nonce: 'AAAAAQAAAAAAAAAAAAAAAA',
    })
  })

  it('takes the owner and scopes of a key, and any of its active secrets', async () => {
    const verifier = verifierWith({
      credentials: async (id) =>
        id === 'AKIDTEST'
          ? { secrets: ['new-secret-99', secret], owner: 'svc-billing', scopes: ['notes:write'] }
          : undefined,
    })
    const old = await verifier.verify(arrive(await signed(note)))
    expect(old.valid && old.principal).toEqual({
      id: 'svc-billing',
      kind: 'client',
      scopes: ['notes:write'],
      accessKeyId: 'AKIDTEST',
    })
    const rotated = await verifier.verify(
      arrive(await signed(note, signerWith({ secretAccessKey: 'new-secret-99' }))),
    )
    expect(rotated.valid).toBe(true)
    const other = await verifier.verify(
      arrive(await signed(note, signerWith({ secretAccessKey: 'another-secret' }))),
    )
    expect(other).toEqual(refusal('bad-signature', 'The signature does not match the request.'))
  })

  it('refuses an unsigned request, and unknown keys', async () => {
    const verifier = verifierWith({
      credentials: (id) => (id === 'AKIDEMPTY' ? { secrets: ['', ''] } : id === 'AKIDNONE' ? [] : undefined),
    })
    expect(
      await verifier.verify(testRequest({ target: '/v1/notes', headers: [['Host', 'api.example.com']] })),
    ).toEqual(
      refusal(
        'missing-header',
        'This request must be signed: send an Authorization header (AWS4-HMAC-SHA256) or use a presigned URL.',
      ),
    )
    for (const accessKeyId of ['AKIDTEST', 'AKIDEMPTY', 'AKIDNONE'])
      expect(await verifier.verify(arrive(await signed(note, signerWith({ accessKeyId }))))).toEqual(
        refusal('unknown-key', 'The access key id is not known.'),
      )
  })

  it('refuses a request replayed within the window, even when the copies race', async () => {
    const verifier = verifierWith()
    const sent = await signed(note)
    expect((await verifier.verify(arrive(sent))).valid).toBe(true)
    expect(await verifier.verify(arrive(sent))).toEqual(
      refusal('replayed', 'This request was already received: its nonce can be used once.'),
    )
    const raced = await signed(note)
    const results = await Promise.all([1, 2, 3, 4].map(() => verifier.verify(arrive(raced))))
    expect(results.filter((r) => r.valid)).toHaveLength(1)
    expect(results.filter((r) => !r.valid && r.reason === 'replayed')).toHaveLength(3)
  })

  it('records the nonce only once the signature and body hold, so forgeries cannot use it up', async () => {
    const verifier = verifierWith()
    const sent = await signed(note)
    expect((await verifier.verify(arrive(replaceHeader(sent, 'X-Tenant', 'evil')))).valid).toBe(false)
    expect((await verifier.verify(arrive({ ...sent, body: '{"title":"Evil"}' }))).valid).toBe(false)
    expect((await verifier.verify(arrive(sent))).valid).toBe(true)
  })

  it('remembers a nonce until the end of the window plus the skew, per access key', async () => {
    nonces = 0
    const records: [string, number][] = []
    const store: NonceStore = {
      record(nonce, ttl) {
        records.push([nonce, ttl])
        return true
      },
    }
    const early = await signed(note, signerWith({}, now - 60_000))
    expect((await verifierWith({ nonce: { store } }).verify(arrive(early))).valid).toBe(true)
    expect(records).toEqual([['sigv4:AKIDTEST:AAAAAQAAAAAAAAAAAAAAAA', 540_000]])
  })

  it('answers 503 when the nonce store fails, without saying why', async () => {
    const store: NonceStore = {
      record: () => Promise.reject(new Error('redis: connection refused')),
    }
    const error = await verifierWith({ nonce: { store } })
      .verify(arrive(await signed(note)))
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SecProblemError)
    expect((error as SecProblemError).problem).toEqual({
      detail: 'Signed requests cannot be checked for replays right now. Retry later.',
      type: 'urn:sec:problem:auth-unavailable',
      title: 'Authentication Unavailable',
      status: 503,
    })
  })

  it('refuses a request time outside ±5 minutes, and a scope of another day, region or service', async () => {
    const verifier = verifierWith({ nonce: false })
    const stale = refusal('expired', "The request time is more than 300 seconds from the server's.")
    expect(await verifier.verify(arrive(await signed(note, signerWith({}, now - 300_001))))).toEqual(stale)
    expect(await verifier.verify(arrive(await signed(note, signerWith({}, now + 301_000))))).toEqual(stale)
    expect((await verifier.verify(arrive(await signed(note, signerWith({}, now - 300_000))))).valid).toBe(
      true,
    )
    const wrongScope = refusal(
      'wrong-scope',
      'The credential scope must be <date>/eu/notes/aws4_request, its date that of the request time.',
    )
    expect(await verifier.verify(arrive(await signed(note, signerWith({ region: 'us' }))))).toEqual(
      wrongScope,
    )
    expect(await verifier.verify(arrive(await signed(note, signerWith({ service: 'files' }))))).toEqual(
      wrongScope,
    )
    const sent = await signed(note)
    const otherDay = replaceHeader(
      sent,
      'Authorization',
      (sent.headers.at(-1)?.[1] ?? '').replace('/20260115/', '/20260114/'),
    )
    expect(await verifier.verify(arrive(otherDay))).toEqual(wrongScope)
  })

  it('requires host, date, nonce and content hash to be signed', async () => {
    const verifier = verifierWith()
    expect(await verifier.verify(arrive(await signed(note, signerWith({ nonce: false }))))).toEqual(
      refusal('missing-header', 'The x-amz-nonce header must be present and signed.'),
    )
    expect(await verifier.verify(arrive(await signed(note, signerWith({ contentHash: false }))))).toEqual(
      refusal('missing-header', 'The x-amz-content-sha256 header must be present and signed.'),
    )
    const sent = await signed(note)
    expect(
      await verifier.verify(arrive({ ...sent, headers: sent.headers.filter(([n]) => n !== 'X-Amz-Date') })),
    ).toEqual(refusal('missing-header', 'The X-Amz-Date header must be present and signed.'))
    expect(
      await verifier.verify(arrive({ ...sent, headers: sent.headers.filter(([n]) => n !== 'X-Tenant') })),
    ).toEqual(refusal('missing-header', 'The signed header x-tenant is absent.'))
  })

  it('accepts AWS SDK-style requests when told to (no nonce, body hashed by the server)', async () => {
    const verifier = verifierWith({ nonce: false, requiredSignedHeaders: ['host', 'x-amz-date'] })
    const sent = await signed(note, signerWith({ nonce: false, contentHash: false }))
    expect((await verifier.verify(arrive(sent))).valid).toBe(true)
    expect(await verifier.verify(arrive({ ...sent, body: '{"title":"Evil"}' }))).toEqual(
      refusal('bad-signature', 'The signature does not match the request.'),
    )
  })

  it('refuses UNSIGNED-PAYLOAD unless allowed, and then does not read the body', async () => {
    const sent = await signed(note, signerWith({ unsignedPayload: true }))
    expect(await verifierWith().verify(arrive(sent))).toEqual(
      refusal('body-mismatch', 'The body must be signed: UNSIGNED-PAYLOAD is not accepted here.'),
    )
    const request = arrive({ ...sent, body: 'anything' })
    const result = await verifierWith({ allowUnsignedPayload: true }).verify(request, {
      body: () => Promise.reject(new Error('must not read')),
    })
    expect(result.valid).toBe(true)
  })

  it('checks the raw body against the signed hash, within the body limit', async () => {
    const verifier = verifierWith({ maxBodyBytes: 20 })
    const sent = await signed(note)
    expect(await verifier.verify(arrive({ ...sent, body: '{"title":"Hellp"}' }))).toEqual(
      refusal('body-mismatch', 'The body does not match the signed content hash.'),
    )
    const large = await signed({ ...note, body: 'x'.repeat(21) })
    const error = await verifier.verify(arrive(large)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(SecProblemError)
    expect((error as SecProblemError).problem.status).toBe(413)
  })

  it('refuses malformed signature headers', async () => {
    const verifier = verifierWith()
    const sent = await signed(note)
    const malformedAuthorization = refusal(
      'malformed',
      'The Authorization header is not a valid AWS4-HMAC-SHA256 credential.',
    )
    expect(await verifier.verify(arrive(replaceHeader(sent, 'Authorization', 'Bearer abc')))).toEqual(
      malformedAuthorization,
    )
    expect(
      await verifier.verify(
        arrive({ ...sent, headers: [...sent.headers, sent.headers.at(-1) as HeaderLine] }),
      ),
    ).toEqual(refusal('malformed', 'The Authorization header must be sent once.'))
    expect(
      await verifier.verify(
        arrive({ ...sent, headers: [...sent.headers, ['X-Amz-Date', '20260115T120000Z']] }),
      ),
    ).toEqual(refusal('malformed', 'The x-amz-date header must be sent once.'))
    expect(await verifier.verify(arrive(replaceHeader(sent, 'X-Amz-Date', '2026-01-15T12:00:00Z')))).toEqual(
      refusal('malformed', 'The request time is not a valid X-Amz-Date (YYYYMMDDTHHMMSSZ).'),
    )
    expect(await verifier.verify(arrive(replaceHeader(sent, 'X-Amz-Nonce', 'short')))).toEqual(
      refusal('malformed', 'The nonce must be 8 to 256 printable ASCII characters.'),
    )
    expect(await verifier.verify(arrive(replaceHeader(sent, 'x-amz-content-sha256', 'ABC')))).toEqual(
      refusal('malformed', 'The content hash must be 64 lower-case hex digits or UNSIGNED-PAYLOAD.'),
    )
    expect(
      await verifier.verify(arrive({ ...sent, target: `${sent.target}&X-Amz-Signature=${'0'.repeat(64)}` })),
    ).toEqual(refusal('malformed', 'Sign with the Authorization header or with the query, not both.'))
  })

  it('fails any change to a signed part: header, path, query, method, body or time', async () => {
    const verifier = verifierWith({ nonce: false })
    const sent = await signed(note, signerWith({ nonce: false }))
    expect((await verifier.verify(arrive(sent))).valid).toBe(true)
    const printable = fc.string({
      unit: fc.constantFrom(..."abcXYZ019 -_.~!*'();:@&=+$,/?%#[]é"),
      minLength: 1,
      maxLength: 12,
    })
    const change = fc.oneof(
      fc.record({ kind: fc.constant('tenant'), value: printable }),
      fc.record({ kind: fc.constant('content-type'), value: printable }),
      fc.record({ kind: fc.constant('path'), value: printable }),
      fc.record({ kind: fc.constant('query'), value: printable }),
      fc.record({
        kind: fc.constant('method'),
        value: fc.constantFrom('GET', 'PUT', 'PATCH', 'DELETE', 'post'),
      }),
      fc.record({ kind: fc.constant('body'), value: printable }),
      fc.record({ kind: fc.constant('time'), value: fc.integer({ min: 1, max: 600 }).map(String) }),
      fc.record({ kind: fc.constant('host'), value: printable }),
    )
    await fc.assert(
      fc.asyncProperty(change, async ({ kind, value }) => {
        let tampered: Sent
        let reason: string
        if (kind === 'tenant' || kind === 'content-type' || kind === 'host') {
          const name = kind === 'tenant' ? 'X-Tenant' : kind === 'host' ? 'Host' : 'Content-Type'
          const current = sent.headers.find(([n]) => n === name)?.[1]
          fc.pre(value.trim().replace(/\s+/g, ' ') !== current)
          tampered = replaceHeader(sent, name, value)
          reason = 'bad-signature'
        } else if (kind === 'path') {
          tampered = { ...sent, target: sent.target.replace('/v1/notes', `/v1/${encodeURIComponent(value)}`) }
          fc.pre(encodeURIComponent(value) !== 'notes')
          reason = 'bad-signature'
        } else if (kind === 'query') {
          tampered = { ...sent, target: `${sent.target}&${encodeURIComponent(value)}=1` }
          reason = 'bad-signature'
        } else if (kind === 'method') {
          tampered = { ...sent, method: value }
          reason = 'bad-signature'
        } else if (kind === 'body') {
          tampered = { ...sent, body: sent.body + value }
          reason = 'body-mismatch'
        } else {
          const shift = Number(value) * 1000
          const at = now + (shift % 2 === 0 ? shift : -shift)
          tampered = replaceHeader(
            sent,
            'X-Amz-Date',
            new Date(at).toISOString().replace(/[-:]|\.\d{3}/g, ''),
          )
          reason = Math.abs(at - now) > 300_000 ? 'expired' : 'bad-signature'
        }
        const result = await verifier.verify(arrive(tampered))
        expect(result.valid).toBe(false)
        expect(!result.valid && result.reason).toBe(reason)
      }),
      { numRuns: 300 },
    )
  })

  it('accepts headers of any size and characters that both sides see alike', async () => {
    const verifier = verifierWith()
    const huge = {
      ...note,
      headers: { 'X-Tenant': 'a'.repeat(100_000), 'X-Name': 'Zoë ሴ 😀  spaced   out ' },
    }
    expect((await verifier.verify(arrive(await signed(huge)))).valid).toBe(true)
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 40 }), async (value) => {
        fc.pre(!/[\r\n]/.test(value))
        const sent = await signed({ ...note, headers: { 'X-Name': value } })
        expect((await verifier.verify(arrive(sent))).valid).toBe(true)
      }),
      { numRuns: 100 },
    )
  })

  it('answers a refusal, never another error, for any Authorization value', async () => {
    const verifier = verifierWith()
    const sent = await signed(note)
    const base = sent.headers.at(-1)?.[1] ?? ''
    const near = fc
      .tuple(
        fc.nat({ max: base.length }),
        fc.nat({ max: base.length }),
        fc.string({ unit: 'binary', maxLength: 20 }),
      )
      .map(([a, b, insert]) => base.slice(0, Math.min(a, b)) + insert + base.slice(Math.max(a, b)))
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), near), async (value) => {
        const result = await verifier.verify(arrive(replaceHeader(sent, 'Authorization', value)))
        if (value !== base) expect(result.valid).toBe(false)
      }),
      { numRuns: 500 },
    )
    const start = performance.now()
    const long = `AWS4-HMAC-SHA256 ${'Credential=,'.repeat(100_000)}`
    expect(await verifier.verify(arrive(replaceHeader(sent, 'Authorization', long)))).toMatchObject({
      reason: 'malformed',
    })
    expect(performance.now() - start).toBeLessThan(5_000)
  })

  it('answers alike whether the parse of an Authorization header was kept from an earlier request or not', async () => {
    const sent = await signed(note, signerWith({ nonce: false }))
    const base = sent.headers.at(-1)?.[1] ?? ''
    const head = base.slice(0, -64)
    const signature = base.slice(-64)
    const warm = verifierWith({ nonce: false })
    expect((await warm.verify(arrive(sent))).valid).toBe(true)
    const compare = async (value: string) => {
      const tampered = arrive(replaceHeader(sent, 'Authorization', value))
      const cold = await verifierWith({ nonce: false }).verify(tampered)
      const again = arrive(replaceHeader(sent, 'Authorization', value))
      expect(await warm.verify(again), value).toEqual(cold)
    }
    // A signed header named like the signature: its last 64 characters are no signature.
    const credential = base.slice(base.indexOf('Credential='), base.indexOf(','))
    for (const tail of [signature, '0'.repeat(64), signature.toUpperCase()]) {
      await compare(`AWS4-HMAC-SHA256 ${credential}, Signature=${signature}, SignedHeaders=host;${tail}`)
      await compare(`AWS4-HMAC-SHA256 ${credential}, SignedHeaders=host;${tail}, Signature=${signature}`)
    }
    // A header that ends with its signed header list, the last name 64 hex digits long.
    const lone = verifierWith({ nonce: false, requiredSignedHeaders: [] })
    const named = (name: string) =>
      arrive({
        ...sent,
        headers: [
          ...sent.headers.filter(([n]) => n !== 'Authorization'),
          ['d'.repeat(64), 'x'],
          ['Authorization', `AWS4-HMAC-SHA256 ${credential}, Signature=${signature}, SignedHeaders=${name}`],
        ],
      })
    expect(await lone.verify(named('d'.repeat(64)))).toMatchObject({ reason: 'bad-signature' })
    expect(await lone.verify(named('e'.repeat(64)))).toEqual(
      refusal('missing-header', `The signed header ${'e'.repeat(64)} is absent.`),
    )
    const tail = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'0123456789abcdefABG ,=é\ud800'), minLength: 60, maxLength: 68 }),
      fc.stringMatching(/^[0-9a-f]{64}$/),
    )
    const prefix = fc.oneof(
      fc.constant(head),
      fc
        .constantFrom(',', ', ', ',  ', ' ', ';', 'x')
        .map((separator) => head.replace(/, Signature=$/, `${separator}Signature=`)),
      fc.nat({ max: head.length }).map((cut) => head.slice(0, cut) + head.slice(cut + 1)),
    )
    await fc.assert(
      fc.asyncProperty(prefix, tail, async (before, after) => {
        await compare(before + after)
      }),
      { numRuns: 300 },
    )
  })

  it('verifies its own names, and refuses AWS-named requests then', async () => {
    const naming = {
      algorithm: 'SEC1-HMAC-SHA256',
      prefix: 'X-Sec-',
      keyPrefix: 'SEC1',
      terminator: 'sec1_request',
    }
    const verifier = verifierWith({ naming })
    const result = await verifier.verify(arrive(await signed(note, signerWith({ naming }))))
    expect(result.valid && result.signedHeaders).toEqual([
      'content-type',
      'host',
      'x-sec-content-sha256',
      'x-sec-date',
      'x-sec-nonce',
      'x-tenant',
    ])
    expect(await verifier.verify(arrive(await signed(note)))).toEqual(
      refusal('malformed', 'The Authorization header is not a valid SEC1-HMAC-SHA256 credential.'),
    )
    const keyOnly = await signed(note, signerWith({ naming: { ...naming, keyPrefix: 'AWS4' } }))
    expect(await verifier.verify(arrive(keyOnly))).toMatchObject({ reason: 'bad-signature' })
  })

  it('keeps one verifier per options object in verifySigV4', async () => {
    const options: SigV4VerifierOptions = {
      credentials: () => [secret],
      region: 'eu',
      service: 'notes',
      clock: { now: () => now },
    }
    const sent = await signed(note)
    expect((await verifySigV4(arrive(sent), options)).valid).toBe(true)
    expect(await verifySigV4(arrive(sent), options)).toMatchObject({ valid: false, reason: 'replayed' })
  })

  it('refuses bad options at construction, naming the option', () => {
    const base: SigV4VerifierOptions = { credentials: () => [secret], region: 'eu', service: 'notes' }
    const bad: [Record<string, unknown>, string][] = [
      [
        { credentials: undefined },
        'createSigV4Verifier.credentials: is required: a function from an access key id to its secrets.',
      ],
      [{ credentials: new Map() }, 'createSigV4Verifier.credentials: Expected a function'],
      [{ region: '' }, 'createSigV4Verifier.region: Expected 1 to 64 letters'],
      [{ service: undefined }, "createSigV4Verifier.service: is required, e.g. 'execute-api'."],
      [{ clockSkew: '2h' }, "createSigV4Verifier.clockSkew: must be at most '1h'"],
      [{ clockSkew: '5 minutes' }, 'createSigV4Verifier.clockSkew: must be milliseconds'],
      [
        { requiredSignedHeaders: ['host', 'Authorization'] },
        'createSigV4Verifier.requiredSignedHeaders: cannot list authorization',
      ],
      [
        { requiredSignedHeaders: ['bad header'] },
        'createSigV4Verifier.requiredSignedHeaders[0]: Expected a header name',
      ],
      [{ nonce: { store: {} } }, 'createSigV4Verifier.nonce.store: Expected a NonceStore'],
      [{ nonce: true }, 'createSigV4Verifier.nonce'],
      [{ maxBodyBytes: '1 MB' }, 'createSigV4Verifier.maxBodyBytes: must be bytes'],
      [{ keyCacheSize: 0 }, 'createSigV4Verifier.keyCacheSize'],
      [{ skew: 5 }, 'createSigV4Verifier.skew: is not a known option.'],
    ]
    for (const [change, message] of bad) {
      expect(() => createSigV4Verifier({ ...base, ...change } as never)).toThrow(SecConfigError)
      expect(() => createSigV4Verifier({ ...base, ...change } as never)).toThrow(message)
    }
    expect(() => createSigV4Verifier({ ...base, nonce: { store: memoryNonceStore() } })).not.toThrow()
  })
})
