import { describe, expect, it } from 'vitest'
import { RequestInputParts } from './request-input.js'

describe('RequestInputParts', () => {
  it('keeps records per key and per request, out of sight of comparison and JSON', () => {
    const one = new RequestInputParts()
    const two = new RequestInputParts()
    const first = Symbol('first')
    const second = Symbol('second')
    one.body = { title: 'a' }
    RequestInputParts.record(one, first, { body: { title: 'a' } })
    RequestInputParts.record(one, second, 2)
    expect(RequestInputParts.recorded(one, first)).toEqual({ body: { title: 'a' } })
    expect(RequestInputParts.recorded(one, second)).toBe(2)
    expect(RequestInputParts.recorded(two, first)).toBeUndefined()
    expect(one).toEqual({ body: { title: 'a' }, query: undefined, params: undefined, headers: undefined })
    expect(JSON.stringify(one)).toBe('{"body":{"title":"a"}}')
    expect(Reflect.ownKeys(one)).toEqual(['body', 'query', 'params', 'headers'])
  })

  it('records on an input object made elsewhere too', () => {
    const input = { body: undefined, query: undefined, params: undefined, headers: undefined }
    const key = Symbol('key')
    expect(RequestInputParts.recorded(input, key)).toBeUndefined()
    RequestInputParts.record(input, key, 'value')
    RequestInputParts.record(input, Symbol('other'), 'other')
    expect(RequestInputParts.recorded(input, key)).toBe('value')
    expect(Reflect.ownKeys(input)).toEqual(['body', 'query', 'params', 'headers'])
  })
})
