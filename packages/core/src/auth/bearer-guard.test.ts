import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { SecConfigError } from '../errors/index.js'
import type { SecurityEvent } from '../events/index.js'
import { createSecurity, type Guard } from '../pipeline/index.js'
import { fromWebRequest } from '../request/index.js'
import { bearer } from './bearer-guard.js'
import {
  createKeyPair,
  type JwksServer,
  signToken,
  startJwksServer,
  type TestKeyPair,
} from './test-issuer.js'
import { InvalidTokenError, KeySourceUnavailableError } from './token-errors.js'
import { createTokenVerifier } from './verify-token.js'

const now = Date.UTC(2026, 0, 15, 12, 0, 0)
const nowSeconds = now / 1000
const issuer = 'https://auth.example.com/'
const audience = 'https://api.example.com'

let key: TestKeyPair
let server: JwksServer | undefined

const claims = {
  iss: issuer,
  aud: audience,
  sub: 'user-1',
  client_id: 'spa',
  scope: 'notes:read',
  iat: nowSeconds,
  exp: nowSeconds + 600,
  jti: 'jti-1',
}

beforeAll(async () => {
  key = await createKeyPair('ES256', 'ec-1')
})

afterEach(async () => {
  await server?.close()
  server = undefined
})

function guard(extra: Record<string, unknown> = {}): Guard {
  return bearer({ issuer, audience, keys: { keys: [key.publicJwk] }, ...extra })
}

/** `guard`, recording what each check returned (a promise, or the decision itself). */
function recording(guard: Guard, results: unknown[]): Guard {
  return {
    name: 'probe',
    check(ctx) {
      const result = guard.check(ctx)
      results.push(result)
      return result
    },
  }
}

async function protect(guards: readonly Guard[], authorization?: string, events?: SecurityEvent[]) {
  const security = createSecurity({
    guards,
    clock: { now: () => now },
    ...(events !== undefined && { events: (event: SecurityEvent) => void events.push(event) }),
  })
  const headers: Record<string, string> = authorization === undefined ? {} : { authorization }
  return security.protect(fromWebRequest(new Request('https://api.example.com/v1/notes', { headers })))
}

const problemHeaders = (challenge: string) => ({
  'cache-control': 'no-store',
  'content-type': 'application/problem+json',
  'www-authenticate': challenge,
})

