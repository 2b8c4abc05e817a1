import { describe, expect, it } from 'vitest'
import type { HeaderLine, SigV4Message } from './sign-message.js'
import { createSigner } from './signer.js'
import { type SigningCrypto, webSigningCrypto } from './signing-crypto.js'
import { testRequest } from './test-request.js'
import { createSigV4Verifier, type SigV4Verification } from './verifier.js'

/** The AWS SigV4 test suite (awslabs/aws-c-auth), read in place from the shared conformance folder. */
const suite = new URL('../../../../../../shared/conformance/aws-sigv4/', import.meta.url)

interface Dirent {
  readonly name: string
  isDirectory(): boolean
}
interface NodeFs {
  readdir(path: URL, options: { withFileTypes: true }): Promise<Dirent[]>
  readFile(path: URL, encoding: 'utf8'): Promise<string>
}
const fs = (await import('node:fs/promises' as string)) as NodeFs

interface NodeHash {
  update(data: Uint8Array | string): NodeHash
  digest(): Uint8Array
  digest(encoding: 'hex'): string
}
interface NodeCrypto {
  createHash(algorithm: 'sha256'): NodeHash
  createHmac(algorithm: 'sha256', key: Uint8Array): NodeHash
}
const node = (await import('node:crypto' as string)) as NodeCrypto

/** A synchronous implementation, as `@sec/node`'s `nodeSigningCrypto`, to prove the `crypto` option end to end. */
const syncCrypto: SigningCrypto = {
  sha256Hex: (data) => node.createHash('sha256').update(data).digest('hex'),
  hmacSha256: (key, data) => new Uint8Array(node.createHmac('sha256', key).update(data).digest()),
}
const implementations: [string, SigningCrypto][] = [
  ['Web Crypto', webSigningCrypto],
  ['node:crypto', syncCrypto],
]

interface CaseContext {
  readonly credentials: { access_key_id: string; secret_access_key: string; token?: string }
  readonly expiration_in_seconds: number
  readonly normalize: boolean
  readonly region: string
  readonly service: string
  readonly sign_body: boolean
  readonly timestamp: string
  readonly omit_session_token?: boolean
}

interface ParsedRequest {
  readonly method: string
  readonly target: string
  readonly version: string
  /** The header lines exactly as written (continuation lines included). */
  readonly headLines: readonly string[]
  readonly message: SigV4Message
  readonly body: string
}

/** Parses `request.txt`: a request line, header lines (obs-folded lines unfolded with a space), a blank line, a body. */
function parseRequest(text: string): ParsedRequest {
  const split = text.indexOf('\n\n')
  const head = split === -1 ? text.replace(/\n$/, '') : text.slice(0, split)
  const body = split === -1 ? '' : text.slice(split + 2)
  const [requestLine = '', ...headLines] = head.split('\n')
  const method = requestLine.slice(0, requestLine.indexOf(' '))
  const version = requestLine.slice(requestLine.lastIndexOf(' ') + 1)
  const target = requestLine.slice(method.length + 1, requestLine.length - version.length - 1)
  const headers: [string, string][] = []
  for (const line of headLines) {
    const last = headers.at(-1)
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== undefined) last[1] += ` ${line.trim()}`
    else headers.push([line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)])
  }
  return { method, target, version, headLines, body, message: { method, target, headers, body } }
}

function signerFor(context: CaseContext, crypto: SigningCrypto) {
  const { credentials } = context
  return createSigner({
    crypto,
    accessKeyId: credentials.access_key_id,
    secretAccessKey: credentials.secret_access_key,
    ...(credentials.token !== undefined && { sessionToken: credentials.token }),
    signSessionToken: context.omit_session_token !== true,
    region: context.region,
    service: context.service,
    normalizePath: context.normalize,
    nonce: false,
    contentHash: context.sign_body,
    clock: { now: () => Date.parse(context.timestamp) },
  })
}

function render(request: ParsedRequest, target: string, added: readonly HeaderLine[]): string {
  const lines = [`${request.method} ${target} ${request.version}`, ...request.headLines]
  for (const [name, value] of added) lines.push(`${name}:${value}`)
  return `${lines.join('\n')}\n\n${request.body}`
}

const entries = await fs.readdir(suite, { withFileTypes: true })
const cases = entries
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()

async function read(name: string, file: string): Promise<string> {
  return fs.readFile(new URL(`${name}/${file}`, suite), 'utf8')
}

it('finds all 38 cases of the suite', () => {
  expect(cases).toHaveLength(38)
})

describe.each(implementations)('the AWS SigV4 test suite, byte for byte, on %s', (_, crypto) => {
  describe.each(cases)('%s', (name) => {
    it('signs with an Authorization header', async () => {
      const context = JSON.parse(await read(name, 'context.json')) as CaseContext
      const request = parseRequest(await read(name, 'request.txt'))
      const signed = await signerFor(context, crypto).signMessage(request.message)
      expect(signed.canonicalRequest).toBe(await read(name, 'header-canonical-request.txt'))
      expect(signed.stringToSign).toBe(await read(name, 'header-string-to-sign.txt'))
      expect(signed.signature).toBe(await read(name, 'header-signature.txt'))
      expect(render(request, request.target, signed.headers)).toBe(
        await read(name, 'header-signed-request.txt'),
      )
    })

    it('presigns a query', async () => {
      const context = JSON.parse(await read(name, 'context.json')) as CaseContext
      const request = parseRequest(await read(name, 'request.txt'))
      const signed = await signerFor(context, crypto).presignMessage(request.message, {
        expiresIn: context.expiration_in_seconds,
      })
      expect(signed.canonicalRequest).toBe(await read(name, 'query-canonical-request.txt'))
      expect(signed.stringToSign).toBe(await read(name, 'query-string-to-sign.txt'))
      expect(signed.signature).toBe(await read(name, 'query-signature.txt'))
      expect(render(request, signed.target, [])).toBe(await read(name, 'query-signed-request.txt'))
    })
  })
})

/** The verifier, set as an AWS SDK client signs (no nonce, the content hash when sent), on the suite's signed requests. */
async function verifyCase(name: string, file: string): Promise<SigV4Verification> {
  const context = JSON.parse(await read(name, 'context.json')) as CaseContext
  const request = parseRequest(await read(name, file))
  const verifier = createSigV4Verifier({
    credentials: (id) =>
      id === context.credentials.access_key_id ? [context.credentials.secret_access_key] : undefined,
    region: context.region,
    service: context.service,
    normalizePath: context.normalize,
    nonce: false,
    requiredSignedHeaders: ['host'],
    clock: { now: () => Date.parse(context.timestamp) },
  })
  return verifier.verify(testRequest(request.message))
}

describe("the verifier on the suite's signed requests", () => {
  it.each(cases)('accepts %s, signed with a header', async (name) => {
    expect(await verifyCase(name, 'header-signed-request.txt')).toMatchObject({
      valid: true,
      presigned: false,
    })
  })

  it.each(cases)('accepts %s, presigned', async (name) => {
    const result = await verifyCase(name, 'query-signed-request.txt')
    if (name === 'post-sts-header-after') {
      // This case appends the session token to the query after signing (a few AWS services want
      // that); a verifier cannot tell an unsigned parameter from a tampered one, so it is refused.
      expect(result).toMatchObject({ valid: false, reason: 'bad-signature' })
    } else expect(result).toMatchObject({ valid: true, presigned: true })
  })
})
