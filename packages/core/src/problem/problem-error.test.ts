import { expect, it } from 'vitest'
import { catalogProblem } from './catalog.js'
import { SecProblemError } from './problem-error.js'

it('carries its problem, headers and a code derived from the reason', () => {
  const error = new SecProblemError(catalogProblem('body-too-large'), { connection: 'close' })
  expect(error.code).toBe('SEC_BODY_TOO_LARGE')
  expect(error.message).toBe('Content Too Large')
  expect(error.headers).toEqual({ connection: 'close' })
})

it('recognizes an instance made by another copy of the class (the CommonJS build next to the ESM one)', () => {
  const foreign = Object.assign(new Error('x'), { [Symbol.for('@sec/core/SecProblemError')]: true })
  expect(foreign instanceof SecProblemError).toBe(true)
  expect(new Error('x') instanceof SecProblemError).toBe(false)
  expect((null as unknown as object) instanceof SecProblemError).toBe(false)
})

it('says its status, and exposes itself below 500 as http-errors does', () => {
  const forbidden = new SecProblemError(catalogProblem('forbidden'))
  expect([forbidden.status, forbidden.expose]).toEqual([403, true])
  const internal = new SecProblemError(catalogProblem('internal-error'))
  expect([internal.status, internal.expose]).toEqual([500, false])
})
