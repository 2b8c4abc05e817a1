import { describe, expect, it } from 'vitest'
import { fromWebRequest } from '../request/index.js'
import { headerView, queryRecord } from './request-parts.js'

const headersOf = (init: Record<string, string>) =>
  fromWebRequest(new Request('http://api.test/', { headers: init })).headers

describe('queryRecord', () => {
  it('gives strings, and arrays for repeated names', () => {
    expect(queryRecord(new URLSearchParams('a=1&b=x+y&a=2&c'))).toEqual({ a: ['1', '2'], b: 'x y', c: '' })
  })
})

describe('headerView', () => {
  it('reads headers case-insensitively, without listing or copying them', () => {
    const view = headerView(headersOf({ 'X-Tenant': 't1', Accept: 'a/b' }))
    expect(view['x-tenant']).toBe('t1')
    expect(view['X-TENANT']).toBe('t1')
    expect(view['x-missing']).toBeUndefined()
    expect('accept' in view).toBe(true)
    expect('x-missing' in view).toBe(false)
    expect(Object.hasOwn(view, 'accept')).toBe(true)
    expect(Object.keys(view)).toEqual([])
  })

  it('treats names no header can have as absent', () => {
    const view = headerView(headersOf({}))
    expect(view['not a header name']).toBeUndefined()
    expect('x\ny' in view).toBe(false)
    expect(view[Symbol.iterator as never]).toBeUndefined()
  })

  it('lets a schema write defaults without touching the request', () => {
    const headers = headersOf({ 'x-a': '1' })
    const view = headerView(headers) as Record<string, string>
    view['x-b'] = '2'
    expect(view['x-b']).toBe('2')
    expect(headers.get('x-b')).toBeNull()
  })
})
