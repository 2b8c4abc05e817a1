import { describe, expect, it } from 'vitest'
import { normalizeResponse } from './normalize-response.js'

describe('normalizeResponse', () => {
  it('drops the transfer and connection headers and keeps every other one', () => {
    const normalized = normalizeResponse({
      status: 404,
      headers: {
        date: 'Sat, 28 Nov 2026 00:00:00 GMT',
        connection: 'keep-alive',
        'keep-alive': 'timeout=5',
        'content-length': '55',
        'transfer-encoding': 'chunked',
        etag: 'W/"37-abc"',
        'content-type': 'application/problem+json',
        vary: 'Origin',
      },
      rawHeaders: [],
      body: '{"type":"about:blank","title":"Not Found","status":404}',
    })
    expect(normalized).toEqual({
      status: 404,
      headers: { 'content-type': 'application/problem+json', vary: 'Origin' },
      body: '{"type":"about:blank","title":"Not Found","status":404}',
    })
  })

  it('replaces a version 4 UUID correlation id, and nothing else', () => {
    const body = (id: string) =>
      `{"correlationId":"${id}","type":"urn:sec:problem:internal-error","status":500}`
    const normalize = (id: string) =>
      normalizeResponse({ status: 500, headers: {}, rawHeaders: [], body: body(id) }).body
    expect(normalize('0f8e6f0c-5b8a-4d6e-9a1b-2c3d4e5f6a7b')).toBe(body('<correlation-id>'))
    expect(normalize('req-1')).toBe(body('req-1'))
    expect(normalize('0f8e6f0c-5b8a-1d6e-9a1b-2c3d4e5f6a7b')).toBe(
      body('0f8e6f0c-5b8a-1d6e-9a1b-2c3d4e5f6a7b'),
    )
  })

  it('removes only the framework Vary tokens it is given, and drops an emptied Vary', () => {
    const headers = { vary: 'RSC, Next-Router-State-Tree, Origin' }
    const response = { status: 200, headers, rawHeaders: [], body: '' }
    expect(
      normalizeResponse(response, { frameworkVaryTokens: ['rsc', 'next-router-state-tree'] }).headers,
    ).toEqual({
      vary: 'Origin',
    })
    expect(
      normalizeResponse({ ...response, headers: { vary: 'rsc' } }, { frameworkVaryTokens: ['RSC'] }).headers,
    ).toEqual({})
    expect(normalizeResponse(response).headers).toEqual(headers)
  })
})
