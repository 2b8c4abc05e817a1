import { notFound, permanentRedirect, redirect } from 'next/navigation.js'
import { describe, expect, it } from 'vitest'
import { isNextControlFlow } from './next-control-flow.js'

function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('nothing thrown')
}

describe('isNextControlFlow', () => {
  it.each([
    ['redirect()', thrown(() => redirect('/a'))],
    ['permanentRedirect()', thrown(() => permanentRedirect('/a'))],
    ['notFound()', thrown(() => notFound())],
    ['a dynamic-rendering bailout', Object.assign(new Error('x'), { digest: 'DYNAMIC_SERVER_USAGE' })],
    ['an error caused by redirect()', new Error('wrapped', { cause: thrown(() => redirect('/a')) })],
  ])('recognizes %s', (_name, error) => {
    expect(isNextControlFlow(error)).toBe(true)
  })

  it.each([
    ['an Error', new Error('NEXT_REDIRECT')],
    ['an error with a digest of its own', Object.assign(new Error('x'), { digest: 'db-timeout' })],
    ['a string', 'NEXT_REDIRECT'],
    ['null', null],
    ['a plain object with a cause', { cause: { digest: 'NEXT_REDIRECT' } }],
  ])('leaves %s to the error response', (_name, error) => {
    expect(isNextControlFlow(error)).toBe(false)
  })
})
