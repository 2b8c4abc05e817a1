import type { StandardSchemaV1 } from '@standard-schema/spec'
import fc from 'fast-check'
import * as v from 'valibot'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { body } from '../body/index.js'
import { createSecurity, type Guard, type Outcome } from '../pipeline/index.js'
import { fromWebRequest, onceBody, type SecurityRequest } from '../request/index.js'
import { validate } from './validate.js'

const security = createSecurity()

interface Send {
  readonly path?: string
  readonly method?: string
  readonly body?: string
  readonly headers?: Record<string, string>
  readonly params?: Record<string, string>
}

function request({ path = '/v1/notes', method = 'POST', body: payload, headers }: Send): SecurityRequest {
  return fromWebRequest(
    new Request(`http://api.test${path}`, {
      method,
      body: payload ?? null,
      headers: headers ?? (payload === undefined ? {} : { 'content-type': 'application/json' }),
    }),
  )
}

function send(guards: Guard[], init: Send = {}): Promise<Outcome> {
  return security.protect(request(init), { guards, ...(init.params && { params: init.params }) })
}

function failure(outcome: Outcome) {
  expect(outcome.response?.status).toBe(400)
  expect(outcome.response?.headers.get('content-type')).toBe('application/problem+json')
  return JSON.parse(outcome.response?.body ?? 'null') as unknown
}

const validationFailed = (errors: unknown[]) => ({
  errors,
  type: 'urn:sec:problem:validation-failed',
  title: 'Validation Failed',
  status: 400,
})

const Note = v.object({
  title: v.pipe(v.string(), v.minLength(1), v.maxLength(20)),
  tags: v.optional(v.array(v.string())),
  meta: v.optional(v.object({ pinned: v.boolean() })),
})

/** A schema written by hand, as the Standard Schema spec allows: vendor `notes`. */
const handWritten: StandardSchemaV1<unknown, { id: string }> = {
  '~standard': {
    version: 1,
    vendor: 'notes',
    validate(value) {
      const id = (value as { id?: unknown } | null)?.id
      if (typeof id === 'string' && id.startsWith('n_')) return { value: { id } }
      return { issues: [{ message: `bad id ${String(id)}`, path: [{ key: 'id' }] }] }
    },
  },
}

