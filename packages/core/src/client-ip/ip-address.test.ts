import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatIp, ipKeyOf, parseBareIp, parseIpNode } from './ip-address.js'

const addressLike = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF:.[]%_x'), maxLength: 50 })

const node = (text: string | undefined) => {
  const address = parseIpNode(text)
  return address === undefined ? undefined : formatIp(address)
}

describe('parseIpNode', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['192.0.2.1:8080', '192.0.2.1'],
    ['192.0.2.1:_gazonk', '192.0.2.1'],
    ['2001:DB8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['::1', '::1'],
    ['::', '::'],
    ['[2001:db8::17]', '2001:db8::17'],
    ['[2001:db8:cafe::17]:4711', '2001:db8:cafe::17'],
    ['[2001:db8::17]:_hidden', '2001:db8::17'],
    ['fe80::1%eth0', 'fe80::1'],
    ['[fe80::1%25en0]:443', 'fe80::1'],
    ['::ffff:192.0.2.128', '192.0.2.128'],
    ['::FFFF:c000:0280', '192.0.2.128'],
    ['[::ffff:127.0.0.1]:80', '127.0.0.1'],
    ['2001:db8::192.0.2.1', '2001:db8::c000:201'],
  ])('reads %j as %j', (text, expected) => {
    expect(node(text)).toBe(expected)
  })

  it.each([
    undefined,
    '',
    'unknown',
    '_hidden',
    '01.2.3.4',
    '1.2.3',
    '1.2.3.4.5',
    '256.1.1.1',
    '0x7f.0.0.1',
    '127.1',
    '2130706433',
    ' 1.2.3.4',
    '1.2.3.4 ',
    '1.2.3.4:',
    '1.2.3.4:123456',
    '1.2.3.4:80:80',
    '[1.2.3.4]',
    '[::1',
    '[::1]x',
    '[::1]:',
    '::1]',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '12345::1',
    '::ffff:0x7f.0.0.1',
    '::ffff:01.2.3.4',
    'fe80::1%',
    'fe80::1%eth 0',
    'fe80::1%eth0%1',
    'g::1',
    '[::1]/64',
    `${'1:'.repeat(60)}1`,
  ])('refuses %j', (text) => {
    expect(parseIpNode(text)).toBeUndefined()
  })

  it('never throws, and what it accepts formats to an address it reads back unchanged', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), addressLike), (text) => {
        const address = parseIpNode(text)
        if (address !== undefined) expect(node(formatIp(address))).toBe(formatIp(address))
      }),
      { numRuns: 2000 },
    )
  })

  it('reads every IPv4 and IPv6 address back as its canonical form', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (text) => {
        const address = parseIpNode(text)
        expect(address).toBeDefined()
        expect(node(formatIp(address as never))).toBe(formatIp(address as never))
      }),
    )
  })
})

describe('parseBareIp', () => {
  it('refuses ports, brackets and zone ids, and keeps IPv4-mapped addresses as IPv6', () => {
    expect(parseBareIp('10.0.0.1:80')).toBeUndefined()
    expect(parseBareIp('[::1]')).toBeUndefined()
    expect(parseBareIp('fe80::1%eth0')).toBeUndefined()
    expect(parseBareIp('::ffff:10.0.0.1')?.kind()).toBe('ipv6')
    expect(parseBareIp('10.0.0.1')?.kind()).toBe('ipv4')
  })
})

describe('ipKeyOf', () => {
  const key = (text: string, prefix: number) => ipKeyOf(parseIpNode(text) as never, prefix)

  it('keeps IPv4 addresses whole', () => {
    expect(key('203.0.113.9', 64)).toBe('203.0.113.9')
    expect(key('::ffff:203.0.113.9', 64)).toBe('203.0.113.9')
  })

  it.each([
    ['2001:db8:1:2:3:4:5:6', 64, '2001:db8:1:2::/64'],
    ['2001:db8:1:2:3:4:5:6', 48, '2001:db8:1::/48'],
    ['2001:db8:1:2:3:4:5:6', 56, '2001:db8:1::/56'],
    ['2001:db8:1:2ff:3:4:5:6', 56, '2001:db8:1:200::/56'],
    ['2001:db8:1:2:3:4:5:6', 128, '2001:db8:1:2:3:4:5:6/128'],
    ['2001:db8:1:2:3:4:5:6', 1, '::/1'],
    ['ffff::1', 1, '8000::/1'],
    ['2001:db8:1:2:3:4:5:ffff', 127, '2001:db8:1:2:3:4:5:fffe/127'],
  ])('keys %s with a /%i prefix as %s', (text, prefix, expected) => {
    expect(key(text, prefix)).toBe(expected)
  })

  it('gives every address of one /64 the same key', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 4, maxLength: 4 }), (low) => {
        const text = `2001:db8:aa:bb:${low.map((part) => part.toString(16)).join(':')}`
        expect(key(text, 64)).toBe('2001:db8:aa:bb::/64')
      }),
    )
  })
})

describe('parseBareIp on IPv4', () => {
  const octet = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)'
  const dottedQuad = new RegExp(`^${octet}\\.${octet}\\.${octet}\\.${octet}$`)
  const ipv4Like = fc.oneof(
    fc.string({ unit: fc.constantFrom(...'0123456789.'), maxLength: 20 }),
    fc
      .tuple(fc.nat(300), fc.nat(300), fc.nat(300), fc.nat(300), fc.constantFrom('', '0', '.', '.1', 'a'))
      .map(([a, b, c, d, tail]) => `${a}.${b}.${c}.${d}${tail}`),
  )

  it('reads exactly the dotted quads without leading zeros', () => {
    fc.assert(
      fc.property(ipv4Like, (text) => {
        const parsed = parseBareIp(text)
        expect(parsed === undefined ? undefined : formatIp(parsed)).toBe(
          dottedQuad.test(text) ? text : undefined,
        )
      }),
      { numRuns: 5000 },
    )
  })

  it.each(['0.0.0.0', '255.255.255.255', '10.0.0.1'])('reads %s', (text) => {
    expect(formatIp(parseBareIp(text) as NonNullable<ReturnType<typeof parseBareIp>>)).toBe(text)
  })

  it.each([
    '1.2.3',
    '1.2.3.4.5',
    '01.2.3.4',
    '1.2.3.256',
    '1..2.3',
    '.1.2.3',
    '1.2.3.4.',
    '1.2.3.-4',
    '1.2.3.4 ',
  ])('refuses %s', (text) => {
    expect(parseBareIp(text)).toBeUndefined()
  })
})
