import { beforeAll, describe, expect, it } from 'vitest'
import vectors from '../../../../../../shared/conformance/rfc9421/vectors.json'
import { createSecurity } from '../../pipeline/index.js'
import { fromWebRequest } from '../../request/index.js'
import { decodeBase64 } from './base64.js'
import { contentDigest, verifyContentDigest } from './content-digest.js'
import { messageSignature } from './message-signature-guard.js'
import { signMessage } from './sign-message.js'
import { importMessageSignatureKey } from './signature-keys.js'
import { verifyMessage } from './verify-message.js'

const conformance = new URL('../../../../../../shared/conformance/rfc9421/', import.meta.url)

async function readConformanceFile(name: string): Promise<string> {
  const fs = (await import('node:fs/promises' as string)) as {
    readFile(path: URL, encoding: 'utf8'): Promise<string>
  }
  return fs.readFile(new URL(name, conformance), 'utf8')
}

const [b25, b26] = vectors.examples
if (b25?.id !== 'B.2.5' || b26?.id !== 'B.2.6')
  throw new Error('vectors.json no longer holds B.2.5 then B.2.6')
const created = 1618884473
const clock = { now: () => created * 1000 + 30_000 }

function testRequest(extra: Record<string, string> = {}) {
  return {
    method: vectors.request.method,
    url: vectors.request.url,
    headers: new Headers({ ...vectors.request.headers, ...extra }),
  }
}

function signedHeaders(example: { signature_input: string; signature: string }) {
  return { 'signature-input': example.signature_input, signature: example.signature }
}

let hmacSign: CryptoKey
let hmacVerify: CryptoKey
let edSign: CryptoKey
let edVerify: CryptoKey

beforeAll(async () => {
  const secret = decodeBase64(vectors.keys['test-shared-secret'].secret_base64) as Uint8Array
  hmacSign = await importMessageSignatureKey('hmac-sha256', secret, 'sign')
  hmacVerify = await importMessageSignatureKey('hmac-sha256', secret, 'verify')
  const ed = vectors.keys['test-key-ed25519']
  edSign = await importMessageSignatureKey('ed25519', await readConformanceFile(ed.private_pem), 'sign')
  edVerify = await importMessageSignatureKey('ed25519', await readConformanceFile(ed.public_pem), 'verify')
})

const keys = (keyId: string) =>
  keyId === 'test-shared-secret' ? hmacVerify : keyId === 'test-key-ed25519' ? edVerify : undefined

describe('RFC 9421 appendix B', () => {
  it('reproduces B.2.5 (hmac-sha256) exactly: signature base, Signature-Input and Signature', async () => {
    expect(vectors.keys['test-shared-secret'].alg).toBe('hmac-sha256')
    const signed = await signMessage(testRequest(), {
      key: hmacSign,
      keyId: 'test-shared-secret',
      components: ['date', '@authority', 'content-type'],
      created,
      includeAlg: false,
      label: b25.label,
    })
    expect(signed.signatureBase).toBe(b25.signature_base)
    expect(signed.signatureInput).toBe(b25.signature_input)
    expect(signed.signature).toBe(b25.signature)
  })

  it('reproduces B.2.6 (ed25519) exactly: signature base, Signature-Input and Signature', async () => {
    expect(vectors.keys['test-key-ed25519'].alg).toBe('ed25519')
    const signed = await signMessage(testRequest(), {
      key: edSign,
      keyId: 'test-key-ed25519',
      algorithm: 'ed25519',
      components: ['date', '@method', '@path', '@authority', 'content-type', 'content-length'],
      created,
      includeAlg: false,
      label: b26.label,
    })
    expect(signed.signatureBase).toBe(b26.signature_base)
    expect(signed.signatureInput).toBe(b26.signature_input)
    expect(signed.signature).toBe(b26.signature)
  })

  it('verifies both examples as the RFC gives them', async () => {
    for (const [example, keyId, algorithm] of [
      [b25, 'test-shared-secret', 'hmac-sha256'],
      [b26, 'test-key-ed25519', 'ed25519'],
    ] as const) {
      const verified = await verifyMessage(testRequest(signedHeaders(example)), {
        keys,
        requiredComponents: ['date', '@authority', 'content-type'],
        clock,
      })
      expect(verified).toEqual({
        label: example.label,
        keyId,
        algorithm,
        components: example.signature_input
          .slice(example.signature_input.indexOf('(') + 1, example.signature_input.indexOf(')'))
          .split(' ')
          .map((id) => JSON.parse(id)),
        created,
        expires: undefined,
        nonce: undefined,
        tag: undefined,
        contentDigest: 'not-covered',
      })
    }
  })

  it('refuses both examples once a covered field or the signature changes', async () => {
    for (const example of [b25, b26]) {
      const changed = testRequest({
        ...signedHeaders(example),
        'content-type': 'application/json ; charset=utf-8',
      })
      await expect(verifyMessage(changed, { keys, requiredComponents: [], clock })).rejects.toMatchObject({
        reason: 'bad-signature',
      })
      const flipped = example.signature.replace(/:(.)/, (_, c: string) => `:${c === 'A' ? 'B' : 'A'}`)
      const forged = testRequest({ 'signature-input': example.signature_input, signature: flipped })
      await expect(verifyMessage(forged, { keys, requiredComponents: [], clock })).rejects.toMatchObject({
        reason: 'bad-signature',
      })
    }
  })

  it('verifies both examples through the guard, from a Web Request', async () => {
    for (const example of [b25, b26]) {
      const security = createSecurity({
        guards: [
          messageSignature({ keys, requiredComponents: ['@authority'], requireContentDigest: 'never' }),
        ],
        clock,
      })
      const request = new Request(vectors.request.url, {
        method: vectors.request.method,
        headers: { ...vectors.request.headers, ...signedHeaders(example) },
        body: vectors.request.body,
      })
      const outcome = await security.protect(fromWebRequest(request))
      expect(outcome.verdict).toBe('allow')
      expect(outcome.principal).toMatchObject({
        id: example === b25 ? 'test-shared-secret' : 'test-key-ed25519',
      })
    }
  })

  it('computes and checks the Content-Digest of the test request body', async () => {
    const field = vectors.request.headers['Content-Digest']
    expect(await contentDigest(vectors.request.body, 'sha-512')).toBe(field)
    expect(await verifyContentDigest(field, vectors.request.body)).toBe(true)
    expect(await verifyContentDigest(field, `${vectors.request.body} `)).toBe(false)
  })
})
