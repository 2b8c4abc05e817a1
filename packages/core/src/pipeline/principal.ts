/**
 * The authenticated caller. Authentication guards set it; authorization reads it.
 */
export interface Principal {
  /** A stable identifier: the token's `sub`, an API key's owner, a signing key id. */
  readonly id: string
  /** What authenticated it, e.g. `user`, `api-key`, `service`. */
  readonly kind: string
  /** Granted scopes, if the credential carries any. */
  readonly scopes?: readonly string[]
  /** Further attributes (roles, tenant, plan) for authorization and rate-limit tiers. */
  readonly [attribute: string]: unknown
}
