import type ipaddr from 'ipaddr.js'
import { configError } from '../config/index.js'
import { formatIp, type IpAddress, parseBareIp } from './ip-address.js'

/** Tells whether an address belongs to a set of ranges. */
export type AddressMatcher = (address: IpAddress) => boolean

/** The names a trust list may use, with their ranges (Express's `trust proxy` names, plus `private`). */
const namedRanges: Readonly<Record<string, readonly string[]>> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  /** Express's name for the private ranges, kept so a setting can move over unchanged. */
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
}

const rangeNames = Object.keys(namedRanges).join(', ')
const prefixPattern = /^(?:0|[1-9]\d{0,2})$/

interface Ranges {
  /** IPv4 networks and masks as unsigned 32-bit numbers, compared with one AND each. */
  readonly v4Networks: number[]
  readonly v4Masks: number[]
  readonly v6: [ipaddr.IPv6, number][]
}

function ipv4Number(address: ipaddr.IPv4): number {
  const [a = 0, b = 0, c = 0, d = 0] = address.octets
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0
}

function ipv4Mask(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0
}

function ipv6HasHostBits(address: ipaddr.IPv6, bits: number): boolean {
  for (let i = 0; i < 8; i++) {
    const kept = bits - i * 16
    if (kept >= 16) continue
    const mask = kept <= 0 ? 0 : (0xffff << (16 - kept)) & 0xffff
    if (((address.parts[i] ?? 0) & ~mask & 0xffff) !== 0) return true
  }
  return false
}

function addRange(ranges: Ranges, entry: string, path: string): void {
  const slash = entry.indexOf('/')
  const addressText = slash === -1 ? entry : entry.slice(0, slash)
  const prefixText = slash === -1 ? undefined : entry.slice(slash + 1)
  let address = parseBareIp(addressText)
  if (address === undefined || (prefixText !== undefined && !prefixPattern.test(prefixText))) {
    configError(
      path,
      `${JSON.stringify(entry)} is not an IP address, a CIDR range or one of the names ${rangeNames}. Write for example '10.0.0.0/8', '203.0.113.7' or '::1'.`,
    )
  }
  const width = address.kind() === 'ipv4' ? 32 : 128
  let bits = prefixText === undefined ? width : Number(prefixText)
  if (bits > width) {
    configError(path, `${JSON.stringify(entry)} has a prefix longer than ${width} bits. Use /0 to /${width}.`)
  }
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) {
    if (bits < 96) {
      configError(
        path,
        `${JSON.stringify(entry)} mixes IPv4-mapped and other IPv6 addresses. Write the IPv4 range instead, e.g. '10.0.0.0/8'.`,
      )
    }
    address = (address as ipaddr.IPv6).toIPv4Address()
    bits -= 96
  }
  if (bits === 0) {
    configError(
      path,
      `${JSON.stringify(entry)} trusts every address, which lets any caller choose its own IP. List your proxies' addresses or ranges instead.`,
    )
  }
  if (address.kind() === 'ipv4') {
    const mask = ipv4Mask(bits)
    const network = ipv4Number(address as ipaddr.IPv4)
    if ((network & mask) >>> 0 !== network) {
      configError(
        path,
        `${JSON.stringify(entry)} has bits set past its /${bits} prefix. Write '${formatIp(address)}' for one address, or the network address for the range.`,
      )
    }
    ranges.v4Networks.push(network)
    ranges.v4Masks.push(mask)
    return
  }
  if (ipv6HasHostBits(address as ipaddr.IPv6, bits)) {
    configError(
      path,
      `${JSON.stringify(entry)} has bits set past its /${bits} prefix. Write '${formatIp(address)}' for one address, or the network address for the range.`,
    )
  }
  ranges.v6.push([address as ipaddr.IPv6, bits])
}

/**
 * Compiles a list of addresses, CIDR ranges and range names into one matcher, once. A bad entry
 * throws a `SecConfigError` at `path[i]`.
 */
export function compileRanges(entries: readonly unknown[], path: string): AddressMatcher {
  const ranges: Ranges = { v4Networks: [], v4Masks: [], v6: [] }
  entries.forEach((entry, i) => {
    const at = `${path}[${i}]`
    if (typeof entry !== 'string') {
      configError(
        at,
        `must be a string: an IP address, a CIDR range or one of ${rangeNames}; got ${JSON.stringify(entry) ?? String(entry)}.`,
      )
    }
    const named = Object.hasOwn(namedRanges, entry) ? namedRanges[entry] : undefined
    if (named !== undefined) for (const range of named) addRange(ranges, range, at)
    else addRange(ranges, entry, at)
  })
  const { v4Networks, v4Masks, v6 } = ranges
  return (address) => {
    if (address.kind() === 'ipv4') {
      const value = ipv4Number(address as ipaddr.IPv4)
      for (let i = 0; i < v4Networks.length; i++) {
        if ((value & (v4Masks[i] as number)) >>> 0 === v4Networks[i]) return true
      }
      return false
    }
    for (const range of v6) if (address.match(range)) return true
    return false
  }
}
