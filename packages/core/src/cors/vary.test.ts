import { describe, expect, it } from 'vitest'
import { ResponseHeaders } from '../pipeline/index.js'
import { createVaryAppender } from './vary.js'

describe('createVaryAppender', () => {
  const appendOriginAndMethod = createVaryAppender(['Origin', 'Access-Control-Request-Method'])

  it.each<[string | null, string]>([
    [null, 'Origin, Access-Control-Request-Method'],
    ['', 'Origin, Access-Control-Request-Method'],
    ['Accept-Encoding', 'Accept-Encoding, Origin, Access-Control-Request-Method'],
    ['ORIGIN', 'ORIGIN, Access-Control-Request-Method'],
    ['accept, origin,access-control-request-method', 'accept, origin,access-control-request-method'],
    ['*', '*'],
    ['Accept, *', 'Accept, *'],
  ])('turns Vary %j into %j', (current, expected) => {
    const headers = new ResponseHeaders()
    if (current !== null) headers.set('vary', current)
    appendOriginAndMethod(headers)
    expect(headers.get('vary')).toBe(expected)
  })

  it('adds nothing the second time', () => {
    const headers = new ResponseHeaders()
    headers.set('vary', 'Accept')
    appendOriginAndMethod(headers)
    appendOriginAndMethod(headers)
    expect(headers.get('vary')).toBe('Accept, Origin, Access-Control-Request-Method')
  })
})
