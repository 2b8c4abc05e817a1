import { describe, expect, it } from 'vitest'
import { SecConfigError } from '../errors/index.js'
import { assertGuards, isGuard, isSecurity } from './adapter-checks.js'
import { createSecurity } from './create-security.js'
import type { Guard } from './guard.js'

const guard: Guard = { name: 'g', check: () => undefined }

describe('isGuard', () => {
  it('accepts an object with a string name and a check function', () => {
    expect(isGuard(guard)).toBe(true)
    expect(isGuard({ name: '', always: true, check: async () => undefined })).toBe(true)
  })

  it.each<unknown>([
    undefined,
    null,
    'cors',
    () => undefined,
    {},
    { name: 'g' },
    { check: () => undefined },
    { name: 1, check: () => undefined },
    { name: 'g', check: 'x' },
  ])('refuses %o', (value) => {
    expect(isGuard(value)).toBe(false)
  })
})

describe('isSecurity', () => {
  it('accepts what createSecurity() returns', () => {
    expect(isSecurity(createSecurity())).toBe(true)
  })

  it.each(['protect', 'resume', 'errorResponse', 'statusResponse'])(
    'refuses an object without %s',
    (name) => {
      const partial: Record<string, unknown> = { ...createSecurity() }
      delete partial[name]
      expect(isSecurity(partial)).toBe(false)
    },
  )

  it.each([undefined, null, {}, 'security', [guard]])('refuses %o', (value) => {
    expect(isSecurity(value)).toBe(false)
  })
})

describe('assertGuards', () => {
  it('accepts a list of guards, empty or not', () => {
    expect(() => assertGuards([], 'x.guards', 'validate({ body })')).not.toThrow()
    expect(() => assertGuards([guard, guard], 'x.guards', 'validate({ body })')).not.toThrow()
  })

  it.each([undefined, guard, 'guards', { 0: guard, length: 1 }])('refuses %o as not an array', (value) => {
    expect(() => assertGuards(value, 'x.guards', 'validate({ body })')).toThrowError(
      new SecConfigError('x.guards', 'Expected an array of guards, e.g. [validate({ body })].'),
    )
  })

  it('names the first entry that is not a guard', () => {
    let error: unknown
    try {
      assertGuards([guard, { name: 'half' }, null], 'secure.route', 'validate({ ... })')
    } catch (thrown) {
      error = thrown
    }
    expect(error).toBeInstanceOf(SecConfigError)
    expect(error).toMatchObject({
      code: 'SEC_CONFIG',
      path: 'secure.route[1]',
      message:
        'secure.route[1]: Expected a guard (an object with a name and a check function), such as validate({ ... }).',
    })
  })
})
