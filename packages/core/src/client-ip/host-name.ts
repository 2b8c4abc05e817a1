import type ipaddr from 'ipaddr.js'
import { parseBareIp } from './ip-address.js'

/**
 * Letters, digits, `-` and `_` in dot-separated labels of 1 to 63 characters, with an optional
 * port. Checked before lower-casing and without the `u` flag, so that no non-ASCII character (the
 * Kelvin sign lower-cases to `k`) can turn into an ASCII host.
 */
const namePattern = /^[a-z0-9_-]{1,63}(?:\.[a-z0-9_-]{1,63})*$/i
const numericLabel = /(?:^|\.)(?:\d+|0x[0-9a-f]*)$/i
const portPattern = /^\d{1,5}$/

function normalizePort(port: string | undefined): string | undefined {
  if (port === undefined) return ''
  if (!portPattern.test(port)) return undefined
  const value = Number(port)
  return value > 65535 ? undefined : `:${value}`
}

/**
 * Validates and normalizes a host as a client sends it in `Host`: a DNS name, an IPv4 address or
 * a bracketed IPv6 address, each with an optional port. Returns it lower-cased (IPv6 in RFC 5952
 * form, the port without leading zeros), or `undefined` when it is anything else: empty labels
 * (including a trailing dot), `/`, `@`, `\`, whitespace, control or non-ASCII characters, a zone id.
 * A name whose last label is numeric must be a plain IPv4 address, as URL parsers require.
 */
export function normalizeHost(value: string): string | undefined {
  if (value.length === 0 || value.length > 261) return undefined
  if (value.charCodeAt(0) === 0x5b /* [ */) {
    const close = value.indexOf(']')
    if (close === -1) return undefined
    const rest = value.slice(close + 1)
    if (rest !== '' && rest.charCodeAt(0) !== 0x3a /* : */) return undefined
    const port = normalizePort(rest === '' ? undefined : rest.slice(1))
    const address = parseBareIp(value.slice(1, close))
    if (port === undefined || address === undefined || address.kind() !== 'ipv6') return undefined
    return `[${(address as ipaddr.IPv6).toRFC5952String()}]${port}`
  }
  const colon = value.indexOf(':')
  const name = colon === -1 ? value : value.slice(0, colon)
  const port = normalizePort(colon === -1 ? undefined : value.slice(colon + 1))
  if (port === undefined || name.length > 253 || !namePattern.test(name)) return undefined
  if (numericLabel.test(name) && parseBareIp(name) === undefined) return undefined
  return name.toLowerCase() + port
}

/** The host without its port: `example.com:8443` gives `example.com`, `[::1]:8080` gives `[::1]`. */
export function hostName(host: string): string {
  if (host.charCodeAt(0) === 0x5b /* [ */) return host.slice(0, host.indexOf(']') + 1)
  const colon = host.indexOf(':')
  return colon === -1 ? host : host.slice(0, colon)
}
