import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createSecurity } from '../pipeline/index.js'
import { fromWebRequest, type SecurityRequest } from '../request/index.js'
import type { ClientInfo, TrustProxy } from './client-info.js'
import { createClientResolver } from './resolve-client.js'

interface Sent {
  readonly remoteAddress?: string
  readonly encrypted?: boolean
  readonly headers?: Record<string, string>
}

const web = ({ remoteAddress, encrypted, headers }: Sent) =>
  fromWebRequest(
    new Request('http://internal.upstream/v1/whoami', { headers: { host: 'api.example.com', ...headers } }),
    {
      ...(remoteAddress !== undefined && { remoteAddress }),
      ...(encrypted !== undefined && { encrypted }),
    },
  )

const resolve = (trustProxy: TrustProxy, sent: Sent, ipv6Prefix?: number): ClientInfo =>
  createClientResolver({ trustProxy, ...(ipv6Prefix !== undefined && { ipv6Prefix }) })(web(sent))

/** A request with repeated field lines, which a Web `Request` would have joined. */
function withFieldLines(
  fields: readonly (readonly [string, string])[],
  remoteAddress?: string,
): SecurityRequest {
  const lines = (name: string) =>
    fields.filter(([field]) => field.toLowerCase() === name.toLowerCase()).map(([, value]) => value)
  return {
    method: 'GET',
    target: '/',
    headers: {
      get: (name) => (lines(name).length === 0 ? null : lines(name).join(', ')),
      getAll: lines,
      has: (name) => lines(name).length > 0,
    },
    remoteAddress,
    encrypted: false,
    body: async () => new Uint8Array(0),
  }
}

const direct = (ip: string | undefined, host: string | undefined = 'api.example.com'): ClientInfo => ({
  ip,
  ipKey: ip,
  protocol: 'http',
  host,
  viaProxy: false,
})

describe('createClientResolver without trusted proxies', () => {
  it('takes the socket peer, the TLS flag and Host, ignoring every forwarding header', () => {
    const forged = {
      'x-forwarded-for': '203.0.113.9',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'evil.example',
      forwarded: 'for=203.0.113.9;proto=https;host=evil.example',
    }
    expect(resolve(false, { remoteAddress: '127.0.0.1', headers: forged })).toEqual(direct('127.0.0.1'))
    expect(resolve(false, { remoteAddress: '192.0.2.7', encrypted: true })).toEqual({
      ...direct('192.0.2.7'),
      protocol: 'https',
    })
  })

  it('normalizes the socket address', () => {
    expect(resolve(false, { remoteAddress: '::ffff:192.0.2.7' }).ip).toBe('192.0.2.7')
    expect(resolve(false, { remoteAddress: 'fe80::1%eth0' }).ip).toBe('fe80::1')
    expect(resolve(false, { remoteAddress: '2001:DB8:0:0:1::9' })).toEqual({
      ...direct('2001:db8::1:0:0:9'),
      ipKey: '2001:db8::/64',
    })
  })

  it('keys IPv6 clients by the configured prefix', () => {
    expect(resolve(false, { remoteAddress: '2001:db8:1:2:3:4:5:6' }, 48).ipKey).toBe('2001:db8:1::/48')
    expect(resolve(false, { remoteAddress: '2001:db8:1:2:3:4:5:6' }, 128).ipKey).toBe(
      '2001:db8:1:2:3:4:5:6/128',
    )
  })

  it('leaves the IP unknown when the socket address is absent or not an address', () => {
    expect(resolve(false, {})).toEqual(direct(undefined))
    expect(resolve(false, { remoteAddress: 'unix:/run/app.sock' })).toEqual(direct(undefined))
  })

  it('validates Host, and refuses a Host sent twice', () => {
    expect(resolve(false, { headers: { host: 'API.Example.com:8443' } }).host).toBe('api.example.com:8443')
    expect(resolve(false, { headers: { host: 'evil.example/path' } }).host).toBeUndefined()
    expect(resolve(false, { headers: { host: 'a.example, b.example' } }).host).toBeUndefined()
    const twice = withFieldLines([
      ['host', 'a.example'],
      ['host', 'b.example'],
    ])
    expect(createClientResolver()(twice).host).toBeUndefined()
    expect(createClientResolver()(withFieldLines([])).host).toBeUndefined()
  })
})

