import type { GuardContext } from '../../pipeline/index.js'

/**
 * What a `rateLimit` guard counts requests by.
 *
 * - `'ip'`: the client's address as resolved through `trustProxy`; IPv6 clients by network
 *   (`ipv6Prefix` bits, /64 by default), so one host cannot dodge the limit by rotating the
 *   addresses of its own network. Key `ip:<ipKey>`.
 * - `'user'`: the authenticated principal's `id` (key `user:<id>`); anonymous requests fall back to
 *   the client IP. Run it after the authentication guard.
 * - `'api-key'`: the principal's `id` when an API-key guard authenticated the request
 *   (`principal.kind === 'api-key'`, key `key-id:<hash>`), else the raw key from the `apiKeyHeader`
 *   request header (key `key:<hash>`), else the client IP. A key is never stored or emitted as
 *   sent: `<hash>` is the first 16 hex digits of the SHA-256 of the UTF-8 value.
 * - a function of the request: its string, under `custom:`; `undefined` or `''` falls back to the
 *   client IP. Return an identifier, not a secret: it is stored and emitted as returned.
 *
 * A user id or custom key longer than 256 characters, or holding a lone surrogate, becomes
 * `user#<hash>` or `custom#<hash>`: limiters refuse such keys, and a request must not fail for them.
 */
export type RateLimitKey = 'ip' | 'user' | 'api-key' | ((ctx: GuardContext) => string | undefined)

/** Derives the key of a request; a promise only when the key must be hashed. */
export type KeyResolver = (ctx: GuardContext) => string | Promise<string>

/**
 * Values longer than this (in UTF-16 code units) are hashed before they reach a limiter, so a
 * 10 KB user id costs a store no more than a short one and is never refused as a key.
 */
export const maxKeyValueLength = 256

const encoder = new TextEncoder()
const hexByte = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))

type MaybeWellFormed = string & { isWellFormed?: () => boolean }

function isWellFormed(value: string): boolean {
  return (value as MaybeWellFormed).isWellFormed?.() !== false
}

/**
 * The bytes hashed for `value`: its UTF-8, or for a string with a lone surrogate (which UTF-8
 * cannot encode; `TextEncoder` would turn each into U+FFFD and merge distinct values) the byte 0xFF,
 * which no UTF-8 contains, followed by the UTF-8 of its JSON form, which escapes lone surrogates.
 */
function bytesOf(value: string): Uint8Array<ArrayBuffer> {
  if (isWellFormed(value)) return encoder.encode(value)
  const json = encoder.encode(JSON.stringify(value))
  const bytes = new Uint8Array(json.length + 1)
  bytes[0] = 0xff
  bytes.set(json, 1)
  return bytes
}

/**
 * The first 16 hex digits (64 bits) of the SHA-256 of `value` encoded as UTF-8; a string with a
 * lone surrogate is first encoded losslessly, as {@link bytesOf} says.
 */
export async function sha256Prefix(value: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytesOf(value)))
  let hex = ''
  for (let i = 0; i < 8; i++) hex += hexByte[digest[i] as number]
  return hex
}

async function hashed(namespace: string, value: string): Promise<string> {
  return namespace + (await sha256Prefix(value))
}

/**
 * `kind:value`; or `kind#<hash>` for a value past {@link maxKeyValueLength} or with a lone
 * surrogate, which limiters refuse as keys. The separator differs so that no short value, whatever
 * it spells, can name the bucket of a hashed one.
 */
function keyOf(kind: string, value: string): string | Promise<string> {
  return value.length > maxKeyValueLength || !isWellFormed(value)
    ? hashed(`${kind}#`, value)
    : `${kind}:${value}`
}

function ipKeyOf(ctx: GuardContext): string {
  // Clients whose address is unknown share one bucket: a misconfigured deployment shows up as
  // throttling instead of silently losing its limit.
  return `ip:${ctx.client.ipKey ?? 'unknown'}`
}

function byUser(ctx: GuardContext): string | Promise<string> {
  const id = ctx.principal?.id
  return typeof id === 'string' && id !== '' ? keyOf('user', id) : ipKeyOf(ctx)
}

function byApiKey(header: string): KeyResolver {
  return (ctx) => {
    const principal = ctx.principal
    if (principal !== undefined && principal.kind === 'api-key' && principal.id !== '')
      return hashed('key-id:', principal.id)
    const raw = ctx.request.headers.get(header)
    return raw === null || raw === '' ? ipKeyOf(ctx) : hashed('key:', raw)
  }
}

function byFunction(derive: (ctx: GuardContext) => string | undefined): KeyResolver {
  return (ctx) => {
    const value: unknown = derive(ctx)
    if (value === undefined || value === '') return ipKeyOf(ctx)
    if (typeof value !== 'string')
      throw new TypeError(
        `rateLimit: the by function returned a ${typeof value}; expected a string or undefined.`,
      )
    return keyOf('custom', value)
  }
}

/** Turns the `by` option into the function that keys each request. */
export function createKeyResolver(by: RateLimitKey, apiKeyHeader: string): KeyResolver {
  if (typeof by === 'function') return byFunction(by)
  if (by === 'user') return byUser
  if (by === 'api-key') return byApiKey(apiKeyHeader)
  return ipKeyOf
}
