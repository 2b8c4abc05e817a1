import {
  type ApiKeyStore,
  type ApiKeys,
  createApiKeyHasher,
  createApiKeys,
  memoryApiKeyStore,
  parseApiKey,
} from '@sec/core'
import { conformanceApiKeyGrants, conformanceApiKeys } from './conformance-credentials.js'

/** When the conformance keys were issued (2026-01-01), ms since the epoch. */
const issuedAt = Date.UTC(2026, 0, 1)

/**
 * The API key manager of a `live` deployment whose store holds every conformance key, hashed as
 * `createApiKeys` hashes them (SHA-256, no pepper). Hashing is asynchronous, so the store waits
 * for it before its first lookup.
 */
export function createConformanceApiKeys(): ApiKeys {
  const store = memoryApiKeyStore()
  const hasher = createApiKeyHasher()
  const seeded = Promise.all(
    Object.entries(conformanceApiKeys).map(async ([name, key]) => {
      const parsed = parseApiKey(key)
      if (parsed === undefined) throw new Error(`The conformance API key ${name} is not well-formed.`)
      const grant = conformanceApiKeyGrants[name as keyof typeof conformanceApiKeys]
      await store.create({
        id: parsed.keyId,
        owner: grant.owner,
        kind: parsed.kind,
        environment: parsed.environment,
        scopes: grant.scopes,
        name,
        createdAt: issuedAt,
        expiresAt: undefined,
        revokedAt: undefined,
        lastUsedAt: undefined,
        replacedBy: undefined,
        hash: await hasher.hash(key),
      })
    }),
  )
  const ready: ApiKeyStore = {
    ...store,
    async findById(id) {
      await seeded
      return store.findById(id)
    },
  }
  return createApiKeys({ store: ready, environment: 'live' })
}