describe('createClientResolver with a trust list', () => {
  const trust: TrustProxy = ['loopback', '10.0.0.0/8']

  it('ignores forwarding headers from a peer it does not trust', () => {
    const sent = {
      remoteAddress: '198.51.100.4',
      headers: {
        'x-forwarded-for': '203.0.113.9',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'evil.example',
      },
    }
    expect(resolve(trust, sent)).toEqual(direct('198.51.100.4'))
  })

  it('treats a trusted peer without forwarding headers as the client', () => {
    expect(resolve(trust, { remoteAddress: '127.0.0.1' })).toEqual(direct('127.0.0.1'))
  })

  it('walks X-Forwarded-For from the right to the first untrusted address', () => {
    const sent = (xff: string) => ({ remoteAddress: '10.0.0.2', headers: { 'x-forwarded-for': xff } })
    expect(resolve(trust, sent('203.0.113.9'))).toEqual({ ...direct('203.0.113.9'), viaProxy: true })
    expect(resolve(trust, sent('198.51.100.1, 203.0.113.9, 10.0.0.1')).ip).toBe('203.0.113.9')
    expect(resolve(trust, sent('198.51.100.1,203.0.113.9 ,  10.0.0.1,127.0.0.1')).ip).toBe('203.0.113.9')
    expect(resolve(trust, sent('10.0.0.9, 10.0.0.1')).ip).toBe('10.0.0.9')
    expect(resolve(trust, sent('[2001:db8::9]:4711, 10.0.0.1'))).toEqual({
      ...direct('2001:db8::9'),
      ipKey: '2001:db8::/64',
      viaProxy: true,
    })
    expect(resolve(trust, sent('::ffff:203.0.113.9')).ip).toBe('203.0.113.9')
    expect(resolve(trust, sent('203.0.113.9:51234')).ip).toBe('203.0.113.9')
  })

  it('stops at a malformed entry and takes the last trusted address before it', () => {
    const sent = (xff: string) => ({ remoteAddress: '10.0.0.2', headers: { 'x-forwarded-for': xff } })
    expect(resolve(trust, sent('203.0.113.9, garbage')).ip).toBe('10.0.0.2')
    expect(resolve(trust, sent('203.0.113.9, unknown, 10.0.0.1')).ip).toBe('10.0.0.1')
    expect(resolve(trust, sent('203.0.113.9, 0x7f.0.0.1')).ip).toBe('10.0.0.2')
    expect(resolve(trust, sent('<script>, 203.0.113.9')).ip).toBe('203.0.113.9')
    expect(resolve(trust, sent(' , ')).ip).toBe('10.0.0.2')
  })

  it('joins all X-Forwarded-For field lines in order', () => {
    const request = withFieldLines(
      [
        ['x-forwarded-for', '198.51.100.1, 203.0.113.9'],
        ['x-forwarded-for', '10.0.0.1'],
      ],
      '127.0.0.1',
    )
    expect(createClientResolver({ trustProxy: trust })(request).ip).toBe('203.0.113.9')
  })

  it('takes the scheme and host the nearest proxy set, as the rightmost values', () => {
    const info = resolve(trust, {
      remoteAddress: '10.0.0.2',
      headers: {
        'x-forwarded-for': '203.0.113.9',
        'x-forwarded-proto': 'http, HTTPS',
        'x-forwarded-host': 'evil.example, API.example.com',
      },
    })
    expect(info).toEqual({
      ...direct('203.0.113.9'),
      protocol: 'https',
      host: 'api.example.com',
      viaProxy: true,
    })
  })

  it("prefers a trusted proxy's scheme to the TLS flag of its own connection", () => {
    const sent = (proto: string) => ({
      remoteAddress: '10.0.0.2',
      encrypted: true,
      headers: { 'x-forwarded-proto': proto },
    })
    expect(resolve(trust, sent('http')).protocol).toBe('http')
    expect(resolve(trust, sent('wss')).protocol).toBe('https')
    expect(resolve(trust, { ...sent('https'), encrypted: false }).protocol).toBe('https')
    expect(resolve(trust, { ...sent('ftp'), encrypted: false }).protocol).toBe('http')
    expect(resolve(trust, { ...sent('https '), encrypted: false }).protocol).toBe('https')
  })

  it('gives no host when the forwarded host is invalid, rather than falling back to Host', () => {
    const sent = (host: string) => ({ remoteAddress: '10.0.0.2', headers: { 'x-forwarded-host': host } })
    expect(resolve(trust, sent('evil.example@api.example.com')).host).toBeUndefined()
    expect(resolve(trust, sent('api.example.com:8443')).host).toBe('api.example.com:8443')
    expect(resolve(trust, sent('api.example.com:8443')).ip).toBe('10.0.0.2')
    expect(resolve(trust, sent('api.example.com:8443')).viaProxy).toBe(true)
  })
})

