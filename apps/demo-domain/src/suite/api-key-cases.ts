import { expect, it } from 'vitest'
import {
  isoTimestamp,
  limitedProblemHeaders,
  notFound,
  tokenRequired,
  userEmptyHeaders,
  userJsonHeaders,
  userProblemHeaders,
  validationFailed,
} from './expected-responses.js'
import { bearer, postEmpty, postJson, type SuiteClient, type SuiteSessions } from './suite-client.js'

const keyPattern = /^sk_test_([0-9A-Za-z]{12})_[0-9A-Za-z]{28}$/
const day = 86_400_000

interface KeyView {
  id: string
  scopes: string[]
  createdAt: string
  expiresAt: string | null
  lastUsedAt: string | null
  replacedBy: string | null
}

interface CreatedKey extends KeyView {
  key: string
}

function plus(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString()
}

/** The cases of API keys: their lifecycle, who sees them, and what a key may do. */
export function apiKeyCases(client: SuiteClient, sessions: SuiteSessions): void {
  const { send, comparable } = client
  const as = (user: keyof SuiteSessions) => bearer(sessions[user].access_token)
  const withKey = (key: string) => [['X-API-Key', key]] as const
  const createKey = async (user: keyof SuiteSessions, body: unknown) => {
    const res = await send(postJson('/v1/api-keys', body, as(user)))
    expect(res.status).toBe(201)
    return JSON.parse(res.body) as CreatedKey
  }

  it('creates a key, shown once; lists metadata only; rotates it with a grace period; deletes it', async () => {
    const created = await send(
      postJson('/v1/api-keys', { scopes: ['notes:read', 'notes:write'] }, as('alice')),
    )
    expect(comparable(created)).toEqual({ status: 201, headers: userJsonHeaders })
    const key = JSON.parse(created.body) as CreatedKey
    expect(key).toEqual({
      key: expect.stringMatching(keyPattern),
      id: key.key.match(keyPattern)?.[1],
      scopes: ['notes:read', 'notes:write'],
      createdAt: expect.stringMatching(isoTimestamp),
      expiresAt: plus(key.createdAt, 90 * day),
      lastUsedAt: null,
      replacedBy: null,
    })
    expect(created.body).toBe(
      `{"key":"${key.key}","id":"${key.id}","scopes":["notes:read","notes:write"],"createdAt":"${key.createdAt}","expiresAt":"${key.expiresAt}","lastUsedAt":null,"replacedBy":null}`,
    )

    // The key acts as its owner, within its scopes.
    const note = await send(postJson('/v1/notes', { title: 'By key', body: '' }, withKey(key.key)))
    expect(comparable(note)).toEqual({ status: 201, headers: userJsonHeaders })
    expect(JSON.parse(note.body)).toMatchObject({ ownerId: 'alice', title: 'By key' })

    const listed = await send({ target: '/v1/api-keys', headers: as('alice') })
    expect(comparable(listed)).toEqual({ status: 200, headers: userJsonHeaders })
    const { key: secret, ...metadata } = key
    const keys = (JSON.parse(listed.body) as { keys: KeyView[] }).keys
    expect(keys).toEqual([{ ...metadata, lastUsedAt: expect.stringMatching(isoTimestamp) }])
    expect(listed.body).not.toContain(secret.slice(21))

    const rotated = await send(postEmpty(`/v1/api-keys/${key.id}/rotate`, as('alice')))
    expect(comparable(rotated)).toEqual({ status: 201, headers: userJsonHeaders })
    const next = JSON.parse(rotated.body) as CreatedKey
    expect(next).toEqual({
      key: expect.stringMatching(keyPattern),
      id: next.key.match(keyPattern)?.[1],
      scopes: ['notes:read', 'notes:write'],
      createdAt: expect.stringMatching(isoTimestamp),
      expiresAt: plus(next.createdAt, 90 * day),
      lastUsedAt: null,
      replacedBy: null,
    })
    expect(next.id).not.toBe(key.id)

    // Both work during the grace period: a day for the old one, from the rotation.
    for (const presented of [key.key, next.key]) {
      const res = await send({ target: '/v1/notes', headers: withKey(presented) })
      expect(comparable(res)).toEqual({ status: 200, headers: userJsonHeaders })
    }
    const both = (
      JSON.parse((await send({ target: '/v1/api-keys', headers: as('alice') })).body) as { keys: KeyView[] }
    ).keys
    expect(both.map((k) => [k.id, k.replacedBy])).toEqual([
      [key.id, next.id],
      [next.id, null],
    ])
    expect(both[0]?.expiresAt).toBe(plus(next.createdAt, day))

    const again = await send(postEmpty(`/v1/api-keys/${key.id}/rotate`, as('alice')))
    expect(comparable(again)).toEqual({ status: 404, headers: userProblemHeaders })
    expect(again.body).toBe(notFound)

    const deleted = await send({ method: 'DELETE', target: `/v1/api-keys/${next.id}`, headers: as('alice') })
    expect(comparable(deleted)).toEqual({ status: 204, headers: userEmptyHeaders })
    expect(deleted.body).toBe('')
    const refused = await send({ target: '/v1/notes', headers: withKey(next.key) })
    expect(comparable(refused)).toEqual({
      status: 401,
      headers: {
        ...limitedProblemHeaders,
        'www-authenticate': 'ApiKey realm="api", header="X-API-Key", error="invalid_token"',
      },
    })
    expect(refused.body).toBe(
      '{"detail":"The API key is not valid.","type":"urn:sec:problem:unauthorized","title":"Unauthorized","status":401}',
    )
    const left = (
      JSON.parse((await send({ target: '/v1/api-keys', headers: as('alice') })).body) as { keys: KeyView[] }
    ).keys
    expect(left.map((k) => k.id)).toEqual([key.id])
    const twice = await send({ method: 'DELETE', target: `/v1/api-keys/${next.id}`, headers: as('alice') })
    expect([twice.status, twice.body]).toEqual([404, notFound])
  })

  it('answers 403 insufficient_scope to a key used beyond its scopes', async () => {
    const { key } = await createKey('alice', { scopes: ['notes:read'], expiresIn: 3600 })
    const write = await send(postJson('/v1/notes', { title: 't', body: '' }, withKey(key)))
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
    const read = await send({ target: '/v1/notes', headers: withKey(key) })
    expect(comparable(read)).toEqual({ status: 200, headers: userJsonHeaders })
  })

  it('never grants a key a scope the token creating it lacks', async () => {
    const signIn = await send(
      postJson('/v1/auth/token', { username: 'bob', password: 'bob-the-builder', scope: 'notes:read' }, [
        ['X-Forwarded-For', '192.0.2.30'],
        ['X-Forwarded-Proto', 'https'],
      ]),
    )
    const readOnly = (JSON.parse(signIn.body) as { access_token: string }).access_token
    const res = await send(
      postJson('/v1/api-keys', { scopes: ['notes:read', 'notes:write'] }, bearer(readOnly)),
    )
    expect(comparable(res)).toEqual({
      status: 403,
      headers: {
        ...userProblemHeaders,
        'www-authenticate': 'Bearer realm="api", error="insufficient_scope", scope="notes:write"',
      },
    })
    expect(res.body).toBe(
      '{"detail":"An API key cannot grant a scope the access token that creates it lacks.","type":"urn:sec:problem:insufficient-scope","title":"Insufficient Scope","status":403}',
    )
  })

  it("keeps each user's keys their own: another user's key is a 404, and absent from the list", async () => {
    const alices = await createKey('alice', { scopes: ['notes:read'], expiresIn: 3600 })
    for (const request of [
      postEmpty(`/v1/api-keys/${alices.id}/rotate`, as('bob')),
      { method: 'DELETE', target: `/v1/api-keys/${alices.id}`, headers: as('bob') },
      { method: 'DELETE', target: '/v1/api-keys/AAAAAAAAAAAA', headers: as('bob') },
    ]) {
      const res = await send(request)
      expect(comparable(res)).toEqual({ status: 404, headers: userProblemHeaders })
      expect(res.body).toBe(notFound)
    }
    const bobs = (
      JSON.parse((await send({ target: '/v1/api-keys', headers: as('bob') })).body) as { keys: KeyView[] }
    ).keys
    expect(bobs.map((k) => k.id)).not.toContain(alices.id)
    expect((await send({ target: '/v1/notes', headers: withKey(alices.key) })).status).toBe(200)
  })

  it('does not let a key manage keys or sign out: those need an access token', async () => {
    const { key } = await createKey('bob', { scopes: ['notes:read', 'notes:write'], expiresIn: 3600 })
    for (const request of [
      { target: '/v1/api-keys' },
      postJson('/v1/api-keys', { scopes: ['notes:read'] }),
      postEmpty('/v1/auth/logout'),
    ]) {
      const res = await send({ ...request, headers: [...(request.headers ?? []), ...withKey(key)] })
      expect(comparable(res)).toEqual({
        status: 401,
        headers: { ...userProblemHeaders, 'www-authenticate': 'Bearer realm="api"' },
      })
      expect(res.body).toBe(tokenRequired)
    }
  })

  it('refuses a key in the query string', async () => {
    const { key } = await createKey('bob', { scopes: ['notes:read'], expiresIn: 3600 })
    const res = await send({ target: `/v1/notes?api_key=${key}` })
    expect(comparable(res)).toEqual({ status: 400, headers: limitedProblemHeaders })
    expect(res.body).toBe(
      '{"detail":"Credentials must not be sent in the URL, where logs, proxies and browser history keep them. Send them in a header such as Authorization, or in the body.","parameters":["api_key"],"type":"urn:sec:problem:credentials-in-url","title":"Credentials In URL","status":400}',
    )
  })

  it('refuses a key request with unknown scopes, or a malformed key id', async () => {
    const scopes = await send(postJson('/v1/api-keys', { scopes: ['notes:admin'] }, as('alice')))
    expect(comparable(scopes)).toEqual({ status: 400, headers: userProblemHeaders })
    expect(scopes.body).toBe(
      validationFailed('body', '/scopes/0', 'Expected (\\"notes:read\\" | \\"notes:write\\")'),
    )
    const id = await send({ method: 'DELETE', target: '/v1/api-keys/x', headers: as('alice') })
    expect(comparable(id)).toEqual({ status: 400, headers: userProblemHeaders })
    expect(id.body).toBe(validationFailed('params', '/id', 'Invalid regex: expected /^[0-9A-Za-z]{12}$/'))
  })

  it('refuses two credentials at once with a 400', async () => {
    const { key } = await createKey('bob', { scopes: ['notes:read'], expiresIn: 3600 })
    const res = await send({ target: '/v1/notes', headers: [...as('bob'), ...withKey(key)] })
    expect(comparable(res)).toEqual({
      status: 400,
      headers: {
        ...limitedProblemHeaders,
        'www-authenticate': 'Bearer realm="api", error="invalid_request"',
      },
    })
    expect(res.body).toBe(
      '{"detail":"Send one credential: an Authorization: Bearer token or an X-API-Key header, not both.","type":"urn:sec:problem:invalid-request","title":"Invalid Request","status":400}',
    )
  })
}
