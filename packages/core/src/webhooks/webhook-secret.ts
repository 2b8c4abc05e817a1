import { configError } from '../config/index.js'
import { cryptoRandom, type RandomSource } from '../pipeline/index.js'
import { base64Encode } from './hmac-sha256.js'

/**
 * A Standard Webhooks signing secret: `whsec_` followed by the key in base64, as senders show it,
 * or the key bytes themselves.
 */
export type WebhookSecret = string | Uint8Array

/** The prefix of a serialized signing secret. */
export const webhookSecretPrefix = 'whsec_'

/** The shortest key accepted, in bytes: the specification asks for at least 192 bits. */
export const minWebhookSecretBytes = 24

/** The longest key {@link generateWebhookSecret} makes, in bytes (512 bits, the specification's maximum). */
export const maxWebhookSecretBytes = 64

const canonicalBase64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

function decodeBase64(text: string): Uint8Array | undefined {
  if (text === '' || !canonicalBase64.test(text)) return undefined
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}

/**
 * The HMAC key of a {@link WebhookSecret}, or a `SecConfigError` at `path`. Messages never quote
 * the secret: configuration errors end up in logs.
 */
export function webhookSecretKey(path: string, secret: unknown): Uint8Array<ArrayBuffer> {
  let key: Uint8Array | undefined
  if (secret instanceof Uint8Array) key = secret
  else if (typeof secret === 'string') {
    // Without the prefix, a hex or plain-text secret would silently decode as base64 to another key.
    if (!secret.startsWith(webhookSecretPrefix))
      configError(
        path,
        `must start with '${webhookSecretPrefix}' followed by the key in base64, as the sender shows it; pass the key bytes as a Uint8Array instead if you have them raw.`,
      )
    key = decodeBase64(secret.slice(webhookSecretPrefix.length))
    if (key === undefined)
      configError(
        path,
        `must be '${webhookSecretPrefix}' followed by padded standard base64 (A-Z, a-z, 0-9, +, /, =). Check that the value was copied whole, without spaces or newlines.`,
      )
  } else configError(path, `must be a '${webhookSecretPrefix}…' string or the key bytes as a Uint8Array.`)
  if (key.byteLength < minWebhookSecretBytes)
    configError(
      path,
      `is a ${key.byteLength}-byte key; Standard Webhooks keys have at least ${minWebhookSecretBytes} bytes. Generate one with generateWebhookSecret().`,
    )
  return new Uint8Array(key)
}

/**
 * Generates a Standard Webhooks signing secret: `whsec_` and `size` random bytes in base64. Give
 * it to the receiver once, over a secure channel, and keep it in a secret store.
 *
 * @param random - The random source. Default: Web Crypto's `getRandomValues`.
 * @param size - The key length in bytes, 24 to 64. Default: `32` (256 bits, SHA-256's own size).
 *
 * @example
 * const secret = generateWebhookSecret() // 'whsec_…' (48 characters of base64)
 */
export function generateWebhookSecret(random: RandomSource = cryptoRandom, size = 32): string {
  if (!Number.isInteger(size) || size < minWebhookSecretBytes || size > maxWebhookSecretBytes)
    configError(
      'generateWebhookSecret.size',
      `must be a whole number of bytes from ${minWebhookSecretBytes} to ${maxWebhookSecretBytes}; got ${String(size)}.`,
    )
  return webhookSecretPrefix + base64Encode(random(new Uint8Array(size)))
}
