import { afterEach, describe, expect, it } from 'vitest'
import { KeySourceUnavailableError } from '../token-errors.js'
import { resolveIntrospectionPolicy } from './introspection-options.js'
import { createIntrospectionRequest, type IntrospectionFetch } from './introspection-request.js'
import {
  type IntrospectionAnswer,
  type IntrospectionServer,
  startIntrospectionServer,
} from './introspection-test-server.js'

const token = 'opaque+token/with=chars'
let server: IntrospectionServer | undefined

afterEach(async () => {
  await server?.close()
  server = undefined
})

function request(endpoint: string, extra: Record<string, unknown> = {}) {
  const policy = resolveIntrospectionPolicy('createIntrospectionVerifier', {
    endpoint,
    clientId: 'client:1',
    clientSecret: 'sécret:€ x',
    ...extra,
  })
  return createIntrospectionRequest(policy.request)
}

async function serve(answer: IntrospectionAnswer): Promise<string> {
  server = await startIntrospectionServer(() => answer)
  return server.url
}

async function failure(promise: Promise<unknown>): Promise<KeySourceUnavailableError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(KeySourceUnavailableError)
  const unavailable = error as KeySourceUnavailableError
  expect(unavailable.code).toBe('SEC_KEYS_UNAVAILABLE')
  expect(unavailable.message).not.toContain(token)
  expect(String(unavailable.cause ?? '')).not.toContain(token)
  return unavailable
}

const padded = (bytes: number) => {
  const prefix = '{"active":true,"pad":"'
  return `${prefix}${'x'.repeat(bytes - prefix.length - 2)}"}`
}

describe('the introspection request', () => {
  it('posts the token as a form with Basic client authentication and resolves with the JSON object', async () => {
    const url = await serve({ json: { active: true, sub: 'user-1' } })
    expect(await request(url)(token)).toEqual({ active: true, sub: 'user-1' })
    expect(server?.requests).toHaveLength(1)
    const recorded = server?.requests[0]
    expect(recorded?.method).toBe('POST')
    expect(recorded?.url).toBe('/oauth2/introspect')
    expect(recorded?.body).toBe('token=opaque%2Btoken%2Fwith%3Dchars&token_type_hint=access_token')
    expect(recorded?.token).toBe(token)
    expect(recorded?.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(recorded?.headers.accept).toBe('application/json')
    expect(recorded?.headers.authorization).toBe('Basic Y2xpZW50JTNBMTpzJUMzJUE5Y3JldCUzQSVFMiU4MiVBQyt4')
  })

  it('sends custom headers instead of client credentials', async () => {
    const url = await serve({ json: { active: false } })
    const policy = resolveIntrospectionPolicy('createIntrospectionVerifier', {
      endpoint: url,
      headers: { Authorization: 'Bearer api-token', 'X-Tenant': 'acme' },
    })
    await createIntrospectionRequest(policy.request)(token)
    expect(server?.requests[0]?.headers.authorization).toBe('Bearer api-token')
    expect(server?.requests[0]?.headers['x-tenant']).toBe('acme')
  })

  it('reads a body of exactly the size bound, with or without Content-Length', async () => {
    const body = padded(65_536)
    expect(body).toHaveLength(65_536)
    const url = await serve({ raw: body })
    expect(await request(url)(token)).toMatchObject({ active: true })
    server?.answer(() => ({ chunks: [body.slice(0, 30_000), body.slice(30_000)] }))
    expect(await request(url)(token)).toMatchObject({ active: true })
  })

  it('reports each failure of the endpoint as unavailable, naming only its origin', async () => {
    const cases: [IntrospectionAnswer, string][] = [
      [{ status: 500, json: { error: 'server_error' } }, 'answered 500 instead of 200'],
      [{ status: 401, json: { error: 'invalid_client' } }, 'answered 401 instead of 200'],
      [{ status: 201, json: { active: true } }, 'answered 201 instead of 200'],
      [{ raw: '<html>oops</html>' }, 'answered something other than JSON'],
      [{ raw: '' }, 'answered something other than JSON'],
      [
        { raw: new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]) },
        'answered something other than JSON',
      ],
      [{ raw: '[{"active":true}]' }, 'answered JSON that is not an object'],
      [{ raw: 'null' }, 'answered JSON that is not an object'],
      [{ raw: '"active"' }, 'answered JSON that is not an object'],
      [{ raw: padded(65_537) }, 'answered more than 65536 bytes'],
      [{ chunks: [padded(40_000), padded(40_000)] }, 'answered more than 65536 bytes'],
    ]
    const url = await serve({})
    const origin = new URL(url).origin
    for (const [answer, what] of cases) {
      server?.answer(() => answer)
      const error = await failure(request(url)(token))
      expect(error.message, what).toBe(`The introspection endpoint at ${origin} ${what}.`)
    }
  })

  it('does not follow a redirect, which would send the token elsewhere', async () => {
    const target = await startIntrospectionServer(() => ({ json: { active: true, sub: 'user-1' } }))
    try {
      const url = await serve({ status: 307, headers: { location: target.url } })
      const error = await failure(request(url)(token))
      expect(error.message).toBe(
        `The introspection endpoint at ${new URL(url).origin} answered 307 instead of 200.`,
      )
      expect(target.requests).toHaveLength(0)
    } finally {
      await target.close()
    }
  })

  it('gives up after the timeout', async () => {
    const url = await serve({ json: { active: true }, delay: 20_000 })
    const error = await failure(request(url, { timeout: 200 })(token))
    expect(error.message).toBe(
      `The introspection endpoint at ${new URL(url).origin} did not answer within 200 ms.`,
    )
  })

  it('reports a refused connection as unavailable, with the network error as cause', async () => {
    const url = await serve({})
    await server?.close()
    server = undefined
    const error = await failure(request(url)(token))
    expect(error.message).toBe(`The introspection endpoint at ${new URL(url).origin} could not be reached.`)
    expect(error.cause).toBeInstanceOf(Error)
  })

  it('survives a fetch that throws, resolves with something else, or never settles', async () => {
    const endpoint = 'https://auth.example.com/oauth2/introspect'
    const fetches: [IntrospectionFetch, string][] = [
      [
        () => {
          throw new TypeError('boom')
        },
        'could not be reached',
      ],
      [() => Promise.reject(new Error('boom')), 'could not be reached'],
      [() => Promise.resolve(undefined as unknown as Response), 'gave an answer that could not be read'],
      [() => Promise.resolve({ status: 200 } as Response), 'broke off its answer'],
      [() => new Promise<Response>(() => undefined), 'did not answer within 100 ms'],
      [() => Promise.resolve(new Response(null, { status: 200 })), 'answered something other than JSON'],
    ]
    for (const [fetch, what] of fetches) {
      const error = await failure(request(endpoint, { fetch, timeout: 100 })(token))
      expect(error.message, what).toBe(`The introspection endpoint at https://auth.example.com ${what}.`)
    }
  })

  it('passes an abort signal that fires at the timeout', async () => {
    let signal: AbortSignal | null | undefined
    const fetch: IntrospectionFetch = (_url, init) => {
      signal = init.signal
      return new Promise(() => undefined)
    }
    await failure(request('https://auth.example.com/i', { fetch, timeout: 50 })(token))
    expect(signal?.aborted).toBe(true)
  })
})
