/** A parsed `Content-Type`: the lower-case `type/subtype` and the lower-case charset, if given. */
export interface MediaType {
  readonly essence: string
  readonly charset: string | undefined
}

const token = "[!#$%&'*+.^_`|~0-9A-Za-z-]+"
const essencePattern = new RegExp(`^[\\t ]*(${token}/${token})[\\t ]*`)
// RFC 9110 section 5.6.6: `*( OWS ";" OWS [ parameter ] )`, values a token or a quoted-string.
const parameterPattern = new RegExp(
  `;[\\t ]*(?:(${token})=(?:(${token})|"((?:[\\t !#-\\[\\]-~\\x80-\\xff]|\\\\[\\t -~\\x80-\\xff])*)"))?[\\t ]*`,
  'y',
)

/**
 * Parses a `Content-Type` field value (RFC 9110 section 8.3). Returns `undefined` for anything
 * malformed, including two values joined by a comma and a repeated `charset`: a reader that
 * guesses could disagree with the one that runs next.
 */
export function parseMediaType(value: string): MediaType | undefined {
  const head = essencePattern.exec(value)
  if (head === null) return undefined
  let charset: string | undefined
  let position = head[0].length
  while (position < value.length) {
    parameterPattern.lastIndex = position
    const parameter = parameterPattern.exec(value)
    if (parameter === null) return undefined
    position = parameterPattern.lastIndex
    if (parameter[1]?.toLowerCase() !== 'charset') continue
    if (charset !== undefined) return undefined
    charset = (parameter[2] ?? parameter[3]?.replace(/\\(.)/g, '$1') ?? '').toLowerCase()
  }
  return { essence: (head[1] as string).toLowerCase(), charset }
}
