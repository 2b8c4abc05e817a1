import {
  type ConformanceRequest,
  type ConformanceResponse,
  type HeaderLines,
  normalizeResponse,
  securityHeaders,
  sendRequest,
} from '@sec/testkit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { demoOrigin, noteBodyLimit } from '../security/index.js'

/** A demo server started for the suite. */
export interface DemoServer {
  /** Its base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string
  /** Stops it. */
  close(): Promise<void>
}

/**
 * Starts a fresh demo server on a free port of 127.0.0.1: an empty store, and rate limiters of its
 * own in memory, so every client the suite invents starts with full buckets.
 */
export type StartDemoServer = () => Promise<DemoServer>

/** Options of {@link runDemoSuite}. */
export interface DemoSuiteOptions {
  /** How long starting the server may take, in ms. Default: `10000`. */
  readonly startTimeout?: number
  /**
   * `Vary` tokens the framework itself adds to every response, left out of comparisons. Next.js
   * adds `rsc, next-router-state-tree, next-router-prefetch, next-router-segment-prefetch` to
   * every route handler response. Default: none.
   */
  readonly frameworkVaryTokens?: readonly string[]
}

/** The security headers of `headers('api')`, on every response: the conformance suite's own. */
export const apiSecurityHeaders = securityHeaders

const jsonHeaders = {
  ...apiSecurityHeaders,
  vary: 'Origin',
  'content-type': 'application/json; charset=utf-8',
}
const problemHeaders = { ...apiSecurityHeaders, vary: 'Origin', 'content-type': 'application/problem+json' }
const hsts = { 'strict-transport-security': 'max-age=31536000; includeSubDomains' }

/**
 * The rate-limit headers of a `/v1/*` response to the direct client (`127.0.0.1`, no forwarding
 * headers) of the tests that are not about rate limits: the policy is exact; how many requests
 * remain and when the bucket is full again depend on the tests before, so only their form is checked.
 */
const directClientLimits = {
  'ratelimit-policy': '"api";q=60;w=60',
  ratelimit: expect.stringMatching(/^"api";r=\d{1,2};t=\d{1,2}$/),
  'x-ratelimit-limit': '60',
  'x-ratelimit-remaining': expect.stringMatching(/^\d{1,2}$/),
  'x-ratelimit-reset': expect.stringMatching(/^\d{1,2}$/),
}
const limitedJsonHeaders = { ...jsonHeaders, ...directClientLimits }
const limitedProblemHeaders = { ...problemHeaders, ...directClientLimits }

/** The headers of the app-wide limit (60 a minute per client IP) alone. */
function apiLimit(remaining: number, reset: number) {
  return {
    'ratelimit-policy': '"api";q=60;w=60',
    ratelimit: `"api";r=${remaining};t=${reset}`,
    'x-ratelimit-limit': '60',
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': String(reset),
  }
}

/**
 * The headers of a search: the app-wide limit and the search limit (10 a minute per client IP),
 * whose lower remaining count the `X-RateLimit-*` headers report.
 */
function searchLimits(api: [remaining: number, reset: number], search: [remaining: number, reset: number]) {
  return {
    'ratelimit-policy': '"api";q=60;w=60, "search";q=10;w=60',
    ratelimit: `"api";r=${api[0]};t=${api[1]}, "search";r=${search[0]};t=${search[1]}`,
    'x-ratelimit-limit': '10',
    'x-ratelimit-remaining': String(search[0]),
    'x-ratelimit-reset': String(search[1]),
  }
}

/**
 * A client behind the trusted loopback proxy, which reached it over HTTPS. Each test that counts
 * requests uses addresses no other test uses, so it starts with full buckets.
 */
function viaHttpsProxy(ip: string): HeaderLines {
  return [
    ['X-Forwarded-For', ip],
    ['X-Forwarded-Proto', 'https'],
  ]
}

const tooManyRequests =
  '{"detail":"Too many requests. Wait for the number of seconds in Retry-After before retrying.","type":"urn:sec:problem:rate-limited","title":"Too Many Requests","status":429}'

function validationFailed(path: string, message: string): string {
  return `{"errors":[{"location":"query","path":"${path}","message":"${message}"}],"type":"urn:sec:problem:validation-failed","title":"Validation Failed","status":400}`
}

function comparableWith(frameworkVaryTokens: readonly string[] | undefined) {
  const options = frameworkVaryTokens === undefined ? {} : { frameworkVaryTokens }
  return (response: ConformanceResponse): { status: number; headers: Record<string, string> } => {
    const { status, headers } = normalizeResponse(response, options)
    return { status, headers: { ...headers } }
  }
}

const unknownId = 'n_AAAAAAAAAAAAAAAAAAAAAA'
const noteIdPattern = /^n_[A-Za-z0-9_-]{22}$/
const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

