import {
  type ApiKeyMetadata,
  catalogProblem,
  formatBearerChallenge,
  type Outcome,
  type Principal,
} from '@sec/core'
import { apiKeyRotationGrace, type DemoIdentity, demoRealm } from '../identity/index.js'
import type { ApiKeyInput, ApiKeyParams } from '../schemas/index.js'
import { DemoProblemError } from '../service/index.js'

/** The lifetime of a new API key when the request gives none, in seconds: 90 days. */
export const defaultApiKeyLifetime = 90 * 24 * 60 * 60

/** What `GET /v1/api-keys` shows of a key: never the key, nor its hash. */
export interface ApiKeyView {
  /** The key id: the non-secret part after `sk_test_`, used in the URLs below. */
  readonly id: string
  readonly scopes: readonly string[]
  /** ISO 8601 UTC timestamps; `null` for "never" / "not yet". */
  readonly createdAt: string
  readonly expiresAt: string | null
  readonly lastUsedAt: string | null
  /** The key that replaced it in a rotation (it then works until `expiresAt`), or `null`. */
  readonly replacedBy: string | null
}

/** The answer of `POST /v1/api-keys` and of a rotation: the whole key, shown this once. */
export interface CreatedApiKey extends ApiKeyView {
  /** The key to send in `X-API-Key`. Only its hash is kept: it cannot be shown again. */
  readonly key: string
}

/** The body of `GET /v1/api-keys`. */
export interface ApiKeyList {
  /** The caller's keys that work now, oldest first. */
  readonly keys: readonly ApiKeyView[]
}

/** The handlers of `/v1/api-keys`. Each acts on the signed-in caller's own keys only. */
export interface ApiKeyHandlers {
  /** `POST /v1/api-keys`, answered with 201: a key with the validated scopes, each one the caller's token has. */
  createApiKey(outcome: Outcome): Promise<CreatedApiKey>
  /** `GET /v1/api-keys`: the caller's working keys, metadata only. */
  listApiKeys(outcome: Outcome): Promise<ApiKeyList>
  /**
   * `POST /v1/api-keys/:id/rotate`, answered with 201: a new key with the same scopes and lifetime;
   * the old one keeps working for a day. Another user's key, or one already rotated or revoked, is
   * a thrown 404.
   */
  rotateApiKey(outcome: Outcome): Promise<CreatedApiKey>
  /** `DELETE /v1/api-keys/:id`, answered with 204: revokes the key now. Another user's key is a thrown 404. */
  deleteApiKey(outcome: Outcome): Promise<void>
}

function time(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString()
}

function viewOf(metadata: ApiKeyMetadata): ApiKeyView {
  return {
    id: metadata.id,
    scopes: metadata.scopes,
    createdAt: new Date(metadata.createdAt).toISOString(),
    expiresAt: time(metadata.expiresAt),
    lastUsedAt: time(metadata.lastUsedAt),
    replacedBy: metadata.replacedBy ?? null,
  }
}

function ownerOf(outcome: Outcome): Principal {
  // The signed-in guard ran before: only a user's verified access token gets here.
  const principal = outcome.principal
  if (principal === undefined) throw new DemoProblemError(catalogProblem('unauthorized'))
  return principal
}

const keyNotFound = () => new DemoProblemError(catalogProblem('not-found'))

/** The handlers of `/v1/api-keys`, over the demo's API key manager. */
export function createApiKeyHandlers(identity: DemoIdentity): ApiKeyHandlers {
  const keys = identity.apiKeys
  const keyId = (outcome: Outcome) => (outcome.input.params as ApiKeyParams).id
  return {
    async createApiKey(outcome) {
      const owner = ownerOf(outcome)
      const input = outcome.body as ApiKeyInput
      // Least privilege: a key never grants what the token that created it does not.
      const missing = input.scopes.filter((scope) => !owner.scopes?.includes(scope))
      if (missing.length > 0)
        throw new DemoProblemError(
          catalogProblem('insufficient-scope', {
            detail: 'An API key cannot grant a scope the access token that creates it lacks.',
          }),
          {
            'www-authenticate': formatBearerChallenge(demoRealm, {
              error: 'insufficient_scope',
              scopes: [...new Set(missing)],
            }),
          },
        )
      const issued = await keys.issue({
        owner: owner.id,
        scopes: input.scopes,
        expiresIn: (input.expiresIn ?? defaultApiKeyLifetime) * 1000,
      })
      return { key: issued.key, ...viewOf(issued.metadata) }
    },

    async listApiKeys(outcome) {
      const working = await keys.list(ownerOf(outcome).id, { active: true })
      return { keys: working.map(viewOf) }
    },

    async rotateApiKey(outcome) {
      const rotated = await keys.rotate(keyId(outcome), {
        owner: ownerOf(outcome).id,
        gracePeriod: apiKeyRotationGrace,
      })
      if (rotated === undefined) throw keyNotFound()
      return { key: rotated.key, ...viewOf(rotated.metadata) }
    },

    async deleteApiKey(outcome) {
      const owner = ownerOf(outcome).id
      const id = keyId(outcome)
      const current = await keys.get(id, { owner })
      // A key revoked before is gone for its owner too: deleting it twice is a 404, not a 204.
      if (current === undefined || current.revokedAt !== undefined) throw keyNotFound()
      await keys.revoke(id, { owner })
    },
  }
}
