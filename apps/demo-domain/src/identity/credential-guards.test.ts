import { describe, expect, it } from 'vitest'
import { bearerHeader, send, testDemo, tokenFor } from '../demo/notes-demo.fixture.js'

const tokenRequired =
  '{"detail":"This resource needs an access token: Authorization: Bearer <token>.","type":"urn:sec:problem:unauthorized","title":"Unauthorized","status":401}'

async function setUp() {
  const { demo, time } = testDemo()
  const token = await tokenFor(demo, 'alice')
  const { key } = await demo.identity.apiKeys.issue({ owner: 'bob', scopes: ['notes:read'] })
  const notes = (headers: Record<string, string> = {}) =>
    send(demo, '/v1/notes', { headers, guards: demo.routes.listNotes })
  const keys = (headers: Record<string, string> = {}) =>
    send(demo, '/v1/api-keys', { headers, guards: demo.routes.listApiKeys })
  return { demo, time, token, key, notes, keys }
}

function refusal(outcome: Awaited<ReturnType<Awaited<ReturnType<typeof setUp>>['notes']>>) {
  return [outcome.response?.status, outcome.response?.headers.get('www-authenticate'), outcome.response?.body]
}

describe('identify, authenticated and signedIn', () => {
  it('authenticate an access token: the principal is the user, with the token scopes', async () => {
    const { notes, token } = await setUp()
    const outcome = await notes(bearerHeader(token))
    expect(outcome.response).toBeUndefined()
    expect(outcome.principal).toMatchObject({
      id: 'alice',
      kind: 'user',
      scopes: ['notes:read', 'notes:write'],
    })
  })

  it('authenticate an API key from X-API-Key: the principal is its owner', async () => {
    const { notes, key } = await setUp()
    const outcome = await notes({ 'x-api-key': key })
    expect(outcome.response).toBeUndefined()
    expect(outcome.principal).toMatchObject({ id: 'bob', kind: 'api-key', scopes: ['notes:read'] })
  })

  it('answer a request without credentials with a 401 Bearer challenge', async () => {
    const { notes } = await setUp()
    expect(refusal(await notes())).toEqual([401, 'Bearer realm="api"', tokenRequired])
  })

  it('answer a bad token with invalid_token, and an expired one too', async () => {
    const { notes, token, time } = await setUp()
    const invalid = [
      401,
      'Bearer realm="api", error="invalid_token"',
      '{"detail":"The access token is not valid.","type":"urn:sec:problem:unauthorized","title":"Unauthorized","status":401}',
    ]
    expect(refusal(await notes(bearerHeader(`${token.slice(0, -2)}AA`)))).toEqual(invalid)
    time.advance(15 * 60_000 + 30_001)
    expect(refusal(await notes(bearerHeader(token)))).toEqual(invalid)
  })

  it('answer a bad API key with its own challenge', async () => {
    const { notes, key } = await setUp()
    expect(refusal(await notes({ 'x-api-key': `${key.slice(0, -1)}x` }))).toEqual([
      401,
      'ApiKey realm="api", header="X-API-Key", error="invalid_token"',
      '{"detail":"The API key is not valid.","type":"urn:sec:problem:unauthorized","title":"Unauthorized","status":401}',
    ])
  })

  it('refuse two credentials at once with a 400', async () => {
    const { notes, key, token } = await setUp()
    expect(refusal(await notes({ ...bearerHeader(token), 'x-api-key': key }))).toEqual([
      400,
      'Bearer realm="api", error="invalid_request"',
      '{"detail":"Send one credential: an Authorization: Bearer token or an X-API-Key header, not both.","type":"urn:sec:problem:invalid-request","title":"Invalid Request","status":400}',
    ])
  })

  it('let a route without these guards go on despite a bad credential, as anonymous', async () => {
    const { demo } = await setUp()
    const outcome = await send(demo, '/health', { headers: bearerHeader('expired.or.forged') })
    expect(outcome.response).toBeUndefined()
    expect(outcome.principal).toBeUndefined()
  })

  it('count an authenticated caller by user and anyone else by IP', async () => {
    const { notes, token, key } = await setUp()
    expect((await notes(bearerHeader(token))).headers.get('ratelimit')).toBe('"api-user";r=299;t=1')
    expect((await notes({ 'x-api-key': key })).headers.get('ratelimit')).toBe('"api-user";r=299;t=1')
    expect((await notes(bearerHeader(token))).headers.get('ratelimit')).toBe('"api-user";r=298;t=1')
    expect((await notes(bearerHeader('forged'))).response?.headers.get('ratelimit')).toBe('"api";r=59;t=1')
  })

  it('keep API key management to access tokens: a key cannot list or mint keys', async () => {
    const { keys, key, token } = await setUp()
    expect(refusal(await keys({ 'x-api-key': key }))).toEqual([401, 'Bearer realm="api"', tokenRequired])
    expect(refusal(await keys())).toEqual([401, 'Bearer realm="api"', tokenRequired])
    expect((await keys(bearerHeader(token))).response).toBeUndefined()
  })
})
