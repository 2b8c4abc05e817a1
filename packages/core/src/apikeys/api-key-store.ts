import type { ApiKeyEnvironment, ApiKeyKind } from './key-format.js'

/** What is known about a key, without its hash: safe to list and to return from an API. */
export interface ApiKeyMetadata {
  /** The key id (12 base62 characters), the part between `sk_live_` and the secret. Not secret. */
  readonly id: string
  /** Who the key acts for: becomes the principal's `id`. */
  readonly owner: string
  readonly kind: ApiKeyKind
  readonly environment: ApiKeyEnvironment
  /** The scopes the key grants. */
  readonly scopes: readonly string[]
  /** A label its owner chose, e.g. `ci-deploy`; `undefined` when none. */
  readonly name: string | undefined
  /** When it was issued, ms since the epoch. */
  readonly createdAt: number
  /** When it stops working, ms since the epoch; `undefined` for never. Rotation shortens it to the grace period's end. */
  readonly expiresAt: number | undefined
  /** When it was revoked, ms since the epoch; `undefined` while not revoked. */
  readonly revokedAt: number | undefined
  /** When it last authenticated a request, ms since the epoch, to the `touchInterval` of `createApiKeys`. */
  readonly lastUsedAt: number | undefined
  /** The id of the key that replaced it when it was rotated; `undefined` otherwise. */
  readonly replacedBy: string | undefined
}

/** A stored key: its metadata and the hash of the whole key (never the key itself). */
export interface ApiKeyRecord extends ApiKeyMetadata {
  /** The hex digest of the whole key, from the `createApiKeys` hasher. Secret: never log or return it. */
  readonly hash: string
}

/**
 * Where keys live. `createApiKeys` decides everything (times, checks); a store only keeps records,
 * and makes {@link ApiKeyStore.rotate} atomic. Implementations: {@link memoryApiKeyStore} here, a
 * SQL table as in the README's recipe, Redis in `@sec/redis`.
 */
export interface ApiKeyStore {
  /** Stores a new record. Rejects when the id is already taken. */
  create(record: ApiKeyRecord): Promise<void>
  /** The record with this id, or `undefined`. */
  findById(id: string): Promise<ApiKeyRecord | undefined>
  /**
   * Every record of an owner, revoked and expired ones included, oldest first (by `createdAt`; keys
   * created in the same millisecond in any stable order, such as by id).
   */
  listByOwner(owner: string): Promise<readonly ApiKeyRecord[]>
  /** Sets `revokedAt` (kept if already set). Returns the updated record, or `undefined` for an unknown id. */
  revoke(id: string, at: number): Promise<ApiKeyRecord | undefined>
  /**
   * In one atomic step: stores `replacement` (which always has the old key's owner: `createApiKeys`
   * makes it so, and a store may rely on it), sets the old key's `replacedBy` to its id and its
   * `expiresAt` to `graceEndsAt` when that is earlier. Returns the updated old record; `undefined`,
   * changing nothing, when the old key is unknown, revoked or already rotated.
   */
  rotate(id: string, replacement: ApiKeyRecord, graceEndsAt: number): Promise<ApiKeyRecord | undefined>
  /** Records that the key authenticated a request at `at` (ms since the epoch). Unknown ids are ignored. */
  touch(id: string, at: number): Promise<void>
}
