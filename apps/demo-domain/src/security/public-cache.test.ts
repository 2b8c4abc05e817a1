import { createSecurity, fromWebRequest } from '@sec/core'
import { describe, expect, it } from 'vitest'
import { publicCache } from './public-cache.js'

describe('publicCache', () => {
  it('replaces no-store with a public max-age', async () => {
    const security = createSecurity({
      guards: [{ name: 'no-store', check: (ctx) => ctx.responseHeaders.set('cache-control', 'no-store') }],
    })
    const outcome = await security.protect(fromWebRequest(new Request('https://api.example.com/jwks')), {
      guards: [publicCache(300)],
    })
    expect(outcome.headers.get('cache-control')).toBe('public, max-age=300')
  })

  it.each([-1, 1.5, Number.NaN])('refuses %s seconds', (seconds) => {
    expect(() => publicCache(seconds)).toThrow(
      `publicCache: maxAgeSeconds must be a whole number of seconds, got ${seconds}.`,
    )
  })
})
