import { expect, it } from 'vitest'

const entries = [
  'index',
  'client-ip',
  'https',
  'headers',
  'cors',
  'body',
  'validation',
  'url-credentials',
  'ratelimit',
  'auth',
  'authz',
  'apikeys',
  'tokens',
  'signing',
  'webhooks',
] as const

it.each(entries)('keeps the public exports of %s', async (entry) => {
  const module: Record<string, unknown> = await import(
    entry === 'index' ? './index.js' : `./${entry}/index.js`
  )
  await expect(Object.keys(module).sort().join('\n')).toMatchFileSnapshot(
    `./__snapshots__/exports.${entry}.txt`,
  )
})