/** What a reverse proxy on this machine sends for a client that reached it over plain HTTP. */
const viaPlainHttpProxy = [
  ['X-Forwarded-For', '203.0.113.7'],
  ['X-Forwarded-Proto', 'http'],
] as const

function postJson(body: string, contentType = 'application/json'): ConformanceRequest {
  return { method: 'POST', target: '/v1/notes', headers: [['Content-Type', contentType]], body }
}

/**
 * The black-box suite every Notes demo runs against its real server: the same requests must get
 * the same status, headers (all but the conformance suite's `ignoredHeaders`) and body from Express, Fastify, Koa
 * and Next.js.
 */
export function runDemoSuite(name: string, start: StartDemoServer, options: DemoSuiteOptions = {}): void {
  describe(`${name} Notes demo`, () => {
    let server: DemoServer
    const send = (request: ConformanceRequest) => sendRequest(server.url, request)
    const comparable = comparableWith(options.frameworkVaryTokens)

    beforeAll(async () => {
      server = await start()
    }, options.startTimeout ?? 10_000)

    afterAll(async () => {
      await server?.close()
    })

    it('answers GET /health', async () => {
      const res = await send({ target: '/health' })
      expect(comparable(res)).toEqual({ status: 200, headers: jsonHeaders })
      expect(res.body).toBe('{"status":"ok"}')
    })

    it('creates a note, then gets it and lists it', async () => {
      const created = await send(postJson('{"title":"Groceries","body":"Milk, eggs","tags":["home"]}'))
      expect(comparable(created)).toEqual({ status: 201, headers: limitedJsonHeaders })
      const note = JSON.parse(created.body) as { id: string; createdAt: string }
      expect(note).toEqual({
        id: expect.stringMatching(noteIdPattern),
        title: 'Groceries',
        body: 'Milk, eggs',
        tags: ['home'],
        createdAt: expect.stringMatching(isoTimestamp),
      })
      expect(created.body).toBe(
        `{"id":"${note.id}","title":"Groceries","body":"Milk, eggs","tags":["home"],"createdAt":"${note.createdAt}"}`,
      )

      const second = JSON.parse((await send(postJson('{"title":"Second","body":""}'))).body) as { id: string }
      expect(second.id).not.toBe(note.id)

      const got = await send({ target: `/v1/notes/${note.id}` })
      expect(comparable(got)).toEqual({ status: 200, headers: limitedJsonHeaders })
      expect(got.body).toBe(created.body)

      const list = await send({ target: '/v1/notes' })
      expect(comparable(list)).toEqual({ status: 200, headers: limitedJsonHeaders })
      const notes = (JSON.parse(list.body) as { notes: { id: string }[] }).notes
      expect(notes.map((n) => n.id)).toEqual([second.id, note.id])
    })

    it('answers an unknown note id with a bare 404 problem', async () => {
      const res = await send({ target: `/v1/notes/${unknownId}` })
      expect(comparable(res)).toEqual({ status: 404, headers: limitedProblemHeaders })
      expect(res.body).toBe('{"type":"about:blank","title":"Not Found","status":404}')
    })

    it('answers an unknown path with a bare 404 problem', async () => {
      const res = await send({ target: '/v1/nothing-here' })
      expect(comparable(res)).toEqual({ status: 404, headers: limitedProblemHeaders })
      expect(res.body).toBe('{"type":"about:blank","title":"Not Found","status":404}')
    })

    it('refuses a malformed note id with a 400 before looking it up', async () => {
      const res = await send({ target: '/v1/notes/1' })
      expect(comparable(res)).toEqual({ status: 400, headers: limitedProblemHeaders })
      expect(res.body).toBe(
        '{"errors":[{"location":"params","path":"/id","message":"Invalid regex: expected /^n_[A-Za-z0-9_-]{22}$/"}],"type":"urn:sec:problem:validation-failed","title":"Validation Failed","status":400}',
      )
    })

    it('refuses a note with an unknown field with a 400 validation problem', async () => {
      const res = await send(postJson('{"title":"t","body":"b","id":"n_chosen_by_the_caller_00"}'))
      expect(comparable(res)).toEqual({ status: 400, headers: limitedProblemHeaders })
      expect(res.body).toBe(
        '{"errors":[{"location":"body","path":"/id","message":"Unknown field"}],"type":"urn:sec:problem:validation-failed","title":"Validation Failed","status":400}',
      )
    })

    it('refuses malformed JSON with a 400', async () => {
      const res = await send(postJson('{"title":'))
      expect(comparable(res)).toEqual({ status: 400, headers: limitedProblemHeaders })
      expect(res.body).toBe(
        '{"detail":"The body is not valid JSON.","type":"urn:sec:problem:malformed-json","title":"Malformed JSON","status":400}',
      )
    })

    it('refuses a body that is not JSON with a 415', async () => {
      const res = await send(postJson('title=t', 'application/x-www-form-urlencoded'))
      expect(comparable(res)).toEqual({ status: 415, headers: limitedProblemHeaders })
      expect(res.body).toBe(
        '{"detail":"Send the body as application/json.","type":"urn:sec:problem:unsupported-media-type","title":"Unsupported Media Type","status":415}',
      )
    })

    it('refuses a body over 64 KiB with a 413', async () => {
      const res = await send(postJson(`{"title":"t","body":"${'x'.repeat(noteBodyLimit)}"}`))
      expect(comparable(res)).toEqual({ status: 413, headers: limitedProblemHeaders })
      expect(res.body).toBe(
        `{"detail":"The body exceeds ${noteBodyLimit} bytes.","type":"urn:sec:problem:body-too-large","title":"Content Too Large","status":413}`,
      )
    })

    it('redirects a request the loopback proxy marks as plain HTTP to HTTPS with a 308', async () => {
      const res = await send({ target: '/v1/notes?x=1', headers: viaPlainHttpProxy })
      expect(comparable(res)).toEqual({
        status: 308,
        headers: { ...problemHeaders, location: `https://${new URL(server.url).hostname}/v1/notes?x=1` },
      })
      expect(res.body).toBe(
        '{"detail":"This API is served over HTTPS only. Repeat the request at the Location given.","type":"urn:sec:problem:https-redirect","title":"HTTPS Required","status":308}',
      )
    })

    it('refuses a POST the loopback proxy marks as plain HTTP with a 403: its body already crossed in clear', async () => {
      const res = await send({
        ...postJson('{"title":"t","body":"b"}'),
        headers: [['Content-Type', 'application/json'], ...viaPlainHttpProxy],
      })
      expect(comparable(res)).toEqual({ status: 403, headers: problemHeaders })
      expect(res.body).toBe(
        '{"detail":"This API is served over HTTPS only. Send the request over HTTPS.","type":"urn:sec:problem:https-required","title":"HTTPS Required","status":403}',
      )
    })

    it('serves a request a trusted proxy forwarded over HTTPS, with HSTS', async () => {
      const res = await send({ target: '/health', headers: [['X-Forwarded-Proto', 'https']] })
      expect(comparable(res)).toEqual({
        status: 200,
        headers: { ...jsonHeaders, ...hsts },
      })
      expect(res.body).toBe('{"status":"ok"}')
    })

    it('refuses credentials in the query string', async () => {
      const res = await send({ target: '/v1/notes?access_token=abc' })
      expect(comparable(res)).toEqual({ status: 400, headers: limitedProblemHeaders })
      expect(res.body).toBe(
        '{"detail":"Credentials must not be sent in the URL, where logs, proxies and browser history keep them. Send them in a header such as Authorization, or in the body.","parameters":["access_token"],"type":"urn:sec:problem:credentials-in-url","title":"Credentials In URL","status":400}',
      )
    })

    it('refuses a __proto__ key in the JSON body', async () => {
      const res = await send(postJson('{"__proto__":{"admin":true},"title":"t","body":""}'))
      expect(comparable(res)).toEqual({ status: 400, headers: limitedProblemHeaders })
      expect(res.body).toBe(
        '{"detail":"The key \\"__proto__\\" is not allowed.","location":"body","pointer":"/__proto__","type":"urn:sec:problem:forbidden-json-key","title":"Forbidden JSON Key","status":400}',
      )
    })

    it(`answers a CORS preflight from ${demoOrigin} with a 204`, async () => {
      const res = await send({
        method: 'OPTIONS',
        target: '/v1/notes',
        headers: [
          ['Origin', demoOrigin],
          ['Access-Control-Request-Method', 'POST'],
          ['Access-Control-Request-Headers', 'content-type'],
        ],
      })
      expect(comparable(res)).toEqual({
        status: 204,
        headers: {
          ...apiSecurityHeaders,
          'access-control-allow-origin': demoOrigin,
          'access-control-allow-methods': 'GET, HEAD, POST',
          'access-control-allow-headers': 'Content-Type',
          'access-control-max-age': '600',
          vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
        },
      })
      expect(res.body).toBe('')
    })

    it(`lets ${demoOrigin} read a response`, async () => {
      const res = await send({ target: '/health', headers: [['Origin', demoOrigin]] })
      expect(comparable(res)).toEqual({
        status: 200,
        headers: {
          ...jsonHeaders,
          'access-control-allow-origin': demoOrigin,
          'access-control-expose-headers':
            'RateLimit, RateLimit-Policy, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset',
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

    it('reports the rate limit of /v1/* to a new client: 60 requests a minute per client IP', async () => {
      const first = await send({ target: '/v1/notes', headers: viaHttpsProxy('198.51.100.1') })
      expect(comparable(first)).toEqual({
        status: 200,
        headers: { ...jsonHeaders, ...hsts, ...apiLimit(59, 1) },
      })

      const unknown = await send({ target: '/v1/nothing-here', headers: viaHttpsProxy('198.51.100.2') })
      expect(comparable(unknown)).toEqual({
        status: 404,
        headers: { ...problemHeaders, ...hsts, ...apiLimit(59, 1) },
      })
      expect(unknown.body).toBe('{"type":"about:blank","title":"Not Found","status":404}')
    })

    it('does not limit GET /health, nor count it', async () => {
      const client = viaHttpsProxy('198.51.100.3')
      const health = await send({ target: '/health', headers: client })
      expect(comparable(health)).toEqual({ status: 200, headers: { ...jsonHeaders, ...hsts } })
      expect(health.body).toBe('{"status":"ok"}')

      const notes = await send({ target: '/v1/notes', headers: client })
      expect(comparable(notes)).toEqual({
        status: 200,
        headers: { ...jsonHeaders, ...hsts, ...apiLimit(59, 1) },
      })
    })

    it('searches note titles, ignoring case, newest first', async () => {
      const created: string[] = []
      for (const title of ['Quokka facts', 'Wombat burrows', 'A big QUOKKA day'])
        created.push((await send(postJson(`{"title":"${title}","body":""}`))).body)
      const [facts, , bigDay] = created

      const found = await send({ target: '/v1/search?q=quokka', headers: viaHttpsProxy('198.51.100.4') })
      expect(comparable(found)).toEqual({
        status: 200,
        headers: { ...jsonHeaders, ...hsts, ...searchLimits([59, 1], [9, 6]) },
      })
      expect(found.body).toBe(`{"notes":[${bigDay},${facts}]}`)

      const one = await send({ target: '/v1/search?q=BIG%20quokka', headers: viaHttpsProxy('198.51.100.5') })
      expect([one.status, one.body]).toEqual([200, `{"notes":[${bigDay}]}`])

      const none = await send({
        target: '/v1/search?q=quokka%20facts%20day',
        headers: viaHttpsProxy('198.51.100.6'),
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
        const res = await send({ target, headers: viaHttpsProxy(ip) })
        expect(comparable(res)).toEqual({
          status: 400,
          headers: { ...problemHeaders, ...hsts, ...searchLimits([59, 1], [9, 6]) },
        })
        expect(res.body).toBe(validationFailed(path, message))
      },
    )

    it('allows a client 10 searches a minute, then refuses with a 429 and Retry-After', async () => {
      const client = viaHttpsProxy('198.51.100.12')
      const search = { target: '/v1/search?q=wombat', headers: client }
      const started = Date.now()
      const first = await send(search)
      expect(comparable(first)).toEqual({
        status: 200,
        headers: { ...jsonHeaders, ...hsts, ...searchLimits([59, 1], [9, 6]) },
      })
      for (let remaining = 8; remaining >= 0; remaining--) {
        const res = await send(search)
        expect([res.status, res.headers['x-ratelimit-remaining']]).toEqual([200, String(remaining)])
      }

      const refused = await send(search)
      const elapsed = Date.now() - started
      // The search bucket gets its next unit 6 s after the first search, and the app-wide one a unit
      // a second: every number below moves by the whole seconds the server's clock advanced since
      // the first search. That is 0 unless this machine stalled; it cannot exceed what this test measured.
      const lag = 6 - Number(refused.headers['retry-after'])
      expect(lag).toBeGreaterThanOrEqual(0)
      expect(lag).toBeLessThanOrEqual(Math.floor(elapsed / 1000))
      expect(comparable(refused)).toEqual({
        status: 429,
        headers: {
          ...problemHeaders,
          ...hsts,
          'retry-after': String(6 - lag),
          ...searchLimits([49 + lag, 11 - lag], [0, 6 - lag]),
        },
      })
      expect(refused.body).toBe(tooManyRequests)

      // The search limit is the search route's own: the client may still use the others, and other
      // clients may still search.
      const notes = await send({ target: '/v1/notes', headers: client })
      expect([notes.status, notes.headers['ratelimit-policy']]).toEqual([200, '"api";q=60;w=60'])
      const other = await send({ ...search, headers: viaHttpsProxy('198.51.100.13') })
      expect(comparable(other)).toEqual({
        status: 200,
        headers: { ...jsonHeaders, ...hsts, ...searchLimits([59, 1], [9, 6]) },
      })
    })
  })
}
