/**
 * Test support, not part of the package: key pairs of a test issuer and of an attacker, token
 * signing (proper, through jose, and hand-built for forgeries), and a JWKS served over real HTTP.
 * Only test files import it.
 */
import { base64url, exportJWK, generateKeyPair, type JSONWebKeySet, type JWK, SignJWT } from 'jose'

/** A signing key pair with its public JWK (carrying `kid`, `alg`, `use`). */
export interface TestKeyPair {
  readonly alg: string
  readonly kid: string
  readonly privateKey: CryptoKey
  readonly publicKey: CryptoKey
  readonly publicJwk: JWK
}

/** Generates a key pair whose public JWK is ready for a key set. */
export async function createKeyPair(
  alg: 'RS256' | 'PS256' | 'ES256' | 'EdDSA',
  kid: string,
): Promise<TestKeyPair> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }
  return { alg, kid, privateKey, publicKey, publicJwk }
}

/** Signs claims with a key pair through jose, with `kid` and `alg` in the header. */
export function signToken(
  pair: TestKeyPair,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ ...header, alg: pair.alg, kid: pair.kid })
    .sign(pair.privateKey)
}

const encoder = new TextEncoder()

/** The base64url of a JSON value. */
export function encodeJson(value: unknown): string {
  return base64url.encode(JSON.stringify(value))
}

/** Assembles a compact JWS from its parts as given, for forgeries jose would refuse to sign. */
export function rawToken(header: unknown, payload: unknown, signature: string | Uint8Array = ''): string {
  const sig = typeof signature === 'string' ? signature : base64url.encode(signature)
  return `${typeof header === 'string' ? header : encodeJson(header)}.${typeof payload === 'string' ? payload : encodeJson(payload)}.${sig}`
}

/** HMAC-SHA-256 signs a header and payload with any bytes as the secret (e.g. a public key's PEM). */
export async function hmacToken(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  secret: string | Uint8Array,
): Promise<string> {
  const key = await hmacKey(typeof secret === 'string' ? encoder.encode(secret) : secret)
  const input = `${encodeJson(header)}.${encodeJson(payload)}`
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(input)))
  return `${input}.${base64url.encode(signature)}`
}

const subtleAlgorithms: Readonly<Record<string, AlgorithmIdentifier | RsaPssParams | EcdsaParams>> = {
  RS256: { name: 'RSASSA-PKCS1-v1_5' },
  PS256: { name: 'RSA-PSS', saltLength: 32 } as RsaPssParams,
  ES256: { name: 'ECDSA', hash: 'SHA-256' } as EcdsaParams,
  EdDSA: { name: 'Ed25519' },
  HS256: { name: 'HMAC' },
}

/** Signs any header and payload with a key, bypassing jose's checks, so forgeries carry a real signature. */
export type RawSigner = (
  header: Record<string, unknown>,
  payload: unknown,
  options?: { readonly unencodedPayload?: boolean },
) => Promise<string>

/**
 * A {@link RawSigner} for a private key (or an HMAC key for HS256). The header starts with the
 * signer's `alg` and `kid`; the given header overrides them. With `unencodedPayload` the payload
 * JSON goes into the token and the signing input as is (RFC 7797 `b64: false`).
 */
export function rawSigner(key: CryptoKey, alg: string, kid?: string): RawSigner {
  const algorithm = subtleAlgorithms[alg]
  if (algorithm === undefined) throw new Error(`no Web Crypto algorithm for ${alg}`)
  return async (header, payload, options) => {
    const headerSegment = encodeJson({ alg, ...(kid !== undefined && { kid }), ...header })
    const payloadSegment =
      options?.unencodedPayload === true
        ? JSON.stringify(payload)
        : typeof payload === 'string'
          ? payload
          : encodeJson(payload)
    const input = `${headerSegment}.${payloadSegment}`
    const signature = new Uint8Array(await crypto.subtle.sign(algorithm, key, encoder.encode(input)))
    return `${input}.${base64url.encode(signature)}`
  }
}

/** Imports bytes as an HMAC SHA-256 signing key. */
export function hmacKey(secret: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    'raw',
    secret as Uint8Array<ArrayBuffer>,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
}

/** What a test JWKS server answers: a key set, or a status with a body, or a delay first. */
export interface JwksResponse {
  readonly status?: number
  readonly body?: unknown
  readonly headers?: Readonly<Record<string, string>>
  /** ms to wait before answering. */
  readonly delay?: number
}

/** A JWKS served by a real HTTP server on 127.0.0.1. */
export interface JwksServer {
  /** The key set's URL. */
  readonly url: string
  /** How many requests it answered so far. */
  readonly requests: number
  /** Serves another answer from now on (a key set, or a JwksResponse). */
  serve(answer: JSONWebKeySet | JwksResponse): void
  close(): Promise<void>
}

interface NodeResponse {
  writeHead(status: number, headers: Record<string, string>): void
  end(body?: string): void
  destroy(): void
}
interface NodeServer {
  listen(port: number, host: string, callback: () => void): void
  address(): { port: number }
  close(callback: () => void): void
  closeAllConnections(): void
}
interface NodeHttp {
  createServer(handler: (request: unknown, response: NodeResponse) => void): NodeServer
}

/** Starts a JWKS server on an ephemeral port (Node only: the module is loaded at run time). */
export async function startJwksServer(initial: JSONWebKeySet | JwksResponse): Promise<JwksServer> {
  const http = (await import('node:http' as string)) as NodeHttp
  let answer: JwksResponse = toResponse(initial)
  let requests = 0
  const timers = new Set<ReturnType<typeof setTimeout>>()
  const server = http.createServer((_request, response) => {
    requests++
    const current = answer
    const send = () => {
      response.writeHead(current.status ?? 200, { 'content-type': 'application/json', ...current.headers })
      response.end(current.body === undefined ? '' : JSON.stringify(current.body))
    }
    if (current.delay === undefined) return send()
    const timer = setTimeout(() => {
      timers.delete(timer)
      send()
    }, current.delay)
    timers.add(timer)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${server.address().port}/.well-known/jwks.json`
  return {
    url,
    get requests() {
      return requests
    },
    serve(next) {
      answer = toResponse(next)
    },
    close() {
      for (const timer of timers) clearTimeout(timer)
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}

function toResponse(answer: JSONWebKeySet | JwksResponse): JwksResponse {
  return 'keys' in answer ? { body: answer } : answer
}
