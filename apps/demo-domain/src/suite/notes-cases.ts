import { expect, it } from 'vitest'
import { demoOrigin, noteBodyLimit } from '../security/index.js'
import {
  apiLimit,
  apiSecurityHeaders,
  hsts,
  isoTimestamp,
  jsonHeaders,
  limitedProblemHeaders,
  noteIdPattern,
  notFound,
  pathNotFound,
  problemHeaders,
  searchLimits,
  tokenRequired,
  tooManyRequests,
  userEmptyHeaders,
  userJsonHeaders,
  userProblemHeaders,
  validationFailed,
} from './expected-responses.js'
import { bearer, postJson, type SuiteClient, type SuiteSessions, viaHttpsProxy } from './suite-client.js'

const unknownId = 'n_AAAAAAAAAAAAAAAAAAAAAA'

/** What a reverse proxy on this machine sends for a client that reached it over plain HTTP. */
const viaPlainHttpProxy = [
  ['X-Forwarded-For', '203.0.113.7'],
  ['X-Forwarded-Proto', 'http'],
] as const

/** The cases of the Notes API itself: its notes, their owners, bodies, search, and the app-wide guards. */
export function notesCases(client: SuiteClient, sessions: SuiteSessions): void {
  const { send, comparable } = client
  const as = (user: keyof SuiteSessions) => bearer(sessions[user].access_token)
  const createNote = (user: keyof SuiteSessions, body: unknown) => send(postJson('/v1/notes', body, as(user)))

  it('answers GET /health', async () => {
    const res = await send({ target: '/health' })
    expect(comparable(res)).toEqual({ status: 200, headers: jsonHeaders })
    expect(res.body).toBe('{"status":"ok"}')
  })

  it('creates a note of the caller, then gets it and lists it', async () => {
    const created = await createNote('alice', { title: 'Groceries', body: 'Milk, eggs', tags: ['home'] })
    expect(comparable(created)).toEqual({ status: 201, headers: userJsonHeaders })
    const note = JSON.parse(created.body) as { id: string; createdAt: string }
    expect(note).toEqual({
      id: expect.stringMatching(noteIdPattern),
      ownerId: 'alice',
      title: 'Groceries',
      body: 'Milk, eggs',
      tags: ['home'],
      createdAt: expect.stringMatching(isoTimestamp),
    })
    expect(created.body).toBe(
      `{"id":"${note.id}","ownerId":"alice","title":"Groceries","body":"Milk, eggs","tags":["home"],"createdAt":"${note.createdAt}"}`,
    )

    const second = JSON.parse((await createNote('alice', { title: 'Second', body: '' })).body) as {
      id: string
    }
    expect(second.id).not.toBe(note.id)

    const got = await send({ target: `/v1/notes/${note.id}`, headers: as('alice') })
    expect(comparable(got)).toEqual({ status: 200, headers: userJsonHeaders })
    expect(got.body).toBe(created.body)

    const list = await send({ target: '/v1/notes', headers: as('alice') })
    expect(comparable(list)).toEqual({ status: 200, headers: userJsonHeaders })
    const notes = (JSON.parse(list.body) as { notes: { id: string }[] }).notes
    expect(notes.map((n) => n.id).slice(0, 2)).toEqual([second.id, note.id])
  })

  it("shows nobody another user's note: reading or deleting it is the 404 of a missing note", async () => {
    const alices = JSON.parse((await createNote('alice', { title: 'Private', body: 'mine' })).body) as {
      id: string
    }
    const bobs = JSON.parse((await createNote('bob', { title: 'Bob only', body: '' })).body) as { id: string }

    for (const [method, id] of [
      ['GET', alices.id],
      ['GET', unknownId],
      ['DELETE', alices.id],
      ['DELETE', unknownId],
    ] as const) {
      const res = await send({ method, target: `/v1/notes/${id}`, headers: as('bob') })
      expect(comparable(res)).toEqual({ status: 404, headers: userProblemHeaders })
      expect(res.body).toBe(notFound)
    }

    const bobsList = JSON.parse((await send({ target: '/v1/notes', headers: as('bob') })).body) as {
      notes: { id: string; ownerId: string }[]
    }
    expect(bobsList.notes.map((n) => n.id)).toContain(bobs.id)
    expect(bobsList.notes.every((n) => n.ownerId === 'bob')).toBe(true)
    const alicesList = JSON.parse((await send({ target: '/v1/notes', headers: as('alice') })).body) as {
      notes: { ownerId: string }[]
    }
    expect(alicesList.notes.every((n) => n.ownerId === 'alice')).toBe(true)
    expect((await send({ target: `/v1/notes/${alices.id}`, headers: as('alice') })).status).toBe(200)
  })

  it("deletes one's own note with a 204", async () => {
    const note = JSON.parse((await createNote('alice', { title: 'Done', body: '' })).body) as { id: string }
    const deleted = await send({ method: 'DELETE', target: `/v1/notes/${note.id}`, headers: as('alice') })
    expect(comparable(deleted)).toEqual({ status: 204, headers: userEmptyHeaders })
    expect(deleted.body).toBe('')
    const gone = await send({ target: `/v1/notes/${note.id}`, headers: as('alice') })
    expect([gone.status, gone.body]).toEqual([404, notFound])
  })

  it("lets admin delete anyone's note, though not read it", async () => {
    const note = JSON.parse((await createNote('bob', { title: 'Spam', body: '' })).body) as { id: string }
    const read = await send({ target: `/v1/notes/${note.id}`, headers: as('admin') })
    expect([read.status, read.body]).toEqual([404, notFound])
    const deleted = await send({ method: 'DELETE', target: `/v1/notes/${note.id}`, headers: as('admin') })
    expect(comparable(deleted)).toEqual({ status: 204, headers: userEmptyHeaders })
    const gone = await send({ target: `/v1/notes/${note.id}`, headers: as('bob') })
    expect([gone.status, gone.body]).toEqual([404, notFound])
  })

  it.each(['/v1/notes', `/v1/notes/${unknownId}`, '/v1/search?q=x'])(
    'answers GET %s without credentials with a 401 Bearer challenge',
    async (target) => {
      const res = await send({ target })
      expect(comparable(res)).toEqual({
        status: 401,
        headers: { ...limitedProblemHeaders, 'www-authenticate': 'Bearer realm="api"' },
      })
      expect(res.body).toBe(tokenRequired)
    },
  )

  it('refuses to create a note without credentials before reading the body', async () => {
    const res = await send(postJson('/v1/notes', '{"title":'))
    expect(comparable(res)).toEqual({
      status: 401,
      headers: { ...limitedProblemHeaders, 'www-authenticate': 'Bearer realm="api"' },
    })
    expect(res.body).toBe(tokenRequired)
  })

  it('answers an unknown path with a bare 404 problem', async () => {
    const res = await send({ target: '/v1/nothing-here' })
    expect(comparable(res)).toEqual({ status: 404, headers: limitedProblemHeaders })
    expect(res.body).toBe(pathNotFound)
  })

  it('refuses a malformed note id with a 400 before looking it up', async () => {
    const res = await send({ target: '/v1/notes/1', headers: as('alice') })
    expect(comparable(res)).toEqual({ status: 400, headers: userProblemHeaders })
    expect(res.body).toBe(
      validationFailed('params', '/id', 'Invalid regex: expected /^n_[A-Za-z0-9_-]{22}$/'),
    )
  })

  it('refuses a note with an unknown field with a 400 validation problem', async () => {
    const res = await createNote('alice', '{"title":"t","body":"b","ownerId":"bob"}')
    expect(comparable(res)).toEqual({ status: 400, headers: userProblemHeaders })
    expect(res.body).toBe(validationFailed('body', '/ownerId', 'Unknown field'))
  })

  it('refuses malformed JSON with a 400', async () => {
    const res = await createNote('alice', '{"title":')
    expect(comparable(res)).toEqual({ status: 400, headers: userProblemHeaders })
    expect(res.body).toBe(
      '{"detail":"The body is not valid JSON.","type":"urn:sec:problem:malformed-json","title":"Malformed JSON","status":400}',
    )
  })

  it('refuses a body that is not JSON with a 415', async () => {
    const res = await send({
      method: 'POST',
      target: '/v1/notes',
      headers: [['Content-Type', 'application/x-www-form-urlencoded'], ...as('alice')],
      body: 'title=t',
    })
    expect(comparable(res)).toEqual({ status: 415, headers: userProblemHeaders })
    expect(res.body).toBe(
      '{"detail":"Send the body as application/json.","type":"urn:sec:problem:unsupported-media-type","title":"Unsupported Media Type","status":415}',
    )
  })

  it('refuses a body over 64 KiB with a 413', async () => {
    const res = await createNote('alice', `{"title":"t","body":"${'x'.repeat(noteBodyLimit)}"}`)
    expect(comparable(res)).toEqual({ status: 413, headers: userProblemHeaders })
    expect(res.body).toBe(
      `{"detail":"The body exceeds ${noteBodyLimit} bytes.","type":"urn:sec:problem:body-too-large","title":"Content Too Large","status":413}`,
    )
  })

  it('refuses a __proto__ key in the JSON body', async () => {
    const res = await createNote('alice', '{"__proto__":{"admin":true},"title":"t","body":""}')
    expect(comparable(res)).toEqual({ status: 400, headers: userProblemHeaders })
    expect(res.body).toBe(
      '{"detail":"The key \\"__proto__\\" is not allowed.","location":"body","pointer":"/__proto__","type":"urn:sec:problem:forbidden-json-key","title":"Forbidden JSON Key","status":400}',
    )
  })

  it('redirects a request the loopback proxy marks as plain HTTP to HTTPS with a 308', async () => {
    const res = await send({ target: '/v1/notes?x=1', headers: viaPlainHttpProxy })
    expect(comparable(res)).toEqual({
      status: 308,
      headers: { ...problemHeaders, location: `https://${new URL(client.url()).hostname}/v1/notes?x=1` },
    })
    expect(res.body).toBe(
      '{"detail":"This API is served over HTTPS only. Repeat the request at the Location given.","type":"urn:sec:problem:https-redirect","title":"HTTPS Required","status":308}',
    )
  })

  it('refuses a POST the loopback proxy marks as plain HTTP with a 403: its body already crossed in clear', async () => {
    const res = await send(
      postJson('/v1/auth/token', { username: 'alice', password: 'x' }, viaPlainHttpProxy),
    )
    expect(comparable(res)).toEqual({ status: 403, headers: problemHeaders })
    expect(res.body).toBe(
      '{"detail":"This API is served over HTTPS only. Send the request over HTTPS.","type":"urn:sec:problem:https-required","title":"HTTPS Required","status":403}',
    )
  })

  it('serves a request a trusted proxy forwarded over HTTPS, with HSTS', async () => {
    const res = await send({ target: '/health', headers: [['X-Forwarded-Proto', 'https']] })
    expect(comparable(res)).toEqual({ status: 200, headers: { ...jsonHeaders, ...hsts } })
    expect(res.body).toBe('{"status":"ok"}')
  })

  it('refuses credentials in the query string', async () => {
    const res = await send({ target: '/v1/notes?access_token=abc' })
    expect(comparable(res)).toEqual({ status: 400, headers: limitedProblemHeaders })
    expect(res.body).toBe(
      '{"detail":"Credentials must not be sent in the URL, where logs, proxies and browser history keep them. Send them in a header such as Authorization, or in the body.","parameters":["access_token"],"type":"urn:sec:problem:credentials-in-url","title":"Credentials In URL","status":400}',
    )
  })

  it(`answers a CORS preflight from ${demoOrigin} with a 204, allowing Authorization and DELETE`, async () => {
    const res = await send({
      method: 'OPTIONS',
      target: '/v1/notes',
      headers: [
        ['Origin', demoOrigin],
        ['Access-Control-Request-Method', 'DELETE'],
        ['Access-Control-Request-Headers', 'authorization, content-type'],
      ],
    })
    expect(comparable(res)).toEqual({
      status: 204,
      headers: {
        ...apiSecurityHeaders,
        'access-control-allow-origin': demoOrigin,
        'access-control-allow-methods': 'GET, HEAD, POST, DELETE',
        'access-control-allow-headers': 'Content-Type, Authorization',
        'access-control-max-age': '600',
        vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
      },
    })
    expect(res.body).toBe('')
  })

  it('refuses a CORS preflight asking to send X-API-Key: keys are not for browsers', async () => {
    const res = await send({
      method: 'OPTIONS',
      target: '/v1/notes',
      headers: [
        ['Origin', demoOrigin],
        ['Access-Control-Request-Method', 'GET'],
        ['Access-Control-Request-Headers', 'x-api-key'],
      ],
    })
    expect(res.status).toBe(403)
    expect(res.headers['access-control-allow-origin']).toBeUndefined()
  })

  it(`lets ${demoOrigin} read a response, and its rate-limit and challenge headers`, async () => {
    const res = await send({ target: '/health', headers: [['Origin', demoOrigin]] })
    expect(comparable(res)).toEqual({
      status: 200,
      headers: {
        ...jsonHeaders,
        'access-control-allow-origin': demoOrigin,
        'access-control-expose-headers':
          'RateLimit, RateLimit-Policy, Retry-After, WWW-Authenticate, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset',
      },
    })
    expect(res.body).toBe('{"status":"ok"}')
  })

  it('refuses a CORS preflight from any other origin', async () => {
    const res = await send({
      method: 'OPTIONS',
      target: '/v1/notes',
      headers: [
        ['Origin', 'https://evil.example'],
        ['Access-Control-Request-Method', 'POST'],
      ],
    })
    expect(comparable(res)).toEqual({
      status: 403,
      headers: {
        ...problemHeaders,
        vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
      },
    })
    expect(res.body).toBe(
      '{"detail":"This origin may not make cross-origin requests here.","type":"urn:sec:problem:cors-denied","title":"CORS Request Denied","status":403}',
    )
  })

  it('counts an anonymous client by IP on /v1/*, 60 requests a minute, refused ones included', async () => {
    const first = await send({ target: '/v1/notes', headers: viaHttpsProxy('198.51.100.1') })
    expect(comparable(first)).toEqual({
      status: 401,
      headers: { ...problemHeaders, ...hsts, ...apiLimit(59, 1), 'www-authenticate': 'Bearer realm="api"' },
    })

    const unknown = await send({ target: '/v1/nothing-here', headers: viaHttpsProxy('198.51.100.2') })
    expect(comparable(unknown)).toEqual({
      status: 404,
      headers: { ...problemHeaders, ...hsts, ...apiLimit(59, 1) },
    })
    expect(unknown.body).toBe(pathNotFound)

    const forged = await send({
      target: '/v1/notes',
      headers: [...viaHttpsProxy('198.51.100.2'), ['Authorization', 'Bearer forged.token.here']],
    })
    expect(comparable(forged)).toEqual({
      status: 401,
      headers: {
        ...problemHeaders,
        ...hsts,
        ...apiLimit(58, 2),
        'www-authenticate': 'Bearer realm="api", error="invalid_token"',
      },
    })
  })

  it('does not limit GET /health, nor count it', async () => {
    const client3 = viaHttpsProxy('198.51.100.3')
    const health = await send({ target: '/health', headers: client3 })
    expect(comparable(health)).toEqual({ status: 200, headers: { ...jsonHeaders, ...hsts } })
    expect(health.body).toBe('{"status":"ok"}')

    const notes = await send({ target: '/v1/nothing-here', headers: client3 })
    expect(comparable(notes)).toEqual({
      status: 404,
      headers: { ...problemHeaders, ...hsts, ...apiLimit(59, 1) },
    })
  })

  it("searches the caller's note titles, ignoring case, newest first", async () => {
    const created: string[] = []
    for (const title of ['Quokka facts', 'Wombat burrows', 'A big QUOKKA day'])
      created.push((await createNote('bob', { title, body: '' })).body)
    await createNote('alice', { title: 'Quokka of alice', body: '' })
    const [facts, , bigDay] = created

    const found = await send({
      target: '/v1/search?q=quokka',
      headers: [...viaHttpsProxy('198.51.100.4'), ...as('bob')],
    })
    expect(comparable(found)).toEqual({
      status: 200,
      headers: { ...jsonHeaders, ...hsts, ...searchLimits(9, 6) },
    })
    expect(found.body).toBe(`{"notes":[${bigDay},${facts}]}`)

    const one = await send({
      target: '/v1/search?q=BIG%20quokka',
      headers: [...viaHttpsProxy('198.51.100.5'), ...as('bob')],
    })
    expect([one.status, one.body]).toEqual([200, `{"notes":[${bigDay}]}`])

    const none = await send({
      target: '/v1/search?q=quokka%20facts%20day',
      headers: [...viaHttpsProxy('198.51.100.6'), ...as('bob')],
    })
    expect([none.status, none.body]).toEqual([200, '{"notes":[]}'])
  })

  it.each([
    ['a missing q', '/v1/search', '/q', 'Required', '198.51.100.7'],
    ['an empty q', '/v1/search?q=', '/q', 'Invalid min length: expected >=1', '198.51.100.8'],
    [
      'a q of 101 characters',
      `/v1/search?q=${'x'.repeat(101)}`,
      '/q',
      'Invalid max length: expected <=100',
      '198.51.100.9',
    ],
    ['a repeated q', '/v1/search?q=a&q=b', '/q', 'Expected string', '198.51.100.10'],
    ['another parameter', '/v1/search?q=a&page=2', '/page', 'Unknown field', '198.51.100.11'],
  ])(
    'refuses a search with %s with a 400, counted against the search limit',
    async (_, target, path, message, ip) => {
      const res = await send({ target, headers: [...viaHttpsProxy(ip), ...as('alice')] })
      expect(comparable(res)).toEqual({
        status: 400,
        headers: { ...problemHeaders, ...hsts, ...searchLimits(9, 6) },
      })
      expect(res.body).toBe(validationFailed('query', path, message))
    },
  )

  it('allows a client 10 searches a minute, then refuses with a 429 and Retry-After', async () => {
    const search = {
      target: '/v1/search?q=wombat',
      headers: [...viaHttpsProxy('198.51.100.12'), ...as('alice')],
    }
    const started = Date.now()
    const first = await send(search)
    expect(comparable(first)).toEqual({
      status: 200,
      headers: { ...jsonHeaders, ...hsts, ...searchLimits(9, 6) },
    })
    for (let remaining = 8; remaining >= 0; remaining--) {
      const res = await send(search)
      expect([res.status, res.headers['x-ratelimit-remaining']]).toEqual([200, String(remaining)])
    }

    const refused = await send(search)
    const elapsed = Date.now() - started
    // The search bucket gets its next unit 6 s after the first search: Retry-After moves by the
    // whole seconds the server's clock advanced since then. That is 0 unless this machine stalled;
    // it cannot exceed what this test measured.
    const lag = 6 - Number(refused.headers['retry-after'])
    expect(lag).toBeGreaterThanOrEqual(0)
    expect(lag).toBeLessThanOrEqual(Math.floor(elapsed / 1000))
    expect(comparable(refused)).toEqual({
      status: 429,
      headers: { ...problemHeaders, ...hsts, 'retry-after': String(6 - lag), ...searchLimits(0, 6 - lag) },
    })
    expect(refused.body).toBe(tooManyRequests)

    // The search limit is the search route's own: the client may still use the others, and other
    // clients may still search.
    const notes = await send({ target: '/v1/notes', headers: search.headers })
    expect([notes.status, notes.headers['ratelimit-policy']]).toEqual([200, '"api-user";q=300;w=60'])
    const other = await send({ ...search, headers: [...viaHttpsProxy('198.51.100.13'), ...as('alice')] })
    expect(comparable(other)).toEqual({
      status: 200,
      headers: { ...jsonHeaders, ...hsts, ...searchLimits(9, 6) },
    })
  })
}