describe('createClientResolver with a hop count', () => {
  const sent = (xff: string, remoteAddress?: string) => ({
    ...(remoteAddress !== undefined && { remoteAddress }),
    headers: { 'x-forwarded-for': xff },
  })

  it('takes the address n hops from the socket', () => {
    expect(resolve(1, sent('198.51.100.1, 203.0.113.9', '192.0.2.1')).ip).toBe('203.0.113.9')
    expect(resolve(2, sent('198.51.100.1, 203.0.113.9', '192.0.2.1')).ip).toBe('198.51.100.1')
    expect(resolve(3, sent('198.51.100.1, 203.0.113.9', '192.0.2.1')).ip).toBe('198.51.100.1')
  })

  it('trusts the socket by position even when the runtime gives no address', () => {
    expect(resolve(1, sent('203.0.113.9'))).toEqual({ ...direct('203.0.113.9'), viaProxy: true })
    expect(resolve(1, {})).toEqual(direct(undefined))
  })

  it('stops at a malformed entry', () => {
    expect(resolve(2, sent('203.0.113.9, nope', '192.0.2.1')).ip).toBe('192.0.2.1')
    expect(resolve(3, sent('nope, 203.0.113.9', '192.0.2.1')).ip).toBe('203.0.113.9')
  })
})

