import { createSecurity, type Guard } from '@sec/core'
import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import secFastify from './index.js'

const security = createSecurity()

describe('plugin options', () => {
  it.each([
    [undefined, 'secFastify.security: Expected the object createSecurity() returns.'],
    [{ security: {} }, 'secFastify.security: Expected the object createSecurity() returns.'],
    [{ security, hook: 'onSend' }, "secFastify.hook: Expected 'onRequest' or 'preHandler'."],
    [
      { security, hooks: 'onRequest' },
      'secFastify.hooks: is not a known option. Remove it or check its spelling against the documentation.',
    ],
  ])('refuses %j at registration', async (options, message) => {
    const app = Fastify()
    await expect(app.register(secFastify, options as never)).rejects.toThrowError(
      expect.objectContaining({ name: 'SecConfigError', code: 'SEC_CONFIG', message }),
    )
  })

  it("accepts Fastify's own register options", async () => {
    const app = Fastify()
    await app.register(secFastify, { security, hook: 'preHandler', logLevel: 'warn' } as never)
    await app.ready()
    await app.close()
  })

  it.each([
    [
      { security: 'cors' },
      'config.security: Expected an array of guards in route POST /notes, e.g. { config: { security: [validate({ body })] } }.',
    ],
    [
      { security: [{ name: 'ok', check: () => undefined }, { name: 'broken' }] },
      'config.security[1]: Expected a guard (an object with a name and a check function) in route POST /notes, such as validate({ body }).',
    ],
  ])('refuses a route whose config.security is %j', async (config, message) => {
    const app = Fastify()
    await app.register(secFastify, { security })
    expect(() =>
      app.post('/notes', { config: config as { security: Guard[] } }, async () => 'ok'),
    ).toThrowError(expect.objectContaining({ code: 'SEC_CONFIG', message }))
    await app.close()
  })
})