describe('bearer', () => {
  it('sets the principal and facts for a valid token', async () => {
    const outcome = await protect([guard()], `Bearer ${await signToken(key, claims)}`)
    expect(outcome.verdict).toBe('allow')
    expect(outcome.response).toBeUndefined()
    expect(outcome.principal).toEqual({ id: 'user-1', kind: 'user', scopes: ['notes:read'], claims })
    expect(outcome.facts.bearer).toEqual({
      issuer,
      tokenId: 'jti-1',
      clientId: 'spa',
      expiresAt: (nowSeconds + 600) * 1000,
    })
  })

  it('challenges a request without credentials, with no error code (RFC 6750 §3.1)', async () => {
    for (const authorization of [undefined, 'Basic dXNlcjpwYXNz']) {
      const outcome = await protect([guard()], authorization)
      expect(outcome.verdict).toBe('challenge')
      expect(outcome.response?.status).toBe(401)
      expect(Object.fromEntries(outcome.response?.headers ?? [])).toEqual(
        problemHeaders('Bearer realm="api"'),
      )
      expect(outcome.response?.body).toBe(
        JSON.stringify({
          detail: 'This resource needs an access token: Authorization: Bearer <token>.',
          type: 'urn:sec:problem:unauthorized',
          title: 'Unauthorized',
          status: 401,
        }),
      )
    }
  })

  it('answers a malformed Authorization header with 400 invalid_request', async () => {
    for (const authorization of ['Bearer', 'Bearer a b', 'Bearer a, Bearer b', '']) {
      const outcome = await protect([guard({ realm: 'notes' })], authorization)
      expect(outcome.verdict, authorization).toBe('deny')
      expect(outcome.response?.status).toBe(400)
      expect(Object.fromEntries(outcome.response?.headers ?? [])).toEqual(
        problemHeaders('Bearer realm="notes", error="invalid_request"'),
      )
      expect(outcome.response?.body).toBe(
        JSON.stringify({
          detail: 'The Authorization header is not a valid Bearer credential.',
          type: 'urn:sec:problem:invalid-request',
          title: 'Invalid Request',
          status: 400,
        }),
      )
    }
  })

  it('answers a valid token lacking a required scope with 403 insufficient_scope', async () => {
    const outcome = await protect(
      [guard({ scopes: ['notes:read', 'notes:write'] })],
      `Bearer ${await signToken(key, claims)}`,
    )
    expect(outcome.verdict).toBe('deny')
    expect(outcome.response?.status).toBe(403)
    expect(Object.fromEntries(outcome.response?.headers ?? [])).toEqual(
      problemHeaders('Bearer realm="api", error="insufficient_scope", scope="notes:read notes:write"'),
    )
    expect(outcome.response?.body).toBe(
      JSON.stringify({
        detail: 'The access token does not grant the scopes this resource needs.',
        type: 'urn:sec:problem:insufficient-scope',
        title: 'Insufficient Scope',
        status: 403,
      }),
    )
    const allowed = await protect(
      [guard({ scopes: ['notes:read'] })],
      `Bearer ${await signToken(key, claims)}`,
    )
    expect(allowed.verdict).toBe('allow')
  })

  it('takes the time from the pipeline clock', async () => {
    const token = await signToken(key, { ...claims, exp: nowSeconds - 60 })
    const outcome = await protect([guard()], `Bearer ${token}`)
    expect(outcome.response?.status).toBe(401)
    expect(outcome.facts.bearer).toEqual({ rejected: 'expired' })
  })

  it('shares one verifier between guards', async () => {
    const verifier = createTokenVerifier({ issuer, audience, keys: { keys: [key.publicJwk] } })
    const read = bearer({ verifier, scopes: ['notes:read'] })
    const write = bearer({ verifier, scopes: ['notes:write'] })
    const token = `Bearer ${await signToken(key, claims)}`
    expect((await protect([read], token)).verdict).toBe('allow')
    expect((await protect([write], token)).response?.status).toBe(403)
  })

  it('answers 503 with Retry-After and an auth.unavailable event when the key set cannot be loaded', async () => {
    server = await startJwksServer({ status: 500 })
    const events: SecurityEvent[] = []
    const outcome = await protect(
      [bearer({ issuer, audience, jwks: server.url })],
      `Bearer ${await signToken(key, claims)}`,
      events,
    )
    expect(outcome.verdict).toBe('deny')
    expect(outcome.response?.status).toBe(503)
    expect(Object.fromEntries(outcome.response?.headers ?? [])).toEqual({
      'cache-control': 'no-store',
      'content-type': 'application/problem+json',
      'retry-after': '5',
    })
    expect(outcome.response?.body).toBe(
      JSON.stringify({
        detail: 'The access token cannot be checked right now. Retry later.',
        type: 'urn:sec:problem:auth-unavailable',
        title: 'Authentication Unavailable',
        status: 503,
      }),
    )
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ type: 'auth.unavailable', scheme: 'bearer', path: '/v1/notes' })
    expect((events[0] as { error: unknown }).error).toBeInstanceOf(KeySourceUnavailableError)
  })

  it('answers 503 when the revocation store throws or rejects, never a 401 or a 500', async () => {
    const failure = new Error('redis down at 10.0.0.5')
    const stores = [
      {
        revoke: () => undefined,
        isRevoked: (): boolean => {
          throw failure
        },
      },
      { revoke: () => undefined, isRevoked: () => Promise.reject(failure) },
    ]
    for (const revocationStore of stores) {
      const events: SecurityEvent[] = []
      const outcome = await protect(
        [guard({ revocationStore })],
        `Bearer ${await signToken(key, claims)}`,
        events,
      )
      expect(outcome.response?.status).toBe(503)
      expect(outcome.response?.headers.get('retry-after')).toBe('5')
      expect(outcome.response?.body).not.toContain('10.0.0.5')
      expect(events).toMatchObject([{ type: 'auth.unavailable', scheme: 'bearer' }])
      const error = (events[0] as { error: unknown }).error
      expect(error).toBeInstanceOf(KeySourceUnavailableError)
      expect((error as Error).cause).toBe(failure)
    }
  })

  it('answers a cached token without a promise, still asking the revocation store each time', async () => {
    const revoked = new Set<string>()
    const calls: string[] = []
    const revocationStore = {
      revoke: () => undefined,
      isRevoked: (jti: string) => {
        calls.push(jti)
        return revoked.has(jti)
      },
    }
    const checked = guard({ revocationStore })
    const token = `Bearer ${await signToken(key, claims)}`
    const results: unknown[] = []
    const probe = recording(checked, results)
    expect((await protect([probe], token)).verdict).toBe('allow')
    expect(results[0]).toBeInstanceOf(Promise)
    const cached = await protect([probe], token)
    expect(results[1]).toBeUndefined()
    expect(cached.principal).toEqual({ id: 'user-1', kind: 'user', scopes: ['notes:read'], claims })
    revoked.add('jti-1')
    const refused = await protect([probe], token)
    expect(results[2]).toMatchObject({ kind: 'challenge' })
    expect(refused.response?.status).toBe(401)
    expect(refused.facts.bearer).toEqual({ rejected: 'revoked' })
    expect(calls).toEqual(['jti-1', 'jti-1', 'jti-1'])
  })

  it('waits for a revocation store that answers with a promise, for a cached token too', async () => {
    const revocationStore = { revoke: () => undefined, isRevoked: async (jti: string) => jti === 'jti-1' }
    const checked = guard({ revocationStore })
    const token = `Bearer ${await signToken(key, claims)}`
    for (let i = 0; i < 2; i++) {
      const ctxResult: unknown[] = []
      const outcome = await protect([recording(checked, ctxResult)], token)
      expect(ctxResult[0]).toBeInstanceOf(Promise)
      expect(outcome.response?.status).toBe(401)
    }
  })

  it('refuses a token a verifier passed in throws on synchronously, as one it rejects', async () => {
    const verifier = {
      verify: (): Promise<never> => {
        throw new InvalidTokenError('signature')
      },
    }
    const outcome = await protect([bearer({ verifier })], `Bearer ${await signToken(key, claims)}`)
    expect(outcome.response?.status).toBe(401)
    expect(outcome.facts.bearer).toEqual({ rejected: 'signature' })
  })

  it('emits auth.rejected with the reason for a refused token, and nothing for a missing one', async () => {
    const events: SecurityEvent[] = []
    const expired = await signToken(key, { ...claims, exp: nowSeconds - 60 })
    await protect([guard()], `Bearer ${expired}`, events)
    await protect([guard()], undefined, events)
    await protect([guard()], `Bearer ${await signToken(key, claims)}`, events)
    expect(events).toEqual([
      {
        type: 'auth.rejected',
        scheme: 'bearer',
        reason: 'expired',
        keyId: undefined,
        time: now,
        requestId: expect.any(String),
        method: 'GET',
        path: '/v1/notes',
        clientIp: undefined,
      },
    ])
    expect(JSON.stringify(events)).not.toContain(expired)
  })

  it('checks its own options', () => {
    const verifier = createTokenVerifier({ issuer, audience, keys: { keys: [key.publicJwk] } })
    expect(() => bearer({ verifier, issuer } as never)).toThrow(
      'bearer.issuer: cannot be combined with verifier: set it on createTokenVerifier() instead, or drop verifier.',
    )
    expect(() => guard({ realm: 'a"b' })).toThrow(SecConfigError)
    expect(() => guard({ realm: 'a"b' })).toThrow(/^bearer\.realm:/)
    expect(() => guard({ scopes: ['notes read'] })).toThrow(/^bearer\.scopes\[0\]: is not a scope/)
    expect(() => guard({ scopes: [3] })).toThrow(/^bearer\.scopes\[0\]/)
    expect(() => guard({ clock: { now: () => 0 } })).toThrow(/^bearer\.clock:/)
    expect(() => bearer({ verifier: {} } as never)).toThrow(/^bearer\.verifier:/)
  })
})
