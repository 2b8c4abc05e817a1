import { createSecurity, type SecurityEvent } from '@sec/core'
import { NextRequest } from 'next/server.js'
import { describe, expect, it } from 'vitest'
import { secureProxy } from './secure-proxy.js'
import { gate, problemHeaders, securityHeaders, sevens } from './testing/guards.js'

describe('secureProxy', () => {
  const events: SecurityEvent[] = []
  const proxy = secureProxy(
    createSecurity({ guards: [gate, securityHeaders], random: sevens, events: (e) => events.push(e) }),
  )

  it('answers a request the guards end, and reports its status', async () => {
    const response = await proxy(new NextRequest('http://localhost/denied'))
    expect({
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body: await response.text(),
    }).toEqual({
      status: 403,
      headers: problemHeaders,
      body: '{"type":"urn:sec:problem:cors-denied","title":"CORS Request Denied","status":403}',
    })
    expect(events).toMatchObject([{ type: 'request.completed', status: 403 }])
  })

  it('lets a request through with the outcome headers for the response', async () => {
    events.length = 0
    const response = await proxy(new NextRequest('http://localhost/page'))
    expect(Object.fromEntries(response.headers)).toEqual({
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'x-middleware-next': '1',
    })
    expect(events).toEqual([])
  })
})
