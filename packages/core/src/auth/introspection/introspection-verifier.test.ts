import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import type { SecurityEvent } from '../../events/index.js'
import { createSecurity, type Guard } from '../../pipeline/index.js'
import { fromWebRequest } from '../../request/index.js'
import { bearer } from '../bearer-guard.js'
import { memoryRevocationStore } from '../revocation-store.js'
import { InvalidTokenError, KeySourceUnavailableError } from '../token-errors.js'
import { maxTokenLength, type TokenVerifier } from '../verify-token.js'
import type { IntrospectionVerifierOptions } from './introspection-options.js'
import {
  type Answerer,
  type IntrospectionServer,
  knownTokens,
  startIntrospectionServer,
} from './introspection-test-server.js'
import { createIntrospectionVerifier } from './introspection-verifier.js'

const start = Date.UTC(2026, 0, 15, 12, 0, 0)
const startSeconds = start / 1000
let now = start
const clock = { now: () => now }

const alice = {
  active: true,
  iss: 'https://auth.example.com/',
  aud: 'https://api.example.com',
  sub: 'alice',
  client_id: 'spa',
  scope: 'notes:read notes:write',
  jti: 'jti-alice',
  exp: startSeconds + 600,
  iat: startSeconds - 60,
}
const worker = { active: true, client_id: 'worker', scope: 'jobs:run', exp: startSeconds + 600 }
const tokens = { 'tok-alice': alice, 'tok-worker': worker, 'tok-revoked': { active: false } }

let server: IntrospectionServer | undefined

afterEach(async () => {
  now = start
  await server?.close()
  server = undefined
})

async function setUp(
  extra: Partial<IntrospectionVerifierOptions> = {},
  answerer: Answerer = knownTokens(tokens),
): Promise<{ verifier: TokenVerifier; server: IntrospectionServer }> {
  const started = await startIntrospectionServer(answerer)
  server = started
  return { verifier: verifierFor(started, extra), server: started }
}

function verifierFor(endpoint: IntrospectionServer, extra: Partial<IntrospectionVerifierOptions> = {}) {
  return createIntrospectionVerifier({
    endpoint: endpoint.url,
    clientId: 'notes-api',
    clientSecret: 'secret',
    clock,
    ...extra,
  })
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('the token was accepted')
    },
    (error: unknown) => error,
  )
}

async function refusal(promise: Promise<unknown>) {
  const error = await failure(promise)
  expect(error).toBeInstanceOf(InvalidTokenError)
  const { reason, claim, message } = error as InvalidTokenError
  expect(message).not.toContain('tok-')
  return { reason, claim }
}

