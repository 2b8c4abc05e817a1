import { parseUnixSeconds } from './delivery-window.js'

/** The header Stripe signs events in. */
export const stripeSignatureHeader = 'stripe-signature'

/** What a `Stripe-Signature` header says. */
export interface StripeSignature {
  /** `t`: when Stripe sent this attempt, in Unix seconds. */
  readonly timestamp: number
  /** Every `v1` value (several while a secret is being rolled); other schemes, such as `v0`, skipped. */
  readonly signatures: readonly string[]
}

/**
 * Reads `Stripe-Signature: t=…,v1=…,v1=…,v0=…` from every field line. Lenient where Stripe's own
 * parser is (unknown keys and items without `=` are skipped, spaces around items and values are
 * ignored), strict on the timestamp: `undefined` when `t` is absent, is not Unix seconds, or
 * appears twice with different values.
 */
export function parseStripeSignature(lines: readonly string[]): StripeSignature | undefined {
  let timestamp: number | undefined
  const signatures: string[] = []
  for (const line of lines)
    for (const item of line.split(',')) {
      const equals = item.indexOf('=')
      if (equals < 0) continue
      const key = item.slice(0, equals).trim()
      const value = item.slice(equals + 1).trim()
      if (key === 't') {
        const seconds = parseUnixSeconds(value)
        if (seconds === undefined || (timestamp !== undefined && timestamp !== seconds)) return undefined
        timestamp = seconds
      } else if (key === 'v1' && value !== '') signatures.push(value)
    }
  return timestamp === undefined ? undefined : { timestamp, signatures }
}
