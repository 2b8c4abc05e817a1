export type { WebhookHeaderSource } from './header-lines.js'
export { parseStripeSignature, type StripeSignature } from './stripe-signature-header.js'
export {
  type StripeWebhookFacts,
  type StripeWebhookGuardOptions,
  stripeWebhook,
} from './stripe-webhook-guard.js'
export {
  createStripeWebhookVerifier,
  type SignStripePayloadOptions,
  type StripeSignatureHeaderValue,
  type StripeVerificationOptions,
  type StripeWebhookVerifier,
  type StripeWebhookVerifierOptions,
  signStripePayload,
  type VerifiedStripeSignature,
  type VerifyStripeSignatureOptions,
  verifyStripeSignature,
} from './stripe-webhook-verifier.js'
export {
  type WebhookFacts,
  type WebhookGuardOptions,
  type WebhookPrincipal,
  webhook,
} from './webhook-guard.js'
export { WebhookInputError } from './webhook-input-error.js'
export { type WebhookRefusal, WebhookVerificationError } from './webhook-refusal.js'
export { generateWebhookSecret, type WebhookSecret } from './webhook-secret.js'
export {
  createWebhookSigner,
  type WebhookMessage,
  type WebhookSignatureHeaders,
  type WebhookSigner,
  type WebhookSignerOptions,
} from './webhook-signer.js'
export {
  createWebhookVerifier,
  type VerifiedWebhook,
  type VerifyWebhookOptions,
  verifyWebhook,
  type WebhookDelivery,
  type WebhookVerificationOptions,
  type WebhookVerifier,
  type WebhookVerifierOptions,
} from './webhook-verifier.js'
