import { expect, it } from 'vitest'

it('exports exactly the public API', async () => {
  expect(Object.keys(await import('./index.js')).sort()).toMatchInlineSnapshot(`
    [
      "RedisStoreError",
      "redisApiKeyStore",
      "redisNonceStore",
      "redisRefreshTokenStore",
      "redisRevocationStore",
      "redisStore",
    ]
  `)
})
