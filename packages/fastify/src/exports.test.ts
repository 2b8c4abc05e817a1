import { describe, expect, it } from 'vitest'
import * as api from './index.js'

describe('public exports', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "default",
        "frameworkErrors",
        "secFastify",
      ]
    `)
  })

  it('exports the plugin as default, wrapped with fastify-plugin', () => {
    const meta = (api.default as unknown as Record<symbol, unknown>)[Symbol.for('plugin-meta')]
    expect(api.default).toBe(api.secFastify)
    expect(meta).toEqual({ fastify: '5.x', name: '@sec/fastify' })
    expect((api.default as unknown as Record<symbol, unknown>)[Symbol.for('skip-override')]).toBe(true)
  })
})
