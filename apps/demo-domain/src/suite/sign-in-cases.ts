import { createPublicKey, type JsonWebKey, verify } from 'node:crypto'
import { expect, it } from 'vitest'
import { demoAccounts } from '../identity/index.js'
import {
  anonymousLimits,
  hsts,
  jsonHeaders,
  loginLimits,
  problemHeaders,
  refreshRefused,
  tokenInvalid,
  tokenRequired,
  tooManyRequests,
  userEmptyHeaders,
  userJsonHeaders,
  userProblemHeaders,
  wrongCredentials,
} from './expected-responses.js'
import {
  bearer,
  postEmpty,
  postJson,
  type SignedIn,
  type SuiteClient,
  signIn,
  viaHttpsProxy,
} from './suite-client.js'

const jwtPattern = /^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]{86}$/
const refreshTokenPattern = /^[\w-]{43}$/

function passwordOf(username: string): string {
  return demoAccounts.find((account) => account.username === username)?.password as string
}

function decodePart(part: string | undefined): unknown {
  return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'))
}

/** The cases of signing in and out: tokens, their refresh, sign-out, the JWKS, and failed logins. */
export function signInCases(client: SuiteClient): void {
  const { send, comparable } = client

  it('signs a demo user in: a bearer token pair, not to be cached, counted per IP', async () => {
    const res = await send(
      postJson(
        '/v1/auth/token',
        { username: 'alice', password: passwordOf('alice') },
        viaHttpsProxy('192.0.2.1'),
      ),
    )
    expect(comparable(res)).toEqual({
      status: 200,
      headers: { ...jsonHeaders, ...hsts, ...loginLimits([59, 1], [19, 900]) },
    })
    expect(res.headers['cache-control']).toBe('no-store')
    const body = JSON.parse(res.body) as SignedIn
    expect(body).toEqual({
      access_token: expect.stringMatching(jwtPattern),
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: expect.stringMatching(refreshTokenPattern),
      scope: 'notes:read notes:write',
    })
    expect(res.body).toBe(
      `{"access_token":"${body.access_token}","token_type":"Bearer","expires_in":900,"refresh_token":"${body.refresh_token}","scope":"notes:read notes:write"}`,
    )
    const notes = await send({ target: '/v1/notes', headers: bearer(body.access_token) })
    expect(comparable(notes)).toEqual({ status: 200, headers: userJsonHeaders })
  })

  it('issues a token with fewer scopes when asked, which the routes then hold to', async () => {
    const res = await send(
      postJson(
        '/v1/auth/token',
        { username: 'bob', password: passwordOf('bob'), scope: 'notes:read' },
        viaHttpsProxy('192.0.2.2'),
      ),
    )
    const body = JSON.parse(res.body) as SignedIn & { scope: string }
    expect([res.status, body.scope]).toEqual([200, 'notes:read'])
    const write = await send(postJson('/v1/notes', { title: 't', body: '' }, bearer(body.access_token)))
    expect(comparable(write)).toEqual({
      status: 403,
      headers: {
        ...userProblemHeaders,
        'www-authenticate': 'Bearer realm="api", error="insufficient_scope", scope="notes:write"',
      },
    })
    expect(write.body).toBe(
      '{"type":"urn:sec:problem:insufficient-scope","title":"Insufficient Scope","status":403}',
    )
  })

  it('answers a wrong password and an unknown user with the same 401', async () => {
    const wrong = await send(
      postJson(
        '/v1/auth/token',
        { username: 'alice', password: 'not-her-password' },
        viaHttpsProxy('192.0.2.3'),
      ),
    )
    const unknown = await send(
      postJson(
        '/v1/auth/token',
        { username: 'nobody', password: passwordOf('alice') },
        viaHttpsProxy('192.0.2.4'),
      ),
    )
    const expected = {
      status: 401,
      headers: { ...problemHeaders, ...hsts, ...loginLimits([59, 1], [19, 900]) },
    }
    expect(comparable(wrong)).toEqual(expected)
    expect(comparable(unknown)).toEqual(expected)
    expect(wrong.body).toBe(wrongCredentials)
    expect(unknown.body).toBe(wrongCredentials)
  })

  it('refuses a malformed login with a 400 that does not repeat the password', async () => {
    const res = await send(
      postJson('/v1/auth/token', { username: 'alice smith', password: 12345678 }, viaHttpsProxy('192.0.2.5')),
    )
    expect(comparable(res)).toEqual({
      status: 400,
      headers: { ...problemHeaders, ...hsts, ...loginLimits([59, 1], [19, 900]) },
    })
    expect(res.body).toBe(
      '{"errors":[{"location":"body","path":"/username","message":"Invalid regex: expected /^[A-Za-z0-9._@+-]{1,64}$/"},{"location":"body","path":"/password","message":"Expected string"}],"type":"urn:sec:problem:validation-failed","title":"Validation Failed","status":400}',
    )
  })

  it('locks an account for 15 minutes after 5 attempts, slowing the 4th and 5th down', async () => {
    // An account nobody uses, so the lock does not disturb the other cases: unknown and real
    // accounts are counted alike (locking tells nothing about which exist).
    const attempt = () =>
      send(
        postJson('/v1/auth/token', { username: 'locked-out', password: 'guess' }, viaHttpsProxy('192.0.2.6')),
      )
    const started = Date.now()
    for (let i = 1; i <= 5; i++) {
      const res = await attempt()
      expect([res.status, res.body]).toEqual([401, wrongCredentials])
    }
    const locked = await attempt()
    const elapsed = Date.now() - started
    expect(comparable(locked)).toEqual({
      status: 429,
      headers: {
        ...problemHeaders,
        ...hsts,
        'retry-after': expect.stringMatching(/^\d{3}$/),
        'ratelimit-policy': '"api";q=60;w=60, "login-ip";q=20;w=900',
        ratelimit: expect.stringMatching(/^"api";r=5\d;t=\d, "login-ip";r=14;t=900$/),
        'x-ratelimit-limit': '20',
        'x-ratelimit-remaining': '14',
        'x-ratelimit-reset': '900',
      },
    })
    // The account's oldest attempt leaves its 15-minute window first: Retry-After is 900 s minus
    // the time since then (the slow-down held the 4th and 5th attempts 0.5 s and 1 s), which
    // cannot exceed what this test measured.
    const retryAfter = Number(locked.headers['retry-after'])
    expect(retryAfter).toBeLessThanOrEqual(900)
    expect(retryAfter).toBeGreaterThanOrEqual(900 - Math.ceil(elapsed / 1000))
    expect(locked.body).toBe(tooManyRequests)
  })

  it('rotates the refresh token; a reuse answers 401 and ends the session, rotated tokens included', async () => {
    const ip = viaHttpsProxy('192.0.2.7')
    const first = await signIn(client, 'bob', passwordOf('bob'), '192.0.2.7')
    const refreshed = await send(postJson('/v1/auth/refresh', { refresh_token: first.refresh_token }, ip))
    expect(comparable(refreshed)).toEqual({
      status: 200,
      headers: { ...jsonHeaders, ...hsts, ...anonymousLimits },
    })
    const second = JSON.parse(refreshed.body) as SignedIn
    expect(second).toEqual({
      access_token: expect.stringMatching(jwtPattern),
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: expect.stringMatching(refreshTokenPattern),
      scope: 'notes:read notes:write',
    })
    expect(second.refresh_token).not.toBe(first.refresh_token)
    expect((await send({ target: '/v1/notes', headers: bearer(second.access_token) })).status).toBe(200)

    const reused = await send(postJson('/v1/auth/refresh', { refresh_token: first.refresh_token }, ip))
    expect(comparable(reused)).toEqual({
      status: 401,
      headers: { ...problemHeaders, ...hsts, ...anonymousLimits },
    })
    expect(reused.body).toBe(refreshRefused)

    for (const token of [second.access_token, first.access_token]) {
      const res = await send({ target: '/v1/notes', headers: bearer(token) })
      expect(comparable(res)).toEqual({
        status: 401,
        headers: {
          ...problemHeaders,
          ...anonymousLimits,
          'www-authenticate': 'Bearer realm="api", error="invalid_token"',
        },
      })
      expect(res.body).toBe(tokenInvalid)
    }
    const rotated = await send(postJson('/v1/auth/refresh', { refresh_token: second.refresh_token }, ip))
    expect([rotated.status, rotated.body]).toEqual([401, refreshRefused])
  })

  it('answers an unknown refresh token with the same 401, and a malformed body with a 400', async () => {
    const unknown = await send(postJson('/v1/auth/refresh', { refresh_token: 'A'.repeat(43) }))
    expect(comparable(unknown)).toEqual({ status: 401, headers: { ...problemHeaders, ...anonymousLimits } })
    expect(unknown.body).toBe(refreshRefused)
    const malformed = await send(postJson('/v1/auth/refresh', { refreshToken: 'x' }))
    expect(comparable(malformed)).toEqual({ status: 400, headers: { ...problemHeaders, ...anonymousLimits } })
    expect(malformed.body).toBe(
      '{"errors":[{"location":"body","path":"/refresh_token","message":"Required"},{"location":"body","path":"/refreshToken","message":"Unknown field"}],"type":"urn:sec:problem:validation-failed","title":"Validation Failed","status":400}',
    )
  })

  it('does not let a stale access token sent along stop a refresh', async () => {
    const session = await signIn(client, 'admin', passwordOf('admin'), '192.0.2.8')
    const res = await send(
      postJson('/v1/auth/refresh', { refresh_token: session.refresh_token }, bearer('stale.access.token')),
    )
    expect(comparable(res)).toEqual({ status: 200, headers: { ...jsonHeaders, ...anonymousLimits } })
    expect(JSON.parse(res.body)).toMatchObject({ token_type: 'Bearer', expires_in: 900 })
  })

  it('signs out with a 204: the access token and the whole session stop working', async () => {
    const session = await signIn(client, 'alice', passwordOf('alice'), '192.0.2.9')
    const rotated = JSON.parse(
      (await send(postJson('/v1/auth/refresh', { refresh_token: session.refresh_token }))).body,
    ) as SignedIn
    const out = await send(postEmpty('/v1/auth/logout', bearer(rotated.access_token)))
    expect(comparable(out)).toEqual({ status: 204, headers: userEmptyHeaders })
    expect(out.body).toBe('')

    for (const token of [rotated.access_token, session.access_token]) {
      const res = await send({ target: '/v1/notes', headers: bearer(token) })
      expect([res.status, res.headers['www-authenticate'], res.body]).toEqual([
        401,
        'Bearer realm="api", error="invalid_token"',
        tokenInvalid,
      ])
    }
    const refresh = await send(postJson('/v1/auth/refresh', { refresh_token: rotated.refresh_token }))
    expect([refresh.status, refresh.body]).toEqual([401, refreshRefused])
    const again = await send(postEmpty('/v1/auth/logout', bearer(rotated.access_token)))
    expect([again.status, again.body]).toEqual([401, tokenInvalid])
  })

  it('refuses to sign out without an access token', async () => {
    const res = await send(postEmpty('/v1/auth/logout'))
    expect(comparable(res)).toEqual({
      status: 401,
      headers: { ...problemHeaders, ...anonymousLimits, 'www-authenticate': 'Bearer realm="api"' },
    })
    expect(res.body).toBe(tokenRequired)
  })

  it('publishes the public signing key at /.well-known/jwks.json, cacheable, without its private part', async () => {
    const res = await send({ target: '/.well-known/jwks.json' })
    expect(comparable(res)).toEqual({
      status: 200,
      headers: { ...jsonHeaders, ...anonymousLimits, 'cache-control': 'public, max-age=300' },
    })
    expect(res.body).toMatch(
      /^\{"keys":\[\{"kty":"EC","crv":"P-256","x":"[\w-]{43}","y":"[\w-]{43}","kid":"demo-[\w-]{8}","alg":"ES256","use":"sig"\}\]\}$/,
    )
    const jwk = (JSON.parse(res.body) as { keys: (JsonWebKey & { kid: string })[] }).keys[0] as JsonWebKey & {
      kid: string
    }
    expect(jwk.d).toBeUndefined()

    // A token the demo issued verifies with that key alone, as any other verifier would check it.
    const { access_token } = await signIn(client, 'bob', passwordOf('bob'), '192.0.2.10')
    const [header, payload, signature] = access_token.split('.')
    const key = createPublicKey({ key: jwk, format: 'jwk' })
    const signed = Buffer.from(`${header}.${payload}`)
    expect(
      verify('sha256', signed, { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature ?? '', 'base64url')),
    ).toBe(true)
    expect(decodePart(header)).toEqual({ alg: 'ES256', kid: jwk.kid, typ: 'at+jwt' })
    const claims = decodePart(payload) as Record<string, unknown>
    expect(claims).toEqual({
      iss: 'urn:sec:demo',
      sub: 'bob',
      aud: 'urn:sec:demo:api',
      scope: 'notes:read notes:write',
      client_id: 'notes-demo',
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      iat: expect.any(Number),
      exp: (claims.iat as number) + 900,
    })
  })

  it('refuses a refresh token in a body that is not JSON, and in the query string', async () => {
    const form = await send({
      method: 'POST',
      target: '/v1/auth/refresh',
      headers: [['Content-Type', 'application/x-www-form-urlencoded']],
      body: 'refresh_token=x',
    })
    expect(comparable(form)).toEqual({ status: 415, headers: { ...problemHeaders, ...anonymousLimits } })
    expect(form.body).toBe(
      '{"detail":"Send the body as application/json.","type":"urn:sec:problem:unsupported-media-type","title":"Unsupported Media Type","status":415}',
    )
    const query = await send(postEmpty('/v1/auth/refresh?refresh_token=x'))
    expect(comparable(query)).toEqual({ status: 400, headers: { ...problemHeaders, ...anonymousLimits } })
    expect(query.body).toBe(
      '{"detail":"Credentials must not be sent in the URL, where logs, proxies and browser history keep them. Send them in a header such as Authorization, or in the body.","parameters":["refresh_token"],"type":"urn:sec:problem:credentials-in-url","title":"Credentials In URL","status":400}',
    )
  })
}