describe('createClientResolver with Forwarded (RFC 7239)', () => {
  const trust: TrustProxy = ['loopback', '10.0.0.0/8']
  const sent = (forwarded: string, headers: Record<string, string> = {}) => ({
    remoteAddress: '10.0.0.2',
    headers: { forwarded, ...headers },
  })

  it('reads for, proto and host of the element the outermost trusted proxy added', () => {
    expect(resolve(trust, sent('for=203.0.113.9;proto=https;host=API.example.com'))).toEqual({
      ...direct('203.0.113.9'),
      protocol: 'https',
      host: 'api.example.com',
      viaProxy: true,
    })
    const chain =
      'for=198.51.100.1;proto=http, for=203.0.113.9;proto=https;host=api.example.com, for=10.0.0.1;proto=http;host=lb.internal'
    expect(resolve(trust, sent(chain))).toEqual({
      ...direct('203.0.113.9'),
      protocol: 'https',
      host: 'api.example.com',
      viaProxy: true,
    })
  })

  it('reads quoted IPv6 nodes with ports, and quoted commas', () => {
    expect(resolve(trust, sent('for="[2001:db8:cafe::17]:4711";host="a.example"')).ip).toBe(
      '2001:db8:cafe::17',
    )
    expect(resolve(trust, sent('for=203.0.113.7;ext="x, y", for=10.0.0.1')).ip).toBe('203.0.113.7')
  })

  it('stops at for=unknown or an obfuscated node, keeping that proxy as the client and its scheme', () => {
    expect(resolve(trust, sent('for=unknown;proto=https'))).toEqual({
      ...direct('10.0.0.2'),
      protocol: 'https',
      viaProxy: true,
    })
    expect(resolve(trust, sent('for=203.0.113.9, for=_hidden, for=10.0.0.1')).ip).toBe('10.0.0.1')
    expect(resolve(trust, sent('proto=https')).ip).toBe('10.0.0.2')
  })

  it('stops at a malformed element and takes neither scheme nor host from it', () => {
    expect(resolve(trust, sent('for=203.0.113.9;proto=https;proto=https;host=evil.example'))).toEqual({
      ...direct('10.0.0.2'),
      viaProxy: true,
    })
    expect(resolve(trust, sent('for="203.0.113.9'))).toEqual({ ...direct('10.0.0.2'), viaProxy: true })
  })

  it('keeps a client-written unbalanced quote from hiding what the proxy appended', () => {
    expect(resolve(trust, sent('for="10.0.0.5, for=203.0.113.9;proto=https')).ip).toBe('203.0.113.9')
  })

  it('is ignored as soon as any X-Forwarded-* header is present', () => {
    const spoof = sent('for=198.51.100.66;proto=https;host=evil.example', {
      'x-forwarded-for': '203.0.113.9',
    })
    expect(resolve(trust, spoof)).toEqual({ ...direct('203.0.113.9'), viaProxy: true })
    expect(resolve(trust, sent('for=198.51.100.66', { 'x-forwarded-proto': 'https' }))).toEqual({
      ...direct('10.0.0.2'),
      protocol: 'https',
      viaProxy: true,
    })
  })

  it('reads all Forwarded field lines in order', () => {
    const request = withFieldLines(
      [
        ['forwarded', 'for=203.0.113.9'],
        ['forwarded', 'for=10.0.0.1'],
      ],
      '127.0.0.1',
    )
    expect(createClientResolver({ trustProxy: trust })(request).ip).toBe('203.0.113.9')
  })

  it('counts hops through Forwarded too', () => {
    expect(resolve(2, sent('for=198.51.100.1;proto=https, for=203.0.113.9;proto=http')).ip).toBe(
      '198.51.100.1',
    )
    expect(resolve(2, sent('for=198.51.100.1;proto=https, for=203.0.113.9;proto=http')).protocol).toBe(
      'https',
    )
  })
})

describe('createClientResolver options', () => {
  it.each([
    [
      { trustProxy: ['loopback', '10.0.0.0/33'] },
      'createSecurity.trustProxy[1]: "10.0.0.0/33" has a prefix longer',
    ],
    [
      { trustProxy: ['loopback', 'localhost'] },
      'createSecurity.trustProxy[1]: "localhost" is not an IP address',
    ],
    [{ trustProxy: -2 }, 'createSecurity.trustProxy: must be false, a whole number of proxy hops'],
    [{ trustProxy: Number.NaN }, 'createSecurity.trustProxy: must be false'],
    [{ trustProxy: true }, 'createSecurity.trustProxy: true would let any caller choose its own IP.'],
    [{ ipv6Prefix: 0 }, 'createSecurity.ipv6Prefix: '],
    [{ ipv6Prefix: 64.5 }, 'createSecurity.ipv6Prefix: '],
    [{ trustproxy: 1 }, 'createSecurity.trustproxy: is not a known option.'],
  ])('refuses %j with the path and the fix', (options, message) => {
    expect(() => createSecurity(options as never)).toThrowError(
      expect.objectContaining({ code: 'SEC_CONFIG', message: expect.stringContaining(message) }),
    )
  })

  it('names its own factory when used alone', () => {
    expect(() => createClientResolver({ trustProxy: ['nope'] })).toThrowError(
      expect.objectContaining({ path: 'clientResolver.trustProxy[0]' }),
    )
  })

  it('is what createSecurity exposes as ctx.client and outcome.client', async () => {
    const security = createSecurity({ trustProxy: ['loopback'] })
    const outcome = await security.protect(
      web({
        remoteAddress: '::1',
        headers: { 'x-forwarded-for': '2001:db8::7', 'x-forwarded-proto': 'https' },
      }),
    )
    expect(outcome.client).toEqual({
      ip: '2001:db8::7',
      ipKey: '2001:db8::/64',
      protocol: 'https',
      host: 'api.example.com',
      viaProxy: true,
    })
  })
})

