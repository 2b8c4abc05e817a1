import { describe, expect, it } from 'vitest'
import { SecConfigError } from '../../errors/index.js'
import { memoryRevocationStore } from '../revocation-store.js'
import { resolveIntrospectionPolicy } from './introspection-options.js'

const where = 'createIntrospectionVerifier'
const endpoint = 'https://auth.example.com/oauth2/introspect'
const basic = { endpoint, clientId: 'notes-api', clientSecret: 'secret' }

function configError(options: unknown): { path: string; message: string } {
  try {
    resolveIntrospectionPolicy(where, options)
  } catch (error) {
    expect(error).toBeInstanceOf(SecConfigError)
    return { path: (error as SecConfigError).path, message: (error as SecConfigError).message }
  }
  throw new Error('the options were accepted')
}

describe('introspection options', () => {
  it('applies the defaults', () => {
    const policy = resolveIntrospectionPolicy(where, basic)
    expect(policy.request.endpoint.href).toBe(endpoint)
    expect(policy.request.headers).toEqual({
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
      authorization: 'Basic bm90ZXMtYXBpOnNlY3JldA==',
    })
    expect(policy.request.timeout).toBe(2000)
    expect(policy.response).toEqual({
      issuers: undefined,
      audiences: undefined,
      clockTolerance: 30_000,
      requireTokenId: false,
      defaultIssuer: 'https://auth.example.com',
    })
    expect(policy.cache).toEqual({ maxEntries: 10_000, maxAge: 60_000, refusedMaxAge: 10_000 })
    expect(policy.revocationStore).toBeUndefined()
    expect(typeof policy.clock.now()).toBe('number')
  })

  it('reads every option', () => {
    const clock = { now: () => 0 }
    const revocationStore = memoryRevocationStore()
    const fetch = () => Promise.resolve(new Response('{}'))
    const policy = resolveIntrospectionPolicy(where, {
      endpoint: new URL('http://localhost:8080/introspect'),
      headers: { Authorization: 'Bearer api-token', 'X-Tenant': ' acme\t' },
      issuer: ['https://a.example.com/', 'https://b.example.com/'],
      audience: 'https://api.example.com',
      timeout: '5s',
      cache: { maxEntries: 50, maxAge: '5s' },
      clockTolerance: 0,
      revocationStore,
      fetch,
      clock,
    })
    expect(policy.request.endpoint.href).toBe('http://localhost:8080/introspect')
    expect(policy.request.headers).toEqual({
      accept: 'application/json',
      'content-type': 'application/x-www-form-urlencoded',
      authorization: 'Bearer api-token',
      'x-tenant': 'acme',
    })
    expect(policy.request.timeout).toBe(5000)
    expect(policy.request.fetch).toBe(fetch)
    expect(policy.response).toEqual({
      issuers: ['https://a.example.com/', 'https://b.example.com/'],
      audiences: ['https://api.example.com'],
      clockTolerance: 0,
      requireTokenId: true,
      defaultIssuer: 'http://localhost:8080',
    })
    expect(policy.cache).toEqual({ maxEntries: 50, maxAge: 5000, refusedMaxAge: 5000 })
    expect(policy.revocationStore).toBe(revocationStore)
    expect(policy.clock).toBe(clock)
  })

  it('turns the cache off with false', () => {
    expect(resolveIntrospectionPolicy(where, { ...basic, cache: false }).cache).toBeUndefined()
  })

  it('accepts plain http only for loopback hosts', () => {
    for (const url of ['http://127.0.0.1:9000/i', 'http://[::1]/i', 'http://localhost/i'])
      expect(resolveIntrospectionPolicy(where, { ...basic, endpoint: url }).request.endpoint.href).toBe(url)
    expect(configError({ ...basic, endpoint: 'http://auth.example.com/introspect' })).toEqual({
      path: `${where}.endpoint`,
      message: `${where}.endpoint: must be an https: URL (plain http: is only accepted for localhost): tokens and the client secret would travel in the clear.`,
    })
  })

  it('refuses a missing, malformed or credential-carrying endpoint', () => {
    expect(configError({ clientId: 'a', clientSecret: 'b' })).toEqual({
      path: `${where}.endpoint`,
      message: `${where}.endpoint: is required: the authorization server's introspection endpoint, e.g. 'https://auth.example.com/oauth2/introspect'.`,
    })
    expect(configError({ ...basic, endpoint: 'auth.example.com/introspect' })).toEqual({
      path: `${where}.endpoint`,
      message: `${where}.endpoint: is not a URL: "auth.example.com/introspect".`,
    })
    expect(configError({ ...basic, endpoint: 'https://id:pw@auth.example.com/introspect' }).message).toBe(
      `${where}.endpoint: must not carry credentials in the URL: use clientId and clientSecret.`,
    )
    expect(configError({ ...basic, endpoint: 42 }).path).toBe(`${where}.endpoint`)
  })

  it('requires client authentication', () => {
    expect(configError({ endpoint })).toEqual({
      path: where,
      message: `${where}: needs client authentication (RFC 7662 §2.1): clientId and clientSecret, or headers such as { authorization: "Bearer …" }.`,
    })
    expect(configError({ endpoint, headers: {} }).path).toBe(where)
    expect(configError({ endpoint, clientId: 'notes-api' })).toEqual({
      path: `${where}.clientSecret`,
      message: `${where}.clientSecret: is required with clientId: set the secret of that client.`,
    })
    expect(configError({ endpoint, clientSecret: 'secret' }).path).toBe(`${where}.clientId`)
    expect(configError({ endpoint, clientId: '', clientSecret: 'secret' }).path).toBe(`${where}.clientId`)
    expect(configError({ endpoint, clientId: 'notes-api', clientSecret: '' }).path).toBe(
      `${where}.clientSecret`,
    )
  })

  it('refuses headers the request owns, a second authorization, and invalid ones without quoting the value', () => {
    expect(configError({ ...basic, headers: { 'Content-Type': 'text/plain' } })).toEqual({
      path: `${where}.headers`,
      message: `${where}.headers: cannot set "content-type": the introspection request sets it.`,
    })
    expect(configError({ ...basic, headers: { accept: 'application/jwt' } }).path).toBe(`${where}.headers`)
    expect(configError({ ...basic, headers: { authorization: 'Bearer x' } })).toEqual({
      path: `${where}.headers`,
      message: `${where}.headers: cannot set "authorization" together with clientId: pick one way to authenticate.`,
    })
    expect(configError({ endpoint, headers: { 'x-key': 'a', 'X-Key': 'b' } }).message).toBe(
      `${where}.headers: names "x-key" twice (header names ignore case).`,
    )
    const invalid = configError({ endpoint, headers: { 'x-key': 'top-secret\r\nx-injected: 1' } })
    expect(invalid).toEqual({
      path: `${where}.headers`,
      message: `${where}.headers: has an invalid name "x-key" or an invalid value for it (no line breaks or control characters).`,
    })
    expect(configError({ endpoint, headers: { 'bad name': 'v' } }).path).toBe(`${where}.headers`)
    expect(configError({ endpoint, headers: { 'x-key': 42 } }).path).toBe(`${where}.headers.x-key`)
  })

  it('checks issuer and audience', () => {
    expect(configError({ ...basic, issuer: '' })).toEqual({
      path: `${where}.issuer`,
      message: `${where}.issuer: is empty: leave it out, or set it, e.g. 'https://auth.example.com/'.`,
    })
    expect(configError({ ...basic, audience: [] }).path).toBe(`${where}.audience`)
    expect(configError({ ...basic, audience: ['https://api.example.com', 7] }).path).toBe(
      `${where}.audience[1]`,
    )
    expect(configError({ ...basic, issuer: 7 }).path).toBe(`${where}.issuer`)
  })

  it('bounds the durations', () => {
    expect(configError({ ...basic, timeout: '31s' })).toEqual({
      path: `${where}.timeout`,
      message: `${where}.timeout: must be at most '30s'; got "31s".`,
    })
    expect(configError({ ...basic, timeout: 0 }).message).toBe(`${where}.timeout: must be more than 0.`)
    expect(configError({ ...basic, timeout: '2 seconds' }).path).toBe(`${where}.timeout`)
    expect(configError({ ...basic, clockTolerance: '6m' })).toEqual({
      path: `${where}.clockTolerance`,
      message: `${where}.clockTolerance: must be at most '5m': a larger tolerance keeps expired tokens alive; got "6m".`,
    })
  })

  it('checks the cache options', () => {
    expect(configError({ ...basic, cache: { maxAge: 0 } })).toEqual({
      path: `${where}.cache.maxAge`,
      message: `${where}.cache.maxAge: must be more than 0: to turn the cache off, set cache: false.`,
    })
    expect(configError({ ...basic, cache: { maxEntries: 0 } }).path).toBe(`${where}.cache.maxEntries`)
    expect(configError({ ...basic, cache: { maxEntries: 1.5 } }).path).toBe(`${where}.cache.maxEntries`)
    expect(configError({ ...basic, cache: { size: 10 } })).toEqual({
      path: `${where}.cache.size`,
      message: `${where}.cache.size: is not a known option. Remove it or check its spelling against the documentation.`,
    })
    expect(configError({ ...basic, cache: true }).path).toBe(`${where}.cache`)
  })

  it('refuses unknown options and values of the wrong kind', () => {
    expect(configError({ ...basic, revocation: memoryRevocationStore() })).toEqual({
      path: `${where}.revocation`,
      message: `${where}.revocation: is not a known option. Remove it or check its spelling against the documentation.`,
    })
    expect(configError({ ...basic, fetch: 'fetch' }).path).toBe(`${where}.fetch`)
    expect(configError({ ...basic, clock: Date.now }).path).toBe(`${where}.clock`)
    expect(configError({ ...basic, revocationStore: new Set() }).path).toBe(`${where}.revocationStore`)
  })

  it('never puts the client secret in a message', () => {
    for (const options of [
      { ...basic, clientSecret: 'top-secret', headers: { authorization: 'Basic x' } },
      { ...basic, clientSecret: 'top-secret', endpoint: 'http://auth.example.com/' },
      { endpoint, headers: { authorization: 'top-secret\u0000' } },
    ])
      expect(configError(options).message).not.toContain('top-secret')
  })
})
