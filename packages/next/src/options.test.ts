import { createSecurity } from '@sec/core'
import { describe, expect, it } from 'vitest'
import { preflight, secureProxy, withSecurity } from './index.js'

const security = createSecurity()
const handler = () => new Response('ok')

describe('options', () => {
  it.each([
    [
      { guard: [] },
      'withSecurity.guard: is not a known option. Remove it or check its spelling against the documentation.',
    ],
    [{ guards: 'cors' }, 'withSecurity.guards: Expected an array of guards, e.g. [validate({ body })].'],
    [
      { guards: [{ name: 'x' }] },
      'withSecurity.guards[0]: Expected a guard (an object with a name and a check function), such as validate({ body }).',
    ],
    [
      { peer: { remoteAddress: 'localhost' } },
      "withSecurity.peer.remoteAddress: Expected an IP address such as '127.0.0.1' or '::1', the address every connection to Next comes from.",
    ],
    [{ peer: { remoteAddress: '10.0.0.256' } }, 'withSecurity.peer.remoteAddress: Expected an IP address'],
    [{ peer: { encrypted: 'yes' } }, 'withSecurity.peer.encrypted: Expected a boolean.'],
    [{ peer: { address: '::1' } }, 'withSecurity.peer.address: is not a known option.'],
    [
      { peer: 'loopback' },
      'withSecurity.peer: Expected { remoteAddress?, encrypted? } or a function of the request.',
    ],
  ])('withSecurity refuses %j when the route is built', (options, message) => {
    expect(() => withSecurity(security, handler, options as never)).toThrowError(
      expect.objectContaining({
        name: 'SecConfigError',
        code: 'SEC_CONFIG',
        message: expect.stringContaining(message),
      }),
    )
  })

  it.each([['127.0.0.1'], ['::1'], ['2001:db8::7'], ['::ffff:192.0.2.1']])(
    'accepts the peer address %s',
    (remoteAddress) => {
      expect(() => withSecurity(security, handler, { peer: { remoteAddress } })).not.toThrow()
    },
  )

  it('refuses something that is not a security pipeline, naming the factory', () => {
    expect(() => withSecurity({} as never, handler)).toThrowError(
      'withSecurity.security: Expected the object createSecurity() returns.',
    )
    expect(() => preflight(null as never)).toThrowError('preflight.security:')
    expect(() => secureProxy(security, { peer: 1 } as never)).toThrowError('secureProxy.peer: Expected')
  })
})