describe('validate()', () => {
  it('validates the body and hands the typed output to the handler', async () => {
    const createNote = validate({ body: Note })
    const outcome = await send([createNote], { body: '{"title":"Hello","tags":["a"]}' })
    expect(outcome.response).toBeUndefined()
    const note = createNote.body(outcome)
    expectTypeOf(note).toEqualTypeOf<{
      title: string
      tags?: string[] | undefined
      meta?: { pinned: boolean } | undefined
    }>()
    expect(note).toEqual({ title: 'Hello', tags: ['a'] })
    expect(outcome.body).toEqual({ title: 'Hello', tags: ['a'] })
    expect(createNote.query(outcome)).toBeUndefined()
    expectTypeOf(createNote.query(outcome)).toEqualTypeOf<undefined>()
  })

  it('lists every issue with location, pointer and a message that never quotes the input', async () => {
    const outcome = await send([validate({ body: Note })], {
      body: '{"title":"","tags":["ok",12345],"meta":{"pinned":"s3cret"}}',
    })
    expect(failure(outcome)).toEqual(
      validationFailed([
        { location: 'body', path: '/title', message: 'Invalid min length: expected >=1' },
        { location: 'body', path: '/tags/1', message: 'Expected string' },
        { location: 'body', path: '/meta/pinned', message: 'Expected boolean' },
      ]),
    )
    expect(outcome.response?.body).not.toContain('12345')
    expect(outcome.response?.body).not.toContain('s3cret')
  })

  it('says Required for a missing field or a missing body', async () => {
    const missingField = await send([validate({ body: Note })], { body: '{"tags":[]}' })
    expect(failure(missingField)).toEqual(
      validationFailed([{ location: 'body', path: '/title', message: 'Required' }]),
    )
    const missingBody = await send([validate({ body: Note })])
    expect(failure(missingBody)).toEqual(
      validationFailed([{ location: 'body', path: '', message: 'Required' }]),
    )
  })

  it('refuses unknown fields, nested ones too, by default', async () => {
    const outcome = await send([validate({ body: Note })], {
      body: '{"title":"Hi","isAdmin":true,"meta":{"pinned":true,"owner":"x"},"tags":["a"]}',
    })
    expect(failure(outcome)).toEqual(
      validationFailed([
        { location: 'body', path: '/isAdmin', message: 'Unknown field' },
        { location: 'body', path: '/meta/owner', message: 'Unknown field' },
      ]),
    )
  })

  it('finds unknown fields inside arrays of objects', async () => {
    const List = v.object({ items: v.array(v.object({ id: v.number() })) })
    const outcome = await send([validate({ body: List })], {
      body: '{"items":[{"id":1},{"id":2,"role":"admin"}]}',
    })
    expect(failure(outcome)).toEqual(
      validationFailed([{ location: 'body', path: '/items/1/role', message: 'Unknown field' }]),
    )
  })

  it('reports the unknown fields a strict schema finds itself', async () => {
    const Strict = v.strictObject({ title: v.string() })
    const outcome = await send([validate({ body: Strict })], { body: '{"title":"Hi","x/y":1}' })
    expect(failure(outcome)).toEqual(
      validationFailed([{ location: 'body', path: '/x~1y', message: 'Unknown field' }]),
    )
  })

  it("with unknownKeys 'strip', passes the schema's output without them", async () => {
    const guard = validate({ body: Note }, { unknownKeys: 'strip' })
    const outcome = await send([guard], { body: '{"title":"Hi","isAdmin":true}' })
    expect(outcome.response).toBeUndefined()
    expect(guard.body(outcome)).toEqual({ title: 'Hi' })
  })

  it('takes loose schemas and shape-changing transforms at their word', async () => {
    const Loose = v.looseObject({ title: v.string() })
    const loose = await send([validate({ body: Loose })], { body: '{"title":"Hi","extra":1}' })
    expect(loose.body).toEqual({ title: 'Hi', extra: 1 })
    const Counted = v.pipe(
      v.object({ title: v.string() }),
      v.transform((note) => new Map(Object.entries(note))),
    )
    const counted = await send([validate({ body: Counted })], { body: '{"title":"Hi"}' })
    expect(counted.response).toBeUndefined()
    expect(counted.body).toEqual(new Map([['title', 'Hi']]))
  })

  it('caps the number of errors', async () => {
    const Many = v.object(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}`, v.string()])))
    const outcome = await send([validate({ body: Many }, { maxErrors: 3 })], { body: '{}' })
    expect(failure(outcome)).toEqual(
      validationFailed([
        { location: 'body', path: '/f0', message: 'Required' },
        { location: 'body', path: '/f1', message: 'Required' },
        { location: 'body', path: '/f2', message: 'Required' },
      ]),
    )
  })

  it('uses formatIssue for messages the application writes itself', async () => {
    const Titled = v.object({ title: v.pipe(v.string(), v.minLength(1, 'Title is required')) })
    const guard = validate(
      { body: Titled },
      { formatIssue: (issue) => (issue.message === 'Title is required' ? issue.message : undefined) },
    )
    const outcome = await send([guard], { body: '{"title":""}' })
    expect(failure(outcome)).toEqual(
      validationFailed([{ location: 'body', path: '/title', message: 'Title is required' }]),
    )
  })

  it('validates query, params and headers, listing errors in that order after the body', async () => {
    const guard = validate({
      body: v.object({ title: v.string() }),
      query: v.object({ page: v.pipe(v.string(), v.digits()), tag: v.optional(v.array(v.string())) }),
      params: handWritten,
      headers: v.object({ 'x-tenant': v.pipe(v.string(), v.uuid()) }),
    })
    const bad = await send([guard], {
      path: '/v1/notes/42?page=two&tag=a&tag=b&debug=1',
      body: '{"title":7}',
      headers: { 'content-type': 'application/json', 'X-Tenant': 'nope' },
      params: { id: '42' },
    })
    expect(failure(bad)).toEqual(
      validationFailed([
        { location: 'body', path: '/title', message: 'Expected string' },
        { location: 'query', path: '/page', message: 'Invalid digits' },
        { location: 'params', path: '/id', message: 'Invalid value' },
        { location: 'headers', path: '/x-tenant', message: 'Invalid uuid' },
      ]),
    )
    expect(bad.response?.body).not.toContain('bad id')

    const debug = await send([validate({ query: v.object({ page: v.string() }) })], {
      method: 'GET',
      path: '/v1/notes?page=2&debug=1',
    })
    expect(failure(debug)).toEqual(
      validationFailed([{ location: 'query', path: '/debug', message: 'Unknown field' }]),
    )

    const tenant = '0b0a9a4e-5f7c-4d8e-9a51-1c2f3e4d5a6b'
    const good = await send([guard], {
      path: '/v1/notes/n_1?page=2&tag=a&tag=b',
      body: '{"title":"Hi"}',
      headers: { 'content-type': 'application/json', 'x-tenant': tenant, 'x-other': 'ignored' },
      params: { id: 'n_1' },
    })
    expect(good.response).toBeUndefined()
    expect(guard.query(good)).toEqual({ page: '2', tag: ['a', 'b'] })
    expect(guard.params(good)).toEqual({ id: 'n_1' })
    expectTypeOf(guard.params(good)).toEqualTypeOf<{ id: string }>()
    expect(guard.headers(good)).toEqual({ 'x-tenant': tenant })
    expect(good.input).toEqual({
      body: { title: 'Hi' },
      query: { page: '2', tag: ['a', 'b'] },
      params: { id: 'n_1' },
      headers: { 'x-tenant': tenant },
    })
  })

  it('says Required for a missing header, and never rejects unknown headers', async () => {
    const guard = validate({ headers: v.object({ 'x-api-version': v.literal('2') }) })
    const missing = await send([guard], { method: 'GET', headers: { 'x-other': '1' } })
    expect(failure(missing)).toEqual(
      validationFailed([{ location: 'headers', path: '/x-api-version', message: 'Required' }]),
    )
    const wrong = await send([guard], { method: 'GET', headers: { 'X-API-Version': '3' } })
    expect(failure(wrong)).toEqual(
      validationFailed([{ location: 'headers', path: '/x-api-version', message: 'Expected "2"' }]),
    )
  })

  it('refuses prototype keys in the query', async () => {
    const outcome = await send([validate({ query: v.record(v.string(), v.string()) })], {
      method: 'GET',
      path: '/v1/notes?constructor=1',
    })
    expect(outcome.response?.status).toBe(400)
    expect(JSON.parse(outcome.response?.body ?? '')).toEqual({
      detail: 'The key "constructor" is not allowed.',
      location: 'query',
      pointer: '/constructor',
      type: 'urn:sec:problem:forbidden-json-key',
      title: 'Forbidden JSON Key',
      status: 400,
    })
  })

  it('supports async schemas', async () => {
    const Unique = v.objectAsync({
      title: v.pipeAsync(
        v.string(),
        v.checkAsync(async (title) => title !== 'taken', 'taken'),
      ),
    })
    const guard = validate({ body: Unique })
    const ok = await send([guard], { body: '{"title":"free"}' })
    expect(guard.body(ok)).toEqual({ title: 'free' })
    const taken = await send([guard], { body: '{"title":"taken"}' })
    expect(failure(taken)).toEqual(
      validationFailed([{ location: 'body', path: '/title', message: 'Invalid value' }]),
    )
  })

  it('checks synchronous schemas without waiting', () => {
    const guard = validate({ query: v.object({ q: v.string() }) })
    const ctx = { query: new URLSearchParams('q=x'), input: {}, local: () => undefined } as never
    expect(guard.check(ctx)).toBeUndefined()
  })

  it('parses the body itself when no body guard ran, and reuses one that did', async () => {
    let reads = 0
    const source = (text: string): SecurityRequest => ({
      ...request({ body: text }),
      body: onceBody(async () => {
        reads++
        return new TextEncoder().encode(text)
      }),
    })
    const guard = validate({ body: v.object({ a: v.number() }) })
    expect((await security.protect(source('{"a":1}'), { guards: [guard] })).body).toEqual({ a: 1 })
    expect(reads).toBe(1)
    const textGuard = validate({ body: v.string() })
    const outcome = await security.protect(
      {
        ...source('plain words'),
        headers: request({ body: 'x', headers: { 'content-type': 'text/plain' } }).headers,
      },
      { guards: [body({ types: ['text/plain'] }), textGuard] },
    )
    expect(textGuard.body(outcome)).toBe('plain words')
    expect(reads).toBe(2)
  })

  it('turns body problems into their own problems', async () => {
    const outcome = await send([validate({ body: Note })], { body: '{"__proto__":{}}' })
    expect(JSON.parse(outcome.response?.body ?? '')).toMatchObject({
      type: 'urn:sec:problem:forbidden-json-key',
      pointer: '/__proto__',
    })
  })

  it('refuses to hand out output it did not validate', async () => {
    const guard = validate({ body: Note })
    const other = await send([], { body: '{"title":"x"}' })
    expect(() => guard.body(other)).toThrowError(expect.objectContaining({ code: 'SEC_NOT_VALIDATED' }))
    const refused = await send([guard], { body: '{}' })
    expect(() => guard.body(refused)).toThrowError(expect.objectContaining({ code: 'SEC_NOT_VALIDATED' }))
  })

  it.each([
    [{}, undefined, 'validate: has no schema'],
    [{ bdy: Note }, undefined, 'validate.bdy: is not a known option'],
    [{ body: { parse: () => 1 } }, undefined, 'validate.body: Expected a Standard Schema v1'],
    [{ body: Note }, { unknownKeys: 'allow' }, 'validate.options.unknownKeys:'],
    [{ body: Note }, { maxErrors: 0 }, 'validate.options.maxErrors:'],
  ])('refuses bad schemas or options (%#)', (schemas, options, message) => {
    expect(() => validate(schemas as never, options as never)).toThrowError(
      expect.objectContaining({ code: 'SEC_CONFIG', message: expect.stringContaining(message) }),
    )
  })

  it('never answers arbitrary JSON with a 500 or a message quoting it', async () => {
    const guard = validate({ body: Note })
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const outcome = await send([guard], { body: JSON.stringify(value) })
        if (outcome.response === undefined) return
        expect(outcome.response.status).toBe(400)
        const problem = JSON.parse(outcome.response.body ?? '') as { errors?: { message: string }[] }
        for (const error of problem.errors ?? [])
          expect(error.message).toMatch(
            /^(Required|Unknown field|Expected [a-z]+|Invalid [a-z ]+(: expected [<>=\d]+)?)$/i,
          )
      }),
      { numRuns: 300 },
    )
  })
})
