import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSecurity, type Guard, type Outcome } from '../pipeline/index.js'
import { fromWebRequest, onceBody, type SecurityRequest } from '../request/index.js'
import { body } from './body-guard.js'
import type { BodyOptions } from './body-options.js'

const security = createSecurity()
const encoder = new TextEncoder()
const json = { 'content-type': 'application/json' }

function request(
  payload: BodyInit | null,
  headers: Record<string, string> = json,
  method = 'POST',
): SecurityRequest {
  return fromWebRequest(new Request('http://api.test/v1/notes', { method, body: payload, headers }))
}

function send(guard: Guard, payload: BodyInit | null, headers?: Record<string, string>, method?: string) {
  return security.protect(request(payload, headers, method), { guards: [guard] })
}

function answer(outcome: Outcome) {
  return {
    status: outcome.response?.status,
    headers: Object.fromEntries(outcome.response?.headers ?? []),
    body: JSON.parse(outcome.response?.body ?? 'null') as unknown,
  }
}

const problemHeaders = { 'cache-control': 'no-store', 'content-type': 'application/problem+json' }

function problem(status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return { status, headers: { ...problemHeaders, ...headers }, body }
}

const unsupported = (detail: string) => ({
  detail,
  type: 'urn:sec:problem:unsupported-media-type',
  title: 'Unsupported Media Type',
  status: 415,
})

const invalidUtf8 = {
  detail: 'The body is not valid UTF-8.',
  type: 'urn:sec:problem:invalid-utf8',
  title: 'Invalid UTF-8',
  status: 400,
}

const bytes = (...values: number[]) => new Uint8Array(values)