describe('createIntrospectionVerifier', () => {
  it('resolves an active token with its principal, claims and expiry', async () => {
    const { verifier, server } = await setUp({ issuer: alice.iss, audience: alice.aud })
    expect(await verifier.verify('tok-alice')).toEqual({
      principal: { id: 'alice', kind: 'user', scopes: ['notes:read', 'notes:write'], claims: alice },
      claims: alice,
      header: {},
      issuer: 'https://auth.example.com/',
      clientId: 'spa',
      tokenId: 'jti-alice',
      expiresAt: (startSeconds + 600) * 1000,
    })
    expect((await verifierFor(server).verify('tok-worker')).principal).toEqual({
      id: 'worker',
      kind: 'client',
      scopes: ['jobs:run'],
      claims: worker,
    })
  })

  it('refuses an inactive or unknown token', async () => {
    const { verifier } = await setUp()
    expect(await refusal(verifier.verify('tok-revoked'))).toEqual({ reason: 'inactive', claim: undefined })
    expect(await refusal(verifier.verify('tok-unknown'))).toEqual({ reason: 'inactive', claim: undefined })
  })

  it('refuses an iss or aud other than the configured ones', async () => {
    const { verifier: wrongIssuer, server } = await setUp({ issuer: 'https://other.example.com/' })
    expect(await refusal(wrongIssuer.verify('tok-alice'))).toEqual({ reason: 'claims', claim: 'iss' })
    expect(await refusal(wrongIssuer.verify('tok-worker'))).toEqual({ reason: 'claims', claim: 'iss' })
    const wrongAudience = verifierFor(server, { audience: ['https://admin.example.com'] })
    expect(await refusal(wrongAudience.verify('tok-alice'))).toEqual({ reason: 'claims', claim: 'aud' })
    expect(await refusal(wrongAudience.verify('tok-worker'))).toEqual({ reason: 'claims', claim: 'aud' })
  })

  it('refuses an empty or oversized token without asking the endpoint', async () => {
    const { verifier, server } = await setUp()
    expect(await refusal(verifier.verify(''))).toEqual({ reason: 'malformed', claim: undefined })
    expect(await refusal(verifier.verify('a'.repeat(maxTokenLength + 1)))).toEqual({
      reason: 'malformed',
      claim: undefined,
    })
    expect(server.requests).toHaveLength(0)
  })

  it('takes the time from verify({ now }) over its clock', async () => {
    const { verifier } = await setUp()
    expect(await refusal(verifier.verify('tok-alice', { now: start + 700_000 }))).toEqual({
      reason: 'expired',
      claim: 'exp',
    })
  })
})

