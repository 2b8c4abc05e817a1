import { SecError } from '../errors/index.js'

/**
 * Thrown when code calls a signer or verifier with input it cannot use: an id a receiver would
 * refuse, a timestamp that is not Unix seconds, a payload that is not the raw body. A programming
 * error, not a refused delivery.
 */
export class WebhookInputError extends SecError {
  constructor(message: string) {
    super('SEC_WEBHOOK_INPUT', message)
  }
}

/** Checks that a payload is the raw body: a parsed object has lost the bytes that were signed. */
export function assertPayload(payload: unknown): asserts payload is string | Uint8Array {
  if (typeof payload !== 'string' && !(payload instanceof Uint8Array))
    throw new WebhookInputError(
      'The payload must be the raw body as a string or a Uint8Array, exactly as received: parsing and re-serializing JSON changes the bytes that were signed.',
    )
}