describe('body()', () => {
  it('answers each request for its own Content-Type, whatever the requests before it sent', async () => {
    const guard = body({ types: ['application/json', 'text/plain'] })
    const sequence = [
      ['application/json', 201],
      ['application/json', 201],
      ['application/xml', 415],
      ['application/json; charset=latin1', 415],
      ['text/plain', 201],
      ['application/xml', 415],
      ['application/json', 201],
    ] as const
    const seen: [string, number][] = []
    for (const [type] of sequence) {
      const outcome = await send(guard, '{"a":1}', { 'content-type': type })
      seen.push([type, outcome.response?.status ?? 201])
    }
    expect(seen).toEqual(sequence.map(([type, status]) => [type, status]))
  })

  it('parses a JSON body into input.body and lets the request through', async () => {
    const outcome = await send(body(), '{"title":"Hello","tags":["a"]}')
    expect(outcome.verdict).toBe('allow')
    expect(outcome.response).toBeUndefined()
    expect(outcome.body).toEqual({ title: 'Hello', tags: ['a'] })
    expect(outcome.input.body).toEqual({ title: 'Hello', tags: ['a'] })
  })

  describe('size limit', () => {
    const tooLarge = (limit: number) =>
      problem(413, {
        detail: `The body exceeds ${limit} bytes.`,
        type: 'urn:sec:problem:body-too-large',
        title: 'Content Too Large',
        status: 413,
      })

    it('refuses a body whose Content-Length is over the limit', async () => {
      const outcome = await send(body({ limit: 16 }), '{"title":"12345678"}')
      expect(answer(outcome)).toEqual(tooLarge(16))
    })

    it('accepts a body of exactly the limit, given as a string', async () => {
      const outcome = await send(body({ limit: '1kb' }), `"${'x'.repeat(1022)}"`)
      expect(outcome.body).toBe('x'.repeat(1022))
    })

    it('stops reading a chunked stream past the limit', async () => {
      let pulls = 0
      const endless = new ReadableStream<Uint8Array>({
        pull(controller) {
          pulls++
          controller.enqueue(encoder.encode('[1,1,1,1,'))
        },
      })
      const init = { method: 'POST', body: endless, headers: json, duplex: 'half' } as RequestInit
      const outcome = await security.protect(fromWebRequest(new Request('http://api.test/x', init)), {
        guards: [body({ limit: 64 })],
      })
      expect(answer(outcome)).toEqual(tooLarge(64))
      expect(pulls).toBeLessThan(12)
    })

    it('defaults to the bodyLimit given to createSecurity', async () => {
      const small = createSecurity({ bodyLimit: 8 })
      const outcome = await small.protect(request('[1,2,3,4]'), { guards: [body()] })
      expect(answer(outcome)).toEqual(tooLarge(8))
    })
  })

  describe('media types', () => {
    it.each([
      ['text/html', 'Send the body as application/json.'],
      ['application/json, text/plain', 'Send the body as application/json.'],
      ['application/merge-patch+json', 'Send the body as application/json.'],
      ['application/jsonx', 'Send the body as application/json.'],
      ['json', 'Send the body as application/json.'],
      ['application/json; charset=latin1', 'Send the body encoded as UTF-8.'],
      ['application/json; charset=utf-16', 'Send the body encoded as UTF-8.'],
    ])('refuses Content-Type %j with 415', async (type, detail) => {
      const outcome = await send(body(), '{}', { 'content-type': type })
      expect(answer(outcome)).toEqual(problem(415, unsupported(detail)))
    })

    it('refuses a non-empty body without Content-Type', async () => {
      const outcome = await send(body(), encoder.encode('{}'), {})
      expect(answer(outcome)).toEqual(problem(415, unsupported('Send the body as application/json.')))
    })

    it('names the accepted patch formats on a PATCH (RFC 5789)', async () => {
      const guard = body({ types: ['application/merge-patch+json', 'application/*+json'] })
      const outcome = await send(guard, '{}', { 'content-type': 'text/plain' }, 'PATCH')
      expect(answer(outcome)).toEqual(
        problem(415, unsupported('Send the body as application/merge-patch+json or application/*+json.'), {
          'accept-patch': 'application/merge-patch+json',
        }),
      )
    })

    it.each([
      ['application/json', 'application/json; charset=UTF-8'],
      ['application/json', 'Application/JSON;charset="utf-8"'],
      ['application/merge-patch+json', 'application/merge-patch+json'],
      ['application/*+json', 'application/vnd.api+json'],
    ] as const)('with types [%j], accepts %j', async (type, header) => {
      const outcome = await send(body({ types: [type] }), '{"a":1}', { 'content-type': header }, 'PATCH')
      expect(outcome.response).toBeUndefined()
      expect(outcome.body).toEqual({ a: 1 })
    })

    it('does not take application/*+json for application/json', async () => {
      const outcome = await send(body({ types: ['application/*+json'] }), '{}')
      expect(outcome.response?.status).toBe(415)
    })

    it('parses text/plain as a string and forms as fields, when listed', async () => {
      const guard = body({ types: ['text/plain', 'application/x-www-form-urlencoded'] })
      const text = await send(guard, 'héllo', { 'content-type': 'text/plain;charset=utf-8' })
      expect(text.body).toBe('héllo')
      const form = await send(guard, 'tag=a&tag=b&title=Hi+there', {
        'content-type': 'application/x-www-form-urlencoded',
      })
      expect(form.body).toEqual({ tag: ['a', 'b'], title: 'Hi there' })
    })

    it('applies the key rules to forms', async () => {
      const guard = body({ types: ['application/x-www-form-urlencoded'] })
      const outcome = await send(guard, 'a=1&constructor=2', {
        'content-type': 'application/x-www-form-urlencoded',
      })
      expect(answer(outcome)).toEqual(
        problem(400, {
          detail: 'The key "constructor" is not allowed.',
          location: 'body',
          pointer: '/constructor',
          type: 'urn:sec:problem:forbidden-json-key',
          title: 'Forbidden JSON Key',
          status: 400,
        }),
      )
    })

    it('with no types, accepts only empty bodies', async () => {
      const guard = body({ types: [] })
      expect((await send(guard, null, {})).response).toBeUndefined()
      const outcome = await send(guard, '{}')
      expect(answer(outcome)).toEqual(problem(415, unsupported('This endpoint accepts no request body.')))
    })
  })

  describe('empty bodies and methods', () => {
    it('leaves input.body undefined for an empty body, with or without Content-Type', async () => {
      for (const headers of [json, {}]) {
        const outcome = await send(body(), null, headers)
        expect(outcome.response).toBeUndefined()
        expect(outcome.body).toBeUndefined()
      }
    })

    it('still checks the Content-Type of an empty body', async () => {
      const outcome = await send(body(), null, { 'content-type': 'text/html' })
      expect(outcome.response?.status).toBe(415)
    })

    it('does not read the body of GET, HEAD or DELETE unless listed', async () => {
      let reads = 0
      const probe = (method: string): SecurityRequest => ({
        method,
        target: '/x',
        headers: new Headers(json) as unknown as SecurityRequest['headers'],
        remoteAddress: undefined,
        encrypted: false,
        body: () => {
          reads++
          return Promise.resolve(encoder.encode('{"a":1}'))
        },
      })
      for (const method of ['GET', 'HEAD', 'DELETE', 'OPTIONS']) {
        const outcome = await security.protect(probe(method), { guards: [body()] })
        expect(outcome.response).toBeUndefined()
        expect(outcome.body).toBeUndefined()
      }
      expect(reads).toBe(0)
      const outcome = await security.protect(probe('DELETE'), { guards: [body({ methods: ['delete'] })] })
      expect(outcome.body).toEqual({ a: 1 })
      expect(reads).toBe(1)
    })

    it('reads the body once, for every guard that asks', async () => {
      let reads = 0
      const source: SecurityRequest = {
        ...request(null),
        body: onceBody(async () => {
          reads++
          return encoder.encode('{"a":1}')
        }),
      }
      const raw: Guard = {
        name: 'raw',
        check: async (ctx) => {
          expect(new TextDecoder().decode(await ctx.body())).toBe('{"a":1}')
        },
      }
      const outcome = await security.protect(source, { guards: [body(), raw, body()] })
      expect(outcome.body).toEqual({ a: 1 })
      expect(reads).toBe(1)
    })
  })

  describe('UTF-8', () => {
    it.each([
      ['a broken two-byte sequence', bytes(0x22, 0xc3, 0x28, 0x22)],
      ['an overlong slash', bytes(0x22, 0xc0, 0xaf, 0x22)],
      ['an overlong three-byte NUL', bytes(0x22, 0xe0, 0x80, 0x80, 0x22)],
      ['an encoded lone surrogate', bytes(0x22, 0xed, 0xa0, 0x80, 0x22)],
      ['an encoded surrogate pair (CESU-8)', bytes(0x22, 0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80, 0x22)],
      ['a code point past U+10FFFF', bytes(0x22, 0xf4, 0x90, 0x80, 0x80, 0x22)],
      ['a stray continuation byte', bytes(0x22, 0x80, 0x22)],
      ['a truncated sequence at the end', bytes(0x22, 0x22, 0xe2, 0x82)],
      ['0xFF', bytes(0x22, 0xff, 0x22)],
    ])('refuses %s', async (_, payload) => {
      const outcome = await send(body(), payload)
      expect(answer(outcome)).toEqual(problem(400, invalidUtf8))
    })

    it('ignores a leading byte order mark, and only one', async () => {
      const bom = [0xef, 0xbb, 0xbf]
      const once = await send(body(), bytes(...bom, ...encoder.encode('{"a":"é"}')))
      expect(once.body).toEqual({ a: 'é' })
      const twice = await send(body(), bytes(...bom, ...bom, ...encoder.encode('{}')))
      expect(answer(twice).body).toMatchObject({ type: 'urn:sec:problem:malformed-json' })
    })
  })

  describe('JSON', () => {
    /** A request that records what the guard reports through `parsedJson`. */
    function reporting(payload: string, headers: Record<string, string> = json) {
      const reports: { value: unknown; text: string }[] = []
      const inner = request(payload, headers)
      const observed: SecurityRequest = {
        ...inner,
        body: (limit) => inner.body(limit),
        parsedJson: (value, bytes) => reports.push({ value, text: new TextDecoder().decode(bytes) }),
      }
      return { observed, reports }
    }

    it('reports the JSON it accepted and its bytes to a request that asks', async () => {
      const { observed, reports } = reporting('{"title":"a","tags":["x"]}')
      const outcome = await security.protect(observed, { guards: [body()] })
      expect(outcome.body).toEqual({ title: 'a', tags: ['x'] })
      expect(reports).toEqual([{ value: { title: 'a', tags: ['x'] }, text: '{"title":"a","tags":["x"]}' }])
      expect(reports[0]?.value).toBe(outcome.body)
    })

    it('reports nothing for a refused, empty or non-JSON body', async () => {
      const cases: [string, Record<string, string>][] = [
        ['{"__proto__":{}}', json],
        ['{"a":1,"a":2}', json],
        ['', json],
        ['a=1', { 'content-type': 'application/x-www-form-urlencoded' }],
      ]
      for (const [payload, headers] of cases) {
        const { observed, reports } = reporting(payload, headers)
        const guard = body({ types: ['application/json', 'application/x-www-form-urlencoded'] })
        await security.protect(observed, { guards: [guard] })
        expect(reports).toEqual([])
      }
    })

    it('refuses malformed JSON without echoing the parser', async () => {
      const outcome = await send(body(), '{"password":"hunter2",}')
      expect(answer(outcome)).toEqual(
        problem(400, {
          detail: 'The body is not valid JSON.',
          type: 'urn:sec:problem:malformed-json',
          title: 'Malformed JSON',
          status: 400,
        }),
      )
      expect(outcome.response?.body).not.toContain('hunter2')
    })

    it('refuses prototype keys at depth, naming the pointer only', async () => {
      const outcome = await send(body(), '{"notes":[{"meta":{"__proto__":{"isAdmin":true}}}]}')
      expect(answer(outcome)).toEqual(
        problem(400, {
          detail: 'The key "__proto__" is not allowed.',
          location: 'body',
          pointer: '/notes/0/meta/__proto__',
          type: 'urn:sec:problem:forbidden-json-key',
          title: 'Forbidden JSON Key',
          status: 400,
        }),
      )
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined()
    })

    it('refuses repeated keys', async () => {
      const outcome = await send(body(), '{"role":"user","role":"admin"}')
      expect(answer(outcome)).toEqual(
        problem(400, {
          detail: 'The key appears more than once in the same object.',
          location: 'body',
          pointer: '/role',
          type: 'urn:sec:problem:duplicate-json-key',
          title: 'Duplicate JSON Key',
          status: 400,
        }),
      )
    })

    it('answers a 100 000-deep nesting bomb with a 400', async () => {
      const outcome = await send(body(), '['.repeat(100_000) + ']'.repeat(100_000))
      expect(answer(outcome)).toEqual(
        problem(400, {
          detail: 'The JSON nests deeper than 32 levels.',
          type: 'urn:sec:problem:json-too-complex',
          title: 'JSON Too Complex',
          status: 400,
        }),
      )
    })

    it('applies maxDepth, maxKeys and maxItems', async () => {
      const options: BodyOptions = { maxDepth: 2, maxKeys: 2, maxItems: 3 }
      expect((await send(body(options), '{"a":[1,2,3],"b":{}}')).body).toEqual({ a: [1, 2, 3], b: {} })
      const details = await Promise.all(
        ['[[[]]]', '{"a":1,"b":2,"c":3}', '[1,2,3,4]'].map(
          async (text) => answer(await send(body(options), text)).body,
        ),
      )
      expect(details).toEqual([
        expect.objectContaining({ detail: 'The JSON nests deeper than 2 levels.' }),
        expect.objectContaining({ detail: 'The JSON has more than 2 object keys.' }),
        expect.objectContaining({ detail: 'The JSON has more than 3 array items.' }),
      ])
    })
  })

  describe('options', () => {
    it.each([
      [{ limits: 1 }, 'body.limits: is not a known option'],
      [{ limit: '1 MB' }, "body.limit: must be bytes as a number or a string like '512b', '64kb', '1mb'"],
      [{ limit: -1 }, 'body.limit: must be a whole, non-negative number of bytes'],
      [
        { types: ['application/json', 'image/png'] },
        'body.types[1]: "image/png" is not a type body() parses',
      ],
      [{ types: ['application/*'] }, 'body.types[0]:'],
      [{ methods: ['POST', 'GET /'] }, 'body.methods[1]: Expected an HTTP method'],
      [{ maxDepth: 0 }, 'body.maxDepth:'],
      [{ maxDepth: 1001 }, 'body.maxDepth:'],
      [{ maxKeys: 1.5 }, 'body.maxKeys:'],
    ])('refuses %j', (options, message) => {
      expect(() => body(options as BodyOptions)).toThrowError(
        expect.objectContaining({ code: 'SEC_CONFIG', message: expect.stringContaining(message) }),
      )
    })
  })

  describe('any input', () => {
    const isProblem = (outcome: Outcome) => {
      const status = outcome.response?.status
      return outcome.response === undefined || (status !== undefined && status >= 400 && status < 500)
    }

    it('never answers arbitrary bytes with a 500', async () => {
      const guards = [
        body({ types: ['application/json', 'application/x-www-form-urlencoded', 'text/plain'] }),
      ]
      const types = fc.constantFrom('application/json', 'application/x-www-form-urlencoded', 'text/plain')
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), types, async (payload, type) => {
          const outcome = await security.protect(request(payload, { 'content-type': type }), { guards })
          expect(isProblem(outcome)).toBe(true)
        }),
        { numRuns: 300 },
      )
    })

    it('never answers arbitrary strings with a 500', async () => {
      const text = fc.oneof(
        fc.string({ unit: 'binary' }),
        fc.json(),
        fc.stringMatching(/^[[\]{}",:\\ a-z0-9_]*$/),
      )
      await fc.assert(
        fc.asyncProperty(text, async (payload) => {
          const outcome = await send(body(), payload)
          expect(isProblem(outcome)).toBe(true)
        }),
        { numRuns: 300 },
      )
    })

    it('hands any JSON value within the limits to the handler unchanged', async () => {
      const guard = body({ maxDepth: 1000, maxKeys: 100_000, maxItems: 100_000 })
      const safe = fc
        .jsonValue()
        .filter((value) => !/"(__proto__|constructor|prototype)":/.test(JSON.stringify(value)))
      await fc.assert(
        fc.asyncProperty(safe, async (value) => {
          const text = JSON.stringify(value)
          const outcome = await send(guard, text)
          expect(outcome.response).toBeUndefined()
          // Compared with JSON.parse's own result: JSON has no -0, so the generator's -0 comes back as 0.
          expect(outcome.body).toEqual(JSON.parse(text))
        }),
        { numRuns: 200 },
      )
    })
  })
})