const forwardingNames = ['x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host', 'forwarded'] as const
const headerValue = fc.oneof(
  fc.string(),
  fc.string({ unit: fc.constantFrom(...'0123456789.:,;="[]_ forpthsunkw'), maxLength: 60 }),
  fc.array(fc.oneof(fc.ipV4(), fc.ipV6()), { maxLength: 4 }).map((ips) => ips.join(', ')),
)

describe('createClientResolver properties', () => {
  it('never lets forwarding headers change anything when no proxy is trusted or the peer is not one', () => {
    const configurations: readonly [TrustProxy, string][] = [
      [false, '127.0.0.1'],
      [['10.0.0.0/8'], '203.0.113.5'],
      [['loopback'], '2001:db8::1'],
    ]
    fc.assert(
      fc.property(
        fc.constantFrom(...configurations),
        fc.boolean(),
        fc.array(fc.tuple(fc.constantFrom(...forwardingNames), headerValue), { maxLength: 6 }),
        ([trustProxy, remoteAddress], encrypted, fields) => {
          const resolver = createClientResolver({ trustProxy })
          const base = { ...withFieldLines([['host', 'api.example.com']], remoteAddress), encrypted }
          const forged = {
            ...withFieldLines([['host', 'api.example.com'], ...fields], remoteAddress),
            encrypted,
          }
          expect(resolver(forged)).toEqual(resolver(base))
        },
      ),
      { numRuns: 500 },
    )
  })

  it('never throws, whatever the headers and the socket address', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<TrustProxy>(false, 1, 3, ['loopback', 'private']),
        fc.option(fc.oneof(fc.string(), fc.constantFrom('127.0.0.1', '10.0.0.1', '::1')), { nil: undefined }),
        fc.array(fc.tuple(fc.constantFrom(...forwardingNames, 'host'), headerValue), { maxLength: 6 }),
        (trustProxy, remoteAddress, fields) => {
          const info = createClientResolver({ trustProxy })(withFieldLines(fields, remoteAddress))
          if (info.ip !== undefined) expect(info.ip).toMatch(/^[0-9a-f.:]+$/)
          expect(['http', 'https']).toContain(info.protocol)
        },
      ),
      { numRuns: 1000 },
    )
  })

  /** The model: the chain from the socket outwards, cut at the first non-address, then at the first untrusted hop. */
  function modelClient(
    socket: string,
    forwarded: readonly string[],
    trusted: (address: string, index: number) => boolean,
  ): string {
    const chain = [socket, ...[...forwarded].reverse()]
    const firstBad = chain.indexOf('garbage')
    const valid = firstBad === -1 ? chain : chain.slice(0, firstBad)
    const cut = valid.findIndex((address, index) => !trusted(address, index))
    return (cut === -1 ? valid.at(-1) : valid[cut]) as string
  }

  const pool = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '203.0.113.1', '203.0.113.2', '198.51.100.1']
  const entry = fc.constantFrom(...pool, 'garbage')
  const header = (format: 'xff' | 'forwarded', entries: readonly string[]) =>
    format === 'xff' ? entries.join(', ') : entries.map((address) => `for=${address}`).join(', ')

  it('agrees with the model for trust lists', () => {
    fc.assert(
      fc.property(
        fc.subarray(pool, { minLength: 1 }),
        fc.constantFrom(...pool),
        fc.array(entry, { maxLength: 6 }),
        fc.constantFrom('xff' as const, 'forwarded' as const),
        (trustedList, socket, forwarded, format) => {
          const name = format === 'xff' ? 'x-forwarded-for' : 'forwarded'
          const request = withFieldLines(
            forwarded.length === 0 ? [] : [[name, header(format, forwarded)]],
            socket,
          )
          const expected = modelClient(socket, forwarded, (address) => trustedList.includes(address))
          expect(createClientResolver({ trustProxy: trustedList })(request).ip).toBe(expected)
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('agrees with the model for hop counts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.constantFrom(...pool),
        fc.array(entry, { maxLength: 6 }),
        fc.constantFrom('xff' as const, 'forwarded' as const),
        (hops, socket, forwarded, format) => {
          const name = format === 'xff' ? 'x-forwarded-for' : 'forwarded'
          const request = withFieldLines(
            forwarded.length === 0 ? [] : [[name, header(format, forwarded)]],
            socket,
          )
          const expected = modelClient(socket, forwarded, (_address, index) => index < hops)
          expect(createClientResolver({ trustProxy: hops })(request).ip).toBe(expected)
        },
      ),
      { numRuns: 1000 },
    )
  })
})

