import { createSecurity, type SecurityEvent } from '@sec/core'
import { NextRequest } from 'next/server.js'
import { describe, expect, it } from 'vitest'
import { preflight } from './preflight.js'
import { gate, securityHeaders, sevens } from './testing/guards.js'

describe('preflight', () => {
  const events: SecurityEvent[] = []
  const OPTIONS = preflight(
    createSecurity({ guards: [gate, securityHeaders], random: sevens, events: (e) => events.push(e) }),
  )

  it('lets the guards answer a CORS preflight', async () => {
    const response = await OPTIONS(
      new NextRequest('http://localhost/v1/notes', {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
      }),
      { params: Promise.resolve({}) },
    )
    expect({
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: await response.text(),
    }).toEqual({
      status: 204,
      headers: {
        'access-control-allow-origin': 'https://app.example.com',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
      body: '',
    })
    expect(events).toMatchObject([{ type: 'request.completed', status: 204, reason: 'cors-preflight' }])
  })

  it('answers an OPTIONS request no guard answers with an empty 204 and the outcome headers', async () => {
    const response = await OPTIONS(new NextRequest('http://localhost/v1/notes', { method: 'OPTIONS' }), {
      params: Promise.resolve({}),
    })
    expect({
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: await response.text(),
    }).toEqual({
      status: 204,
      headers: { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' },
      body: '',
    })
  })
})