describe('the answer cache', () => {
  it('answers the same token again without a second request', async () => {
    const { verifier, server } = await setUp()
    const first = await verifier.verify('tok-alice')
    now += 59_000
    expect(await verifier.verify('tok-alice')).toBe(first)
    expect(server.requests).toHaveLength(1)
    await verifier.verify('tok-worker')
    expect(server.requests).toHaveLength(2)
  })

  it('keeps an answer at most maxAge', async () => {
    const { verifier, server } = await setUp({ cache: { maxAge: '10s' } })
    await verifier.verify('tok-alice')
    now += 9_999
    await verifier.verify('tok-alice')
    expect(server.requests).toHaveLength(1)
    now += 1
    await verifier.verify('tok-alice')
    expect(server.requests).toHaveLength(2)
  })

  it("never keeps an answer past the token's exp", async () => {
    const { verifier, server } = await setUp({ cache: { maxAge: '1h' }, clockTolerance: 0 }, (request) => ({
      json: request.token === 'tok-short' ? { ...alice, exp: startSeconds + 30 } : { active: false },
    }))
    await verifier.verify('tok-short')
    now += 29_999
    await verifier.verify('tok-short')
    expect(server.requests).toHaveLength(1)
    now += 1
    expect(await refusal(verifier.verify('tok-short'))).toEqual({ reason: 'expired', claim: 'exp' })
    expect(server.requests).toHaveLength(2)
  })

  it('keeps an answer without exp for maxAge, and reports Infinity as its expiry', async () => {
    const { verifier, server } = await setUp({ cache: { maxAge: '5s' } }, () => ({
      json: { active: true, sub: 'alice' },
    }))
    expect((await verifier.verify('tok-forever')).expiresAt).toBe(Number.POSITIVE_INFINITY)
    now += 4_999
    await verifier.verify('tok-forever')
    now += 1
    await verifier.verify('tok-forever')
    expect(server.requests).toHaveLength(2)
  })

  it('checks the revocation store on every call, cache hits included', async () => {
    const revocationStore = memoryRevocationStore({ clock })
    const { verifier, server } = await setUp({ revocationStore })
    await verifier.verify('tok-alice')
    await revocationStore.revoke('jti-alice', (startSeconds + 600) * 1000)
    expect(await refusal(verifier.verify('tok-alice'))).toEqual({ reason: 'revoked', claim: 'jti' })
    expect(server.requests).toHaveLength(1)
  })

  it('refuses a token without jti when a revocation store is configured', async () => {
    const { verifier } = await setUp({ revocationStore: memoryRevocationStore({ clock }) })
    expect(await refusal(verifier.verify('tok-worker'))).toEqual({ reason: 'claims', claim: 'jti' })
  })

  it('keeps a refusal for min(maxAge, 10s)', async () => {
    const { verifier, server } = await setUp()
    for (let i = 0; i < 5; i++)
      expect(await refusal(verifier.verify('tok-revoked'))).toEqual({ reason: 'inactive', claim: undefined })
    expect(server.requests).toHaveLength(1)
    now += 9_999
    await refusal(verifier.verify('tok-revoked'))
    expect(server.requests).toHaveLength(1)
    now += 1
    await refusal(verifier.verify('tok-revoked'))
    expect(server.requests).toHaveLength(2)
  })

  it('keeps refusals shorter when maxAge is shorter, with their reason', async () => {
    const { verifier, server } = await setUp({
      cache: { maxAge: '3s' },
      audience: 'https://admin.example.com',
    })
    await refusal(verifier.verify('tok-alice'))
    now += 2_999
    expect(await refusal(verifier.verify('tok-alice'))).toEqual({ reason: 'claims', claim: 'aud' })
    expect(server.requests).toHaveLength(1)
    now += 1
    await refusal(verifier.verify('tok-alice'))
    expect(server.requests).toHaveLength(2)
  })

  it('does not keep a token that is not valid yet, nor a failure of the endpoint', async () => {
    let answer: unknown = { ...alice, nbf: startSeconds + 120 }
    const { verifier, server } = await setUp({}, () =>
      answer === 'down' ? { status: 503 } : { json: answer },
    )
    expect(await refusal(verifier.verify('tok-alice'))).toEqual({ reason: 'not-yet-valid', claim: 'nbf' })
    now += 120_000
    expect((await verifier.verify('tok-alice')).principal.id).toBe('alice')
    answer = 'down'
    expect(await failure(verifier.verify('tok-other'))).toBeInstanceOf(KeySourceUnavailableError)
    answer = { ...alice, sub: 'bob' }
    expect((await verifier.verify('tok-other')).principal.id).toBe('bob')
    expect(server.requests).toHaveLength(4)
  })

  it('holds at most maxEntries answers', async () => {
    const { verifier, server } = await setUp({ cache: { maxEntries: 2 } }, () => ({ json: alice }))
    for (const token of ['tok-1', 'tok-2', 'tok-3', 'tok-3', 'tok-2', 'tok-1']) await verifier.verify(token)
    expect(server.requests.map((request) => request.token)).toEqual(['tok-1', 'tok-2', 'tok-3', 'tok-1'])
  })

  it('asks every time with cache: false', async () => {
    const { verifier, server } = await setUp({ cache: false })
    await verifier.verify('tok-alice')
    await verifier.verify('tok-alice')
    await refusal(verifier.verify('tok-revoked'))
    await refusal(verifier.verify('tok-revoked'))
    expect(server.requests).toHaveLength(4)
  })

  it('shares one request between concurrent verifications of the same token', async () => {
    // The delay keeps the first request open while the other verifications start.
    const { verifier, server } = await setUp({ cache: false }, (request) => ({
      json: tokens[request.token as keyof typeof tokens] ?? { active: false },
      delay: 500,
    }))
    const results = await Promise.all([1, 2, 3].map(() => verifier.verify('tok-alice')))
    expect(results.map((result) => result.principal.id)).toEqual(['alice', 'alice', 'alice'])
    expect(server.requests).toHaveLength(1)
    const refusals = await Promise.all([1, 2].map(() => refusal(verifier.verify('tok-revoked'))))
    expect(refusals).toEqual([
      { reason: 'inactive', claim: undefined },
      { reason: 'inactive', claim: undefined },
    ])
    expect(server.requests).toHaveLength(2)
    server.answer(() => ({ status: 500, delay: 500 }))
    const errors = await Promise.all([1, 2].map(() => failure(verifier.verify('tok-alice'))))
    for (const error of errors) expect(error).toBeInstanceOf(KeySourceUnavailableError)
    expect(server.requests).toHaveLength(3)
    await failure(verifier.verify('tok-alice'))
    expect(server.requests).toHaveLength(4)
  })
})

