/** The headers of a Standard Webhooks delivery, lower-case. */
export const webhookIdHeader = 'webhook-id'
export const webhookTimestampHeader = 'webhook-timestamp'
export const webhookSignatureHeader = 'webhook-signature'

/**
 * A webhook id: 1 to 256 visible ASCII characters other than `.`. The specification forbids the
 * dot because the signed text is `id.timestamp.payload`: with a dot in the id, the same bytes could
 * be read with another id, timestamp and payload.
 */
const idPattern = /^[\x21-\x2d\x2f-\x7e]{1,256}$/

/** Whether a text is a webhook id this module signs and accepts. */
export function isWebhookId(text: string): boolean {
  return idPattern.test(text)
}

// A repeated header arrives joined with ", " (Headers.get, proxies): the comma then trails the
// entry before it, and is dropped rather than turning a valid signature into an unreadable one.
const signatureEntry = /^([A-Za-z0-9]+),([A-Za-z0-9+/]+={0,2}),?$/
const entrySeparator = /[ \t]+/

/**
 * The `v1` signatures of `webhook-signature` lines (space-separated `version,base64` entries).
 * Entries of other versions (`v1a`, later ones) are skipped. `undefined` when no entry is readable.
 */
export function v1Signatures(lines: readonly string[]): readonly string[] | undefined {
  const found: string[] = []
  let readable = false
  for (const line of lines)
    for (const entry of line.split(entrySeparator)) {
      const match = signatureEntry.exec(entry)
      if (match === null) continue
      readable = true
      if (match[1] === 'v1' && match[2] !== undefined) found.push(match[2])
    }
  return readable ? found : undefined
}