describe('createClientResolver across requests', () => {
  const trust: TrustProxy = ['loopback', '10.0.0.0/8']

  it('reads a single forwarded element with spaces around it, or none, like a list', () => {
    const sent = (xff: string) => ({ remoteAddress: '10.0.0.2', headers: { 'x-forwarded-for': xff } })
    expect(resolve(trust, sent('  203.0.113.9 ')).ip).toBe('203.0.113.9')
    expect(resolve(trust, sent('   ')).ip).toBe('10.0.0.2')
    expect(resolve(trust, sent('   ')).viaProxy).toBe(true)
  })

  it('falls back to Host when X-Forwarded-Host holds only empty elements', () => {
    const info = resolve(trust, { remoteAddress: '10.0.0.2', headers: { 'x-forwarded-host': ' , ' } })
    expect(info).toEqual({ ...direct('10.0.0.2'), viaProxy: true })
  })

  it('gives each request its own ClientInfo', () => {
    const resolver = createClientResolver({ trustProxy: trust })
    const sent = { remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.9' } }
    const first = resolver(web(sent))
    ;(first as { ip: string | undefined }).ip = '198.51.100.1'
    const second = resolver(web(sent))
    expect(second).not.toBe(first)
    expect(second).toEqual({ ...direct('203.0.113.9'), viaProxy: true })
  })

  it('answers every request as a fresh resolver would, whatever it resolved before', () => {
    const configurations: readonly TrustProxy[] = [false, 1, 2, ['loopback', 'private'], ['2001:db8::/32']]
    const peers = ['127.0.0.1', '10.0.0.1', '::1', '2001:db8::5', '[2001:db8::6]:443', '203.0.113.4', 'nope']
    const values = [
      ...peers,
      '203.0.113.9',
      ' 203.0.113.9',
      '10.0.0.1, 203.0.113.9',
      'for=203.0.113.9;proto=https;host=b.example',
      'https',
      'HTTP',
      'a.example',
      'A.example:8080',
      '[::1]:80',
      'bad/host',
      '',
    ]
    const request = fc.record({
      remoteAddress: fc.option(fc.constantFrom(...peers), { nil: undefined }),
      encrypted: fc.boolean(),
      fields: fc.array(fc.tuple(fc.constantFrom(...forwardingNames, 'host'), fc.constantFrom(...values)), {
        maxLength: 5,
      }),
    })
    fc.assert(
      fc.property(
        fc.constantFrom(...configurations),
        fc.constantFrom(48, 64, 128),
        fc.array(request, { minLength: 1, maxLength: 30 }),
        (trustProxy, ipv6Prefix, requests) => {
          const shared = createClientResolver({ trustProxy, ipv6Prefix })
          for (const { remoteAddress, encrypted, fields } of requests) {
            const sent = { ...withFieldLines(fields, remoteAddress), encrypted }
            expect(shared(sent)).toEqual(createClientResolver({ trustProxy, ipv6Prefix })(sent))
          }
        },
      ),
      { numRuns: 300 },
    )
  })
})
