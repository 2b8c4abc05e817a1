import { describe, expect, it } from 'vitest'
import { parseIpNode } from './ip-address.js'
import { compileRanges } from './ip-ranges.js'
import { compileTrustProxy } from './trust-proxy.js'

const matcher = (entries: readonly string[]) => {
  const matches = compileRanges(entries, 'trustProxy')
  return (text: string) => matches(parseIpNode(text) as never)
}

describe('compileRanges', () => {
  it.each([
    [
      'loopback',
      ['127.0.0.1', '127.255.255.254', '::1', '::ffff:127.0.0.1'],
      ['128.0.0.1', '::2', '10.0.0.1'],
    ],
    [
      'private',
      ['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', 'fc00::1', 'fdff::1'],
      ['172.32.0.1', '11.0.0.1', '192.169.0.1', 'fe00::1', '127.0.0.1'],
    ],
    ['uniquelocal', ['10.0.0.1', '172.20.0.1', '192.168.0.1', 'fd12::1'], ['8.8.8.8', '::1']],
    ['linklocal', ['169.254.1.1', 'fe80::1', 'febf::1'], ['169.253.1.1', 'fec0::1']],
    ['10.0.0.0/8', ['10.0.0.0', '10.255.255.255', '::ffff:10.9.9.9'], ['11.0.0.0', '9.255.255.255']],
    ['203.0.113.7', ['203.0.113.7'], ['203.0.113.8']],
    ['203.0.113.6/31', ['203.0.113.6', '203.0.113.7'], ['203.0.113.5', '203.0.113.8']],
    ['128.0.0.0/1', ['128.0.0.1', '255.255.255.255'], ['127.255.255.255']],
    ['2001:db8::/32', ['2001:db8::1', '2001:db8:ffff::1'], ['2001:db9::1', '10.0.0.1']],
    ['2001:db8::5', ['2001:db8::5'], ['2001:db8::6']],
    ['::ffff:10.0.0.0/104', ['10.1.1.1', '::ffff:10.1.1.1'], ['11.1.1.1']],
    ['::ffff:10.0.0.1', ['10.0.0.1'], ['10.0.0.2']],
  ])('%s matches its addresses and nothing else', (entry, inside, outside) => {
    const matches = matcher([entry])
    for (const address of inside) expect(matches(address), address).toBe(true)
    for (const address of outside) expect(matches(address), address).toBe(false)
  })

  it('combines entries', () => {
    const matches = matcher(['loopback', '203.0.113.0/24', '2001:db8::/48'])
    expect(['127.0.0.1', '203.0.113.99', '2001:db8:0:1::1'].map(matches)).toEqual([true, true, true])
    expect(['10.0.0.1', '2001:db8:1::1'].map(matches)).toEqual([false, false])
  })

  it.each([
    [['10.0.0.0/33'], 'trustProxy[0]: "10.0.0.0/33" has a prefix longer than 32 bits. Use /0 to /32.'],
    [['::/129'], 'trustProxy[0]: "::/129" has a prefix longer than 128 bits. Use /0 to /128.'],
    [
      ['loopback', '10.0.0.0/'],
      `trustProxy[1]: "10.0.0.0/" is not an IP address, a CIDR range or one of the names loopback, private, linklocal, uniquelocal. Write for example '10.0.0.0/8', '203.0.113.7' or '::1'.`,
    ],
    [['localhost'], 'trustProxy[0]: "localhost" is not an IP address'],
    [['Loopback'], 'trustProxy[0]: "Loopback" is not an IP address'],
    [['10.0.0.0/08'], 'trustProxy[0]: "10.0.0.0/08" is not an IP address'],
    [['010.0.0.0/8'], 'trustProxy[0]: "010.0.0.0/8" is not an IP address'],
    [['10.0.0.1:80'], 'trustProxy[0]: "10.0.0.1:80" is not an IP address'],
    [['loopback, private'], 'trustProxy[0]: "loopback, private" is not an IP address'],
    [['fe80::1%eth0'], 'trustProxy[0]: "fe80::1%eth0" is not an IP address'],
    [[''], 'trustProxy[0]: "" is not an IP address'],
    [
      ['0.0.0.0/0'],
      `trustProxy[0]: "0.0.0.0/0" trusts every address, which lets any caller choose its own IP. List your proxies' addresses or ranges instead.`,
    ],
    [['::/0'], 'trustProxy[0]: "::/0" trusts every address'],
    [['::ffff:0.0.0.0/96'], 'trustProxy[0]: "::ffff:0.0.0.0/96" trusts every address'],
    [
      ['::ffff:10.0.0.0/90'],
      `trustProxy[0]: "::ffff:10.0.0.0/90" mixes IPv4-mapped and other IPv6 addresses. Write the IPv4 range instead, e.g. '10.0.0.0/8'.`,
    ],
    [
      ['10.0.0.1/8'],
      `trustProxy[0]: "10.0.0.1/8" has bits set past its /8 prefix. Write '10.0.0.1' for one address, or the network address for the range.`,
    ],
    [
      ['2001:db8::1/64'],
      `trustProxy[0]: "2001:db8::1/64" has bits set past its /64 prefix. Write '2001:db8::1'`,
    ],
    [
      [42],
      'trustProxy[0]: must be a string: an IP address, a CIDR range or one of loopback, private, linklocal, uniquelocal; got 42.',
    ],
    [[undefined], 'got undefined.'],
  ])('refuses %j', (entries, message) => {
    expect(() => compileRanges(entries, 'trustProxy')).toThrowError(
      expect.objectContaining({ code: 'SEC_CONFIG', message: expect.stringContaining(message) }),
    )
  })
})

describe('compileTrustProxy', () => {
  it('trusts nothing for false, undefined and an empty list', () => {
    expect(compileTrustProxy(false, 'p')).toBeUndefined()
    expect(compileTrustProxy(undefined, 'p')).toBeUndefined()
    expect(compileTrustProxy([], 'p')).toBeUndefined()
  })

  it('trusts a hop count by position, whatever the address', () => {
    const trust = compileTrustProxy(2, 'p')
    expect([0, 1, 2, 3].map((index) => trust?.(undefined, index))).toEqual([true, true, false, false])
  })

  it('trusts a list by address, and never an unknown address', () => {
    const trust = compileTrustProxy(['loopback'], 'p')
    expect(trust?.(parseIpNode('127.0.0.1'), 5)).toBe(true)
    expect(trust?.(parseIpNode('8.8.8.8'), 0)).toBe(false)
    expect(trust?.(undefined, 0)).toBe(false)
  })

  it.each([
    [true, 'p: true would let any caller choose its own IP.'],
    [0, 'p: must be false, a whole number of proxy hops (1 or more)'],
    [-1, '; got -1. Use false to trust no proxy.'],
    [1.5, '; got 1.5.'],
    [Number.NaN, '; got NaN.'],
    [Number.POSITIVE_INFINITY, '; got Infinity.'],
    ['loopback', `; got "loopback". Put it in a list: ["loopback"].`],
    [{ ranges: [] }, '; got object.'],
    [null, '; got object.'],
  ])('refuses %j', (value, message) => {
    expect(() => compileTrustProxy(value, 'p')).toThrowError(
      expect.objectContaining({ code: 'SEC_CONFIG', path: 'p', message: expect.stringContaining(message) }),
    )
  })
})
