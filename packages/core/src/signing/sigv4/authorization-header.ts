import { isHexDigest } from './hex-digest.js'

/** The credential of a SigV4 request: `accessKeyId/date/region/service/terminator`. */
export interface SigV4Credential {
  readonly accessKeyId: string
  /** `YYYYMMDD`. */
  readonly date: string
  readonly region: string
  readonly service: string
  readonly terminator: string
}

/** A parsed SigV4 `Authorization` header. */
export interface ParsedAuthorization {
  readonly credential: SigV4Credential
  /** Lower-case, sorted, unique. */
  readonly signedHeaders: readonly string[]
  /** 64 lower-case hex digits. */
  readonly signature: string
}

/** Longer values are refused before any parsing. */
export const maxAuthorizationLength = 8192
/** The most signed headers a request may list. */
export const maxSignedHeaders = 64

const accessKeyIdPattern = /^[\x21-\x2b\x2d\x2e\x30-\x7e]{1,128}$/
const scopeDate = /^\d{8}$/
const scopeElement = /^[A-Za-z0-9._~-]{1,64}$/
const lowerToken = /^[a-z0-9!#$%&'*+.^_`|~-]{1,64}$/

/**
 * Parses `accessKeyId/date/region/service/terminator`; `undefined` unless it has exactly five
 * well-formed parts (an id of printable ASCII without `/` or `,`, an 8-digit date, scope elements
 * of letters, digits, `-`, `.`, `_`, `~`).
 */
export function parseCredential(value: string): SigV4Credential | undefined {
  const parts = value.split('/')
  if (parts.length !== 5) return undefined
  const [accessKeyId = '', date = '', region = '', service = '', terminator = ''] = parts
  if (!accessKeyIdPattern.test(accessKeyId) || !scopeDate.test(date)) return undefined
  if (!scopeElement.test(region) || !scopeElement.test(service) || !scopeElement.test(terminator))
    return undefined
  return { accessKeyId, date, region, service, terminator }
}

/**
 * Parses a signed header list (`host;x-amz-date`): lower-case field names, sorted and unique as
 * the signer sent them, at most {@link maxSignedHeaders}, never `authorization`.
 */
export function parseSignedHeaders(value: string): string[] | undefined {
  const names = value.split(';')
  if (names.length > maxSignedHeaders) return undefined
  let previous = ''
  for (const name of names) {
    if (!lowerToken.test(name) || name <= previous || name === 'authorization') return undefined
    previous = name
  }
  return names
}

/** Whether a value is a SigV4 signature: 64 lower-case hex digits. */
export function isHexSignature(value: string): boolean {
  return isHexDigest(value)
}

/**
 * Parses `<algorithm> Credential=…, SignedHeaders=…, Signature=…` (the three in any order, each
 * once, spaces around commas optional). `undefined` for anything else, in linear time.
 */
export function parseSigV4Authorization(value: string, algorithm: string): ParsedAuthorization | undefined {
  if (value.length > maxAuthorizationLength || !value.startsWith(`${algorithm} `)) return undefined
  let credential: SigV4Credential | undefined
  let signedHeaders: string[] | undefined
  let signature: string | undefined
  const parts = value.slice(algorithm.length + 1).split(',')
  if (parts.length !== 3) return undefined
  for (const part of parts) {
    const item = part.trim()
    const eq = item.indexOf('=')
    const key = item.slice(0, eq)
    const content = item.slice(eq + 1)
    if (key === 'Credential' && credential === undefined) credential = parseCredential(content)
    else if (key === 'SignedHeaders' && signedHeaders === undefined)
      signedHeaders = parseSignedHeaders(content)
    else if (key === 'Signature' && signature === undefined && isHexSignature(content)) signature = content
    else return undefined
    if (credential === undefined && key === 'Credential') return undefined
    if (signedHeaders === undefined && key === 'SignedHeaders') return undefined
  }
  if (credential === undefined || signedHeaders === undefined || signature === undefined) return undefined
  return { credential, signedHeaders, signature }
}
