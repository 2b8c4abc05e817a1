import ipaddr from 'ipaddr.js'

/** A parsed IP address. IPv4-mapped IPv6 addresses come out as IPv4. */
export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6

const ipv6Chars = /^[0-9a-f:.]+$/i
const zonePattern = /^[0-9a-z._~-]+$/i
const portPattern = /^(?:\d{1,5}|_[0-9a-z._-]+)$/i
/** The longest text worth parsing: a bracketed IPv6 with an embedded IPv4, a zone id and a port. */
const maxLength = 96

/**
 * An IPv4 address read by {@link parseIpv4}, which admits no leading zeros, so the text already is
 * the dotted-quad form `toString()` would build: keeping it saves formatting the address again for
 * `ip` and `ipKey` on every request.
 */
class DottedQuad extends ipaddr.IPv4 {
  readonly #text: string

  constructor(octets: number[], text: string) {
    super(octets)
    this.#text = text
  }

  override toString(): string {
    return this.#text
  }
}

const DOT = 0x2e
const ZERO = 0x30

/**
 * Only the four-part decimal form without leading zeros. ipaddr.js also reads `0x7f.1`, `127.1` and
 * octal parts, which browsers and proxies disagree about; such an entry is garbage here, never an
 * address. A loop over the characters rather than a regular expression: it runs for the peer and
 * each forwarded address of every request.
 */
function parseIpv4(text: string): ipaddr.IPv4 | undefined {
  const length = text.length
  if (length < 7 || length > 15) return undefined
  const octets: number[] = []
  let value = 0
  let digits = 0
  for (let i = 0; i <= length; i++) {
    const code = i === length ? DOT : text.charCodeAt(i)
    if (code === DOT) {
      if (digits === 0 || octets.length === 4) return undefined
      octets.push(value)
      value = 0
      digits = 0
      continue
    }
    const digit = code - ZERO
    if (digit < 0 || digit > 9 || (digits === 1 && value === 0)) return undefined
    value = value * 10 + digit
    if (value > 255) return undefined
    digits++
  }
  return octets.length === 4 ? new DottedQuad(octets, text) : undefined
}

/** Parses an IPv6 address without brackets; the zone id, if allowed, is dropped. */
function parseIpv6(text: string, allowZone: boolean): ipaddr.IPv6 | undefined {
  let address = text
  const percent = text.indexOf('%')
  if (percent !== -1) {
    if (!allowZone || !zonePattern.test(text.slice(percent + 1))) return undefined
    address = text.slice(0, percent)
  }
  if (address.length > 45 || !ipv6Chars.test(address)) return undefined
  const dot = address.indexOf('.')
  if (dot !== -1 && parseIpv4(address.slice(address.lastIndexOf(':') + 1)) === undefined) return undefined
  try {
    return ipaddr.IPv6.parse(address)
  } catch {
    return undefined
  }
}

function unmapped(address: ipaddr.IPv6): IpAddress {
  return address.isIPv4MappedAddress() ? address.toIPv4Address() : address
}

/**
 * Parses a bare address: strict dotted-quad IPv4 or IPv6 (no zone, no brackets, no port). Used for
 * configuration, where anything else is a mistake. IPv4-mapped IPv6 is kept as IPv6 so that a CIDR
 * written in that form keeps its 128-bit prefix.
 */
export function parseBareIp(text: string): IpAddress | undefined {
  if (text.length > maxLength) return undefined
  return text.includes(':') ? parseIpv6(text, false) : parseIpv4(text)
}

/**
 * Parses an address as peers and proxies write it: `192.0.2.1`, `192.0.2.1:8080`, `2001:db8::1`,
 * `[2001:db8::1]`, `[2001:db8::1]:8080`, `fe80::1%eth0`. Ports (including RFC 7239 obfuscated ports)
 * and zone ids are dropped; IPv4-mapped IPv6 becomes IPv4. Anything else gives `undefined`.
 */
export function parseIpNode(text: string | undefined): IpAddress | undefined {
  if (text === undefined || text.length === 0 || text.length > maxLength) return undefined
  if (text.charCodeAt(0) === 0x5b /* [ */) {
    const close = text.indexOf(']')
    if (close === -1) return undefined
    const rest = text.slice(close + 1)
    if (rest !== '' && !(rest.charCodeAt(0) === 0x3a /* : */ && portPattern.test(rest.slice(1))))
      return undefined
    const address = parseIpv6(text.slice(1, close), true)
    return address === undefined ? undefined : unmapped(address)
  }
  const colon = text.indexOf(':')
  if (colon === -1) return parseIpv4(text)
  if (text.indexOf(':', colon + 1) === -1) {
    return portPattern.test(text.slice(colon + 1)) ? parseIpv4(text.slice(0, colon)) : undefined
  }
  const address = parseIpv6(text, true)
  return address === undefined ? undefined : unmapped(address)
}

/** The normalized text of an address: dotted-quad IPv4, or RFC 5952 IPv6 (compressed, lower-case). */
export function formatIp(address: IpAddress): string {
  return address.kind() === 'ipv4' ? address.toString() : (address as ipaddr.IPv6).toRFC5952String()
}

/**
 * The key that groups an address with its neighbours for per-client state: an IPv4 address as is,
 * an IPv6 address as its network of `prefix` bits, e.g. `2001:db8:1:2::/64`, because one IPv6
 * subscriber usually holds a whole /64 and could otherwise rotate through it.
 */
export function ipKeyOf(address: IpAddress, prefix: number): string {
  if (address.kind() === 'ipv4') return address.toString()
  const parts = (address as ipaddr.IPv6).parts
  const masked = new Array<number>(8)
  for (let i = 0; i < 8; i++) {
    const bits = prefix - i * 16
    const part = parts[i] ?? 0
    masked[i] = bits >= 16 ? part : bits <= 0 ? 0 : part & ((0xffff << (16 - bits)) & 0xffff)
  }
  return `${new ipaddr.IPv6(masked).toRFC5952String()}/${prefix}`
}
