import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  createKeyPair,
  type JwksServer,
  signToken,
  startJwksServer,
  type TestKeyPair,
} from './test-issuer.js'
import { InvalidTokenError, KeySourceUnavailableError } from './token-errors.js'
import type { TokenVerifierOptions } from './token-verifier-options.js'
import { createTokenVerifier } from './verify-token.js'

const issuer = 'https://auth.example.com/'
const audience = 'https://api.example.com'

let current: TestKeyPair
let next: TestKeyPair
let server: JwksServer | undefined

beforeAll(async () => {
  current = await createKeyPair('ES256', 'key-2026-01')
  next = await createKeyPair('EdDSA', 'key-2026-02')
})

afterEach(async () => {
  await server?.close()
  server = undefined
})

function claims() {
  const now = Math.floor(Date.now() / 1000)
  return { iss: issuer, aud: audience, sub: 'user-1', iat: now, exp: now + 600 }
}

function remoteVerifier(url: string, extra: Partial<TokenVerifierOptions> = {}) {
  return createTokenVerifier({ issuer, audience, jwks: url, cacheSize: 0, ...extra })
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  )
}

describe('a remote JWKS', () => {
  it('is fetched once and cached across tokens', async () => {
    server = await startJwksServer({ keys: [current.publicJwk] })
    const verifier = remoteVerifier(server.url)
    await verifier.verify(await signToken(current, claims()))
    await verifier.verify(await signToken(current, { ...claims(), sub: 'user-2' }))
    expect(server.requests).toBe(1)
  })

  it('picks up a rotated key: an unknown kid refetches the set once the cooldown is over', async () => {
    server = await startJwksServer({ keys: [current.publicJwk] })
    const verifier = remoteVerifier(server.url, { jwksCooldown: 0 })
    await verifier.verify(await signToken(current, claims()))
    server.serve({ keys: [current.publicJwk, next.publicJwk] })
    const verified = await verifier.verify(await signToken(next, claims()))
    expect(verified.header.kid).toBe('key-2026-02')
    expect(server.requests).toBe(2)
    await verifier.verify(await signToken(current, claims()))
    expect(server.requests).toBe(2)
  })

  it('does not refetch for unknown kids during the cooldown', async () => {
    server = await startJwksServer({ keys: [current.publicJwk] })
    const verifier = remoteVerifier(server.url, { jwksCooldown: '10m' })
    await verifier.verify(await signToken(current, claims()))
    for (let i = 0; i < 5; i++) {
      const forged = await createKeyPair('ES256', `forged-${i}`)
      const error = await failure(verifier.verify(await signToken(forged, claims())))
      expect(error).toBeInstanceOf(InvalidTokenError)
      expect((error as InvalidTokenError).reason).toBe('key')
    }
    expect(server.requests).toBe(1)
  })

  it('reports an endpoint that answers an error as unavailable, not as a bad token', async () => {
    server = await startJwksServer({ status: 503, body: { error: 'down' } })
    const error = await failure(remoteVerifier(server.url).verify(await signToken(current, claims())))
    expect(error).toBeInstanceOf(KeySourceUnavailableError)
    expect((error as KeySourceUnavailableError).code).toBe('SEC_KEYS_UNAVAILABLE')
    expect((error as Error).message).toBe(`The key set at ${new URL(server.url).origin} could not be loaded.`)
  })

  it('reports a response that is not a key set as unavailable', async () => {
    server = await startJwksServer({ body: { not: 'a key set' } })
    const error = await failure(remoteVerifier(server.url).verify(await signToken(current, claims())))
    expect(error).toBeInstanceOf(KeySourceUnavailableError)
  })

  it('does not follow redirects', async () => {
    const target = await startJwksServer({ keys: [current.publicJwk] })
    server = await startJwksServer({ status: 302, headers: { location: target.url } })
    const error = await failure(remoteVerifier(server.url).verify(await signToken(current, claims())))
    expect(error).toBeInstanceOf(KeySourceUnavailableError)
    expect(target.requests).toBe(0)
    await target.close()
  })

  it('gives up after the fetch timeout', async () => {
    server = await startJwksServer({ keys: [current.publicJwk] })
    server.serve({ body: { keys: [current.publicJwk] }, delay: 2000 })
    const started = Date.now()
    const error = await failure(
      remoteVerifier(server.url, { jwksTimeout: 100 }).verify(await signToken(current, claims())),
    )
    expect(error).toBeInstanceOf(KeySourceUnavailableError)
    expect(Date.now() - started).toBeLessThan(1500)
  })

  it('reports an unreachable endpoint as unavailable', async () => {
    server = await startJwksServer({ keys: [current.publicJwk] })
    const url = server.url
    await server.close()
    server = undefined
    const error = await failure(remoteVerifier(url).verify(await signToken(current, claims())))
    expect(error).toBeInstanceOf(KeySourceUnavailableError)
  })
})

describe('a local key set', () => {
  it('holds several keys for a rotation, picked by kid', async () => {
    const verifier = createTokenVerifier({
      issuer,
      audience,
      keys: { keys: [current.publicJwk, next.publicJwk] },
    })
    expect((await verifier.verify(await signToken(current, claims()))).header.kid).toBe('key-2026-01')
    expect((await verifier.verify(await signToken(next, claims()))).header.kid).toBe('key-2026-02')
  })
})
