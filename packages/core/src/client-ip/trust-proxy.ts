import { configError } from '../config/index.js'
import type { IpAddress } from './ip-address.js'
import { compileRanges } from './ip-ranges.js'

/**
 * Whether the hop at `index` is a trusted proxy: index 0 is the socket peer, index 1 the address
 * it reported (the rightmost forwarded address), and so on. `address` is `undefined` when the
 * hop's address is unknown (a runtime that exposes no socket address).
 */
export type TrustPredicate = (address: IpAddress | undefined, index: number) => boolean

const expected =
  "must be false, a whole number of proxy hops (1 or more), or a list of proxy addresses and ranges such as ['loopback', '10.0.0.0/8']"

/**
 * Checks the `trustProxy` option and compiles it once. Returns `undefined` when no proxy is
 * trusted, so the resolver can skip every forwarding header.
 */
export function compileTrustProxy(value: unknown, path: string): TrustPredicate | undefined {
  if (value === undefined || value === false) return undefined
  if (value === true) {
    return configError(
      path,
      'true would let any caller choose its own IP. List the proxies instead, e.g. ["loopback"] or ["10.0.0.0/8"], or give a hop count.',
    )
  }
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 1) {
      return configError(path, `${expected}; got ${String(value)}. Use false to trust no proxy.`)
    }
    const hops = value
    return (_address, index) => index < hops
  }
  if (typeof value === 'string') {
    return configError(
      path,
      `${expected}; got ${JSON.stringify(value)}. Put it in a list: [${JSON.stringify(value)}].`,
    )
  }
  if (!Array.isArray(value)) return configError(path, `${expected}; got ${typeof value}.`)
  if (value.length === 0) return undefined
  const matches = compileRanges(value, path)
  return (address) => address !== undefined && matches(address)
}
