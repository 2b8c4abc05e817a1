import { describe, expect, it } from 'vitest'
import * as api from './index.js'

describe('public exports', () => {
  it('exports exactly the documented names', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "earlyResponse",
        "preflight",
        "secureProxy",
        "withSecurity",
      ]
    `)
  })
})