describe('an endpoint that cannot answer', () => {
  it('rejects with KeySourceUnavailableError, never a refusal', async () => {
    const answers: Answerer[] = [
      () => ({ status: 500 }),
      () => ({ raw: 'garbage' }),
      () => ({ json: { active: true }, delay: 20_000 }),
      () => ({ chunks: ['{"active":true,"pad":"', 'x'.repeat(70_000), '"}'] }),
    ]
    for (const answerer of answers) {
      const { verifier } = await setUp({ timeout: 200 }, answerer)
      const error = await failure(verifier.verify('tok-alice'))
      expect(error).toBeInstanceOf(KeySourceUnavailableError)
      expect((error as Error).message).not.toContain('tok-alice')
      await server?.close()
      server = undefined
    }
    const { verifier } = await setUp()
    await server?.close()
    server = undefined
    expect(await failure(verifier.verify('tok-alice'))).toBeInstanceOf(KeySourceUnavailableError)
  })
})

describe('with the bearer guard', () => {
  async function protect(guards: readonly Guard[], authorization: string, events?: SecurityEvent[]) {
    const security = createSecurity({
      guards,
      clock,
      ...(events !== undefined && { events: (event: SecurityEvent) => void events.push(event) }),
    })
    return security.protect(
      fromWebRequest(new Request('https://api.example.com/v1/notes', { headers: { authorization } })),
    )
  }

  it('sets the principal and facts for an active token', async () => {
    const { verifier } = await setUp()
    const outcome = await protect([bearer({ verifier, scopes: ['notes:read'] })], 'Bearer tok-alice')
    expect(outcome.verdict).toBe('allow')
    expect(outcome.response).toBeUndefined()
    expect(outcome.principal).toEqual({
      id: 'alice',
      kind: 'user',
      scopes: ['notes:read', 'notes:write'],
      claims: alice,
    })
    expect(outcome.facts.bearer).toEqual({
      issuer: 'https://auth.example.com/',
      tokenId: 'jti-alice',
      clientId: 'spa',
      expiresAt: (startSeconds + 600) * 1000,
    })
  })

  it('answers an inactive token with 401 invalid_token', async () => {
    const { verifier } = await setUp()
    const outcome = await protect([bearer({ verifier })], 'Bearer tok-revoked')
    expect(outcome.verdict).toBe('challenge')
    expect(outcome.response?.status).toBe(401)
    expect(Object.fromEntries(outcome.response?.headers ?? [])).toEqual({
      'cache-control': 'no-store',
      'content-type': 'application/problem+json',
      'www-authenticate': 'Bearer realm="api", error="invalid_token"',
    })
    expect(outcome.response?.body).toBe(
      JSON.stringify({
        detail: 'The access token is not valid.',
        type: 'urn:sec:problem:unauthorized',
        title: 'Unauthorized',
        status: 401,
      }),
    )
    expect(outcome.facts.bearer).toEqual({ rejected: 'inactive' })
  })

  it('answers a missing scope with 403 insufficient_scope', async () => {
    const { verifier } = await setUp()
    const outcome = await protect([bearer({ verifier, scopes: ['admin'] })], 'Bearer tok-alice')
    expect(outcome.response?.status).toBe(403)
    expect(outcome.response?.headers.get('www-authenticate')).toBe(
      'Bearer realm="api", error="insufficient_scope", scope="admin"',
    )
  })

  it('does not answer 401 when the endpoint is down', async () => {
    const { verifier } = await setUp({}, () => ({ status: 500 }))
    const outcome = await protect([bearer({ verifier })], 'Bearer tok-alice')
    expect(outcome.verdict).not.toBe('allow')
    expect(outcome.principal).toBeUndefined()
    const status = outcome.response?.status ?? 0
    expect(status).toBeGreaterThanOrEqual(300)
    expect(status).not.toBe(401)
  })
})

