import type { ComponentIdentifier } from './component-identifier.js'
import { componentValues } from './component-values.js'
import type { MessageParts } from './http-message.js'
import { SignatureBaseError } from './message-signature-errors.js'
import type { StructuredFieldType } from './structured-fields.js'

/**
 * The signature base of RFC 9421 §2.5: one `"identifier": value` line per covered component, then
 * the `"@signature-params"` line, joined with `\n` and no final newline. Throws
 * {@link SignatureBaseError} for a component listed twice, absent from the message, or whose value
 * holds a line break (which could forge a line).
 */
export function createSignatureBase(
  components: readonly ComponentIdentifier[],
  signatureParams: string,
  message: MessageParts,
  request: MessageParts | undefined,
  structuredFields: ReadonlyMap<string, StructuredFieldType>,
): string {
  const seen = new Set<string>()
  let base = ''
  for (const id of components) {
    if (seen.has(id.canonical))
      throw new SignatureBaseError('unsupported', `${id.serialized} is listed twice.`)
    seen.add(id.canonical)
    for (const value of componentValues(id, message, request, structuredFields)) {
      if (value.includes('\n') || value.includes('\r'))
        throw new SignatureBaseError('absent', `The value of ${id.serialized} holds a line break.`)
      base += `${id.serialized}: ${value}\n`
    }
  }
  return `${base}"@signature-params": ${signatureParams}`
}

/**
 * The bytes that are signed: each character as one byte, since header values reach JavaScript as
 * Latin-1 strings of their bytes (`Headers`, Node). Throws {@link SignatureBaseError} for a
 * character above U+00FF, which no HTTP message carries.
 */
export function signatureBaseBytes(base: string): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(base.length)
  for (let i = 0; i < base.length; i++) {
    const c = base.charCodeAt(i)
    if (c > 0xff)
      throw new SignatureBaseError('unsupported', 'The signature base holds a character above U+00FF.')
    bytes[i] = c
  }
  return bytes
}
