import type { Guard } from '@sec/core'

/**
 * A route guard that makes a public, unchanging-for-a-while answer cacheable: it replaces the
 * `Cache-Control: no-store` of `headers('api')` with `public, max-age=<seconds>`. Only for answers
 * that are the same for everyone and hold no secret (the JWKS). Problems still get `no-store`: a
 * request refused before this guard runs never gets this header.
 */
export function publicCache(maxAgeSeconds: number): Guard {
  if (!Number.isSafeInteger(maxAgeSeconds) || maxAgeSeconds < 0)
    throw new RangeError(
      `publicCache: maxAgeSeconds must be a whole number of seconds, got ${maxAgeSeconds}.`,
    )
  const value = `public, max-age=${maxAgeSeconds}`
  return {
    name: 'public-cache',
    check(ctx) {
      ctx.responseHeaders.set('cache-control', value)
    },
  }
}
