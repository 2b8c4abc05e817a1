import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSecurity, type Guard, type Outcome } from '../pipeline/index.js'
import { fromWebRequest } from '../request/index.js'
import { defaultCredentialParams, type NoCredentialsInUrlOptions, noCredentialsInUrl } from './index.js'

const detail =
  'Credentials must not be sent in the URL, where logs, proxies and browser history keep them. Send them in a header such as Authorization, or in the body.'

const protect = (target: string, options?: NoCredentialsInUrlOptions) =>
  createSecurity({ guards: [noCredentialsInUrl(options)] }).protect(
    fromWebRequest(new Request(`https://api.example.com${target}`), { remoteAddress: '192.0.2.1' }),
  )

function expectRefused(outcome: Outcome, parameters: readonly string[]): void {
  expect(outcome.verdict).toBe('deny')
  expect(outcome.reason).toBe('credentials-in-url')
  expect(outcome.guard).toBe('noCredentialsInUrl')
  expect(outcome.response?.status).toBe(400)
  expect(Object.fromEntries(outcome.response?.headers ?? [])).toEqual({
    'cache-control': 'no-store',
    'content-type': 'application/problem+json',
  })
  expect(outcome.response?.body).toBe(
    JSON.stringify({
      detail,
      parameters,
      type: 'urn:sec:problem:credentials-in-url',
      title: 'Credentials In URL',
      status: 400,
    }),
  )
}

function expectAllowed(outcome: Outcome): void {
  expect(outcome.verdict).toBe('allow')
  expect(outcome.response).toBeUndefined()
}

describe('noCredentialsInUrl', () => {
  it.each(defaultCredentialParams)('refuses ?%s=…', async (name) => {
    expectRefused(await protect(`/v1/notes?${encodeURIComponent(name)}=s3cr3t-value`), [name])
  })

  it('matches the decoded name, whatever its case, and never echoes a value or the spelling sent', async () => {
    const outcome = await protect('/v1/notes?ACCESS%5FToken=eyJhbGciOi.s3cr3t&q=1')
    expectRefused(outcome, ['access_token'])
    expect(outcome.response?.body).not.toContain('s3cr3t')
    expect(outcome.response?.body).not.toContain('ACCESS')
  })

  it('names each offending parameter once, in the order of the query', async () => {
    expectRefused(await protect('/x?password=a&api_key=b&Password=c&token=d'), [
      'password',
      'api_key',
      'token',
    ])
  })

  it('reads bracketed names as qs-style parsers do', async () => {
    expectRefused(await protect('/x?user[password]=a'), ['password'])
    expectRefused(await protect('/x?token[]=a&token[]=b'), ['token'])
    expectRefused(await protect('/x?creds%5Bjwt%5D=a'), ['jwt'])
    expectRefused(await protect('/x?auth[jwt]=a'), ['auth'])
    expectAllowed(await protect('/x?filter[name]=a&sort[key]=b'))
  })

  it('matches whole names only, and leaves generic ones alone', async () => {
    expectAllowed(
      await protect(
        '/x?key=theme&page_token=abc&tokens=2&passwordless=true&code=abc&state=xyz&signature=s&X-Amz-Signature=s&authors=3',
      ),
    )
  })

  it('lets a query without credentials, an empty query and no query through', async () => {
    expectAllowed(await protect('/v1/notes?page=2&q=token'))
    expectAllowed(await protect('/v1/notes?'))
    expectAllowed(await protect('/v1/notes'))
    expectAllowed(await protect('/v1/notes?%zz=%zz&=&&'))
  })

  it('reads the query only when the target has one', async () => {
    let read = 0
    const counter: Guard = {
      name: 'count',
      check: (ctx) => {
        const query = ctx.query
        read += query.size
      },
    }
    const security = createSecurity({ guards: [noCredentialsInUrl(), counter] })
    const outcome = await security.protect(
      fromWebRequest(new Request('https://api.example.com/password/token')),
    )
    expectAllowed(outcome)
    expect(read).toBe(0)
  })

  it('takes a list of its own, with additions and removals', async () => {
    expectAllowed(await protect('/x?token=a', { params: ['signature'] }))
    expectRefused(await protect('/x?Signature=a', { params: ['signature'] }), ['signature'])
    expectRefused(await protect('/x?key=a&token=b', { extraParams: ['Key'] }), ['key', 'token'])
    expectAllowed(await protect('/x?auth=basic', { allowParams: ['AUTH'] }))
    expectRefused(await protect('/x?auth=basic&authorization=x', { allowParams: ['auth'] }), [
      'authorization',
    ])
  })

  it('never throws on any query', () => {
    const guard = noCredentialsInUrl()
    const security = createSecurity({ guards: [guard] })
    return fc.assert(
      fc.asyncProperty(fc.string(), async (query) => {
        const outcome = await security.protect({
          ...fromWebRequest(new Request('https://api.example.com/x')),
          target: `/x?${query}`,
        })
        expect([undefined, 400]).toContain(outcome.response?.status)
        if (outcome.response !== undefined) {
          const parameters = JSON.parse(outcome.response.body ?? '{}').parameters as string[]
          for (const name of parameters) expect(defaultCredentialParams).toContain(name)
        }
      }),
      { numRuns: 500 },
    )
  })

  it.each([
    [{ param: ['x'] }, 'noCredentialsInUrl.param: is not a known option.'],
    [{ params: 'token' }, 'noCredentialsInUrl.params: '],
    [
      { extraParams: [''] },
      'noCredentialsInUrl.extraParams[0]: Expected a parameter name, not an empty string.',
    ],
    [{ allowParams: [42] }, 'noCredentialsInUrl.allowParams[0]: '],
    [
      { allowParams: ['tokn'] },
      'noCredentialsInUrl.allowParams[0]: "tokn" is not on the list, so there is nothing to allow. Check its spelling, or remove it.',
    ],
    [{ params: [] }, 'noCredentialsInUrl: leaves no parameter name to refuse. Remove the guard instead.'],
    [{ params: ['a'], allowParams: ['A'] }, 'noCredentialsInUrl: leaves no parameter name to refuse.'],
  ])('refuses %j', (options, message) => {
    expect(() => noCredentialsInUrl(options as never)).toThrowError(
      expect.objectContaining({ code: 'SEC_CONFIG', message: expect.stringContaining(message) }),
    )
  })

  it('keeps `key` off the default list, and the list frozen', () => {
    expect(defaultCredentialParams).not.toContain('key')
    expect(Object.isFrozen(defaultCredentialParams)).toBe(true)
  })
})
