/** Everything the canonical request is made of, already in canonical form except the header values. */
export interface CanonicalParts {
  /** The method, as sent (upper-case). */
  readonly method: string
  /** The canonical URI (see `canonicalPath`). */
  readonly path: string
  /** The canonical query string (see `canonicalQuery`). */
  readonly query: string
  /** The signed header names, lower-case, sorted, unique. */
  readonly signedHeaders: readonly string[]
  /**
   * `signedHeaders` joined with `;`, when the caller has it already (a verifier reads it from the
   * `Authorization` header). Default: joined here.
   */
  readonly signedHeaderList?: string | undefined
  /**
   * `name:` for each of `signedHeaders`, when the caller has them already (a verifier keeps them
   * with the signed header list it parsed). Default: made here.
   */
  readonly headerLabels?: readonly string[] | undefined
  /**
   * The values of each signed header (`headerValues[i]` of `signedHeaders[i]`): its field lines in
   * the order sent, or a single line already in canonical form (a verifier passes the date, nonce
   * and content hash it has checked this way, sparing their trimming).
   */
  readonly headerValues: readonly (readonly string[] | string)[]
  /** Hex SHA-256 of the body, or `UNSIGNED-PAYLOAD`. */
  readonly payloadHash: string
}

const whitespaceRun = /\s+/g
/** Whitespace that trimming or folding would change: at either end, two in a row, or other than a space. */
const foldable = /^\s|\s$|\s\s|[^\S ]/

/**
 * Whether `value` is printable ASCII with single spaces between words, the form nearly every
 * header value has: then trimming and folding leave it as it is. A loop over the character codes
 * answers this faster than {@link foldable} does.
 */
function isFoldedAscii(value: string): boolean {
  let previous = 0x20
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c === 0x20 ? previous === 0x20 : c < 0x21 || c > 0x7e) return false
    previous = c
  }
  return previous !== 0x20 || value.length === 0
}

/** A header value as SigV4 signs it: trimmed, and each run of whitespace folded to one space. */
export function canonicalHeaderValue(value: string): string {
  return isFoldedAscii(value) || !foldable.test(value) ? value : value.trim().replace(whitespaceRun, ' ')
}

/**
 * The SigV4 canonical request: method, canonical URI, canonical query, one `name:value` line per
 * signed header (several field lines of one name joined with `,` in order), a blank line, the
 * signed header list joined with `;`, and the payload hash.
 */
export function canonicalRequest(parts: CanonicalParts): string {
  const { signedHeaders, headerValues, headerLabels } = parts
  let out = `${parts.method}\n${parts.path}\n${parts.query}\n`
  for (let index = 0; index < signedHeaders.length; index++) {
    const values = headerValues[index] ?? []
    out += headerLabels === undefined ? `${signedHeaders[index] as string}:` : headerLabels[index]
    if (typeof values === 'string') out += values
    else
      for (let i = 0; i < values.length; i++)
        out +=
          i === 0
            ? canonicalHeaderValue(values[i] as string)
            : `,${canonicalHeaderValue(values[i] as string)}`
    out += '\n'
  }
  return `${out}\n${parts.signedHeaderList ?? signedHeaders.join(';')}\n${parts.payloadHash}`
}

/** The credential scope: `date/region/service/terminator`. */
export function credentialScope(date: string, region: string, service: string, terminator: string): string {
  return `${date}/${region}/${service}/${terminator}`
}

/** The string to sign: algorithm, request time, credential scope and the hex SHA-256 of the canonical request. */
export function stringToSign(
  algorithm: string,
  amzDate: string,
  scope: string,
  canonicalRequestHash: string,
): string {
  return `${algorithm}\n${amzDate}\n${scope}\n${canonicalRequestHash}`
}