describe('fuzzed introspection responses', () => {
  const member = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
    fc.constantFrom('https://auth.example.com/', 'https://api.example.com', 'alice', 'notes:read'),
  )
  // Mostly plausible values, so that some responses pass every check and the others fail one.
  const likely = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 4 }, member)
  const time = (min: number, max: number) =>
    likely(fc.integer({ min: startSeconds + min, max: startSeconds + max }))
  const introspection = fc
    .tuple(
      fc.record(
        {
          active: likely(fc.constant(true)),
          sub: likely(fc.constantFrom('alice', 'spa')),
          client_id: likely(fc.constant('spa')),
          iss: likely(fc.constant('https://auth.example.com/')),
          aud: likely(
            fc.constantFrom('https://api.example.com', ['https://x.example.com', 'https://api.example.com']),
          ),
          scope: likely(fc.constantFrom('notes:read', ' a  b ', '')),
          jti: likely(fc.constant('jti-1')),
          exp: time(-60, 600),
          nbf: time(-600, 60),
          iat: time(-600, 0),
        },
        { requiredKeys: [] },
      ),
      fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    )
    .map(([claims, extra]) => JSON.stringify({ ...extra, ...claims }))
  const body = fc.oneof(
    { arbitrary: introspection, weight: 8 },
    fc.jsonValue().map((value) => JSON.stringify(value)),
    fc.string({ maxLength: 200 }),
    fc.uint8Array({ maxLength: 200 }),
    fc
      .integer({ min: 65_000, max: 66_000 })
      .map((size) => `{"active":true,"sub":"a","p":"${'x'.repeat(size)}"}`),
  )
  const answer = fc.record({
    status: fc.oneof(
      { arbitrary: fc.constant(200), weight: 6 },
      fc.constantFrom(201, 400, 401, 404, 500, 503),
    ),
    body,
    contentLength: fc.option(fc.nat({ max: 70_000 }).map(String), { nil: undefined, freq: 8 }),
  })

  it('only ever resolves a well-formed token, or rejects with InvalidTokenError or KeySourceUnavailableError', async () => {
    await fc.assert(
      fc.asyncProperty(answer, fc.boolean(), async ({ status, body, contentLength }, checked) => {
        const verifier = createIntrospectionVerifier({
          endpoint: 'https://auth.example.com/oauth2/introspect',
          clientId: 'notes-api',
          clientSecret: 'secret',
          cache: false,
          clock,
          ...(checked && {
            issuer: 'https://auth.example.com/',
            audience: 'https://api.example.com',
            revocationStore: memoryRevocationStore({ clock }),
          }),
          fetch: () =>
            Promise.resolve(
              new Response(typeof body === 'string' ? body : (body as Uint8Array<ArrayBuffer>), {
                status,
                ...(contentLength !== undefined && { headers: { 'content-length': contentLength } }),
              }),
            ),
        })
        try {
          const verified = await verifier.verify('tok-fuzz')
          expect(status).toBe(200)
          expect(typeof verified.principal.id).toBe('string')
          expect(verified.principal.id).not.toBe('')
          expect(verified.principal.scopes.every((scope) => typeof scope === 'string')).toBe(true)
          expect(verified.claims.active).toBe(true)
          expect(verified.expiresAt).toBeGreaterThan(now - 30_000)
          if (checked) expect(typeof verified.tokenId).toBe('string')
        } catch (error) {
          expect(error instanceof InvalidTokenError || error instanceof KeySourceUnavailableError).toBe(true)
          expect((error as Error).message).not.toContain('tok-fuzz')
        }
      }),
      { numRuns: 300 },
    )
  })
})
