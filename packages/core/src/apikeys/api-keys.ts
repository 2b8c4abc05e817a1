import * as v from 'valibot'
import { configError, parseOptions } from '../config/index.js'
import { type Duration, parseDuration } from '../duration/index.js'
import { type Clock, cryptoRandom, type RandomSource, systemClock } from '../pipeline/index.js'
import type { ApiKeyMetadata, ApiKeyRecord, ApiKeyStore } from './api-key-store.js'
import {
  type ApiKeyEnvironment,
  type ApiKeyKind,
  formatApiKey,
  generateApiKeyId,
  isApiKeyId,
  parseApiKey,
} from './key-format.js'
import { createApiKeyHasher, digestsEqual } from './key-hash.js'

/** Options of {@link createApiKeys}. */
export interface ApiKeysOptions {
  /** Where the records live. Required. */
  readonly store: ApiKeyStore
  /**
   * The environment this deployment serves: keys of the other one are refused, so a `sk_test_` key
   * pasted into production fails, and a `sk_live_` key never works against staging. Required.
   */
  readonly environment: ApiKeyEnvironment
  /**
   * A server-side secret mixed into every stored hash (HMAC-SHA-256), at least 32 bytes (a string
   * counts as UTF-8). Keep it out of the database (an environment variable, a secret manager): a
   * stolen key table then cannot even confirm a guessed key. Changing it invalidates every key.
   * Default: none, keys are stored as plain SHA-256, which their 131 random bits make safe too.
   */
  readonly pepper?: string | Uint8Array
  /**
   * How often a key's `lastUsedAt` is written, at most: a key used many times per second writes
   * once per interval. A {@link Duration} (ms or a string such as `'1m'`). Default: `'1m'`.
   */
  readonly touchInterval?: Duration
  /** The clock. Default: `Date.now`. */
  readonly clock?: Clock
  /** The random source for ids and secrets. Default: `crypto.getRandomValues`. */
  readonly random?: RandomSource
}

/** What to issue. */
export interface IssueApiKeyOptions {
  /** Who the key acts for (a user or account id). Required; 1 to 255 characters. */
  readonly owner: string
  /** The scopes it grants, e.g. `['notes:read']`; RFC 6749 scope tokens. Default: none. */
  readonly scopes?: readonly string[]
  /** A label for its owner, up to 200 characters. Default: none. */
  readonly name?: string
  /** Default: `'secret'`. */
  readonly kind?: ApiKeyKind
  /** How long it stays valid, a {@link Duration} such as `'90d'`. Default: no expiry. */
  readonly expiresIn?: Duration
}

/** What to rotate. */
export interface RotateApiKeyOptions {
  /**
   * When given, only a key of this owner is rotated; another owner's key is treated as unknown (so
   * an API answers 404 and ids cannot be probed).
   */
  readonly owner?: string
  /**
   * How long the old key keeps working, a {@link Duration}, so clients can switch without downtime.
   * `0` ends it now. Never extends the old key's own expiry. Default: `'24h'`.
   */
  readonly gracePeriod?: Duration
  /**
   * The new key's lifetime, a {@link Duration}, or `null` for no expiry. Default: the old key's
   * lifetime (`expiresAt - createdAt`), or no expiry when it had none.
   */
  readonly expiresIn?: Duration | null
}

/** What to revoke. */
export interface RevokeApiKeyOptions {
  /** When given, only a key of this owner is revoked; another owner's key is treated as unknown. */
  readonly owner?: string
}

/** A newly issued key. */
export interface IssuedApiKey {
  /** The whole key. Show it once, to its owner, and never store it: only its hash is kept. */
  readonly key: string
  /** Its metadata, as later listings return it. */
  readonly metadata: ApiKeyMetadata
}

/** Why a key was refused, for logs: never send it to the caller, who only learns "not valid". */
export type ApiKeyRefusal = 'malformed' | 'wrong-environment' | 'unknown' | 'mismatch' | 'revoked' | 'expired'

/** The result of {@link ApiKeys.verify}. */
export type ApiKeyVerification =
  | { readonly valid: true; readonly metadata: ApiKeyMetadata }
  | { readonly valid: false; readonly refusal: ApiKeyRefusal }

/** Issues, lists, rotates, revokes and verifies API keys. */
export interface ApiKeys {
  /** The environment this manager issues and accepts keys for. */
  readonly environment: ApiKeyEnvironment
  /** Issues a key; the returned `key` is the only time the whole key exists outside its owner. */
  issue(options: IssueApiKeyOptions): Promise<IssuedApiKey>
  /** An owner's keys, metadata only, oldest first; `active` keeps only those that work now. */
  list(owner: string, options?: { readonly active?: boolean }): Promise<ApiKeyMetadata[]>
  /** One key's metadata, or `undefined` (also for another owner's key when `owner` is given). */
  get(id: string, options?: { readonly owner?: string }): Promise<ApiKeyMetadata | undefined>
  /**
   * Replaces a working key with a new one of the same owner, kind, scopes and name; the old one
   * keeps working for the grace period. `undefined` when the key is unknown, another owner's, no
   * longer working, or already rotated.
   */
  rotate(id: string, options?: RotateApiKeyOptions): Promise<IssuedApiKey | undefined>
  /** Revokes a key now. `undefined` when unknown (or another owner's); revoking twice keeps the first time. */
  revoke(id: string, options?: RevokeApiKeyOptions): Promise<ApiKeyMetadata | undefined>
  /**
   * Checks a presented key: format and checksum first (no store access for a typo), environment,
   * then the stored hash in constant time, revocation and expiry. Updates `lastUsedAt` (at most once
   * per `touchInterval`) when valid.
   */
  verify(key: string): Promise<ApiKeyVerification>
}

// RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
const scopeToken = /^[\x21\x23-\x5b\x5d-\x7e]+$/
const minPepperBytes = 32

const durationSchema = v.union(
  [v.number(), v.string()],
  "Expected milliseconds as a number or a duration such as '90d'",
)

const optionsSchema = v.strictObject({
  store: v.optional(
    v.custom<ApiKeyStore>(
      (x) =>
        typeof x === 'object' &&
        x !== null &&
        ['create', 'findById', 'listByOwner', 'revoke', 'rotate', 'touch'].every(
          (m) => typeof (x as Record<string, unknown>)[m] === 'function',
        ),
      'Expected an ApiKeyStore such as memoryApiKeyStore()',
    ),
  ),
  environment: v.optional(v.picklist(['live', 'test'], "Expected 'live' or 'test'")),
  pepper: v.optional(
    v.union([v.string(), v.instance(Uint8Array)], 'Expected a string or a Uint8Array of at least 32 bytes'),
  ),
  touchInterval: v.optional(durationSchema),
  clock: v.optional(
    v.custom<Clock>((x) => typeof (x as Clock | null)?.now === 'function', 'Expected { now(): number }'),
  ),
  random: v.optional(
    v.custom<RandomSource>((x) => typeof x === 'function', 'Expected a function like crypto.getRandomValues'),
  ),
})

const issueSchema = v.strictObject({
  owner: v.pipe(v.string(), v.minLength(1), v.maxLength(255)),
  scopes: v.optional(
    v.array(v.pipe(v.string(), v.regex(scopeToken, 'Expected a scope token such as notes:read'))),
  ),
  name: v.optional(v.pipe(v.string(), v.maxLength(200))),
  kind: v.optional(v.picklist(['secret', 'publishable'], "Expected 'secret' or 'publishable'")),
  expiresIn: v.optional(durationSchema),
})

const rotateSchema = v.strictObject({
  owner: v.optional(v.string()),
  gracePeriod: v.optional(durationSchema),
  expiresIn: v.optional(v.nullable(durationSchema)),
})

const revokeSchema = v.strictObject({ owner: v.optional(v.string()) })

function metadataOf(record: ApiKeyRecord): ApiKeyMetadata {
  const { hash: _hash, ...metadata } = record
  return metadata
}

function isWorking(record: ApiKeyMetadata, now: number): boolean {
  return record.revokedAt === undefined && (record.expiresAt === undefined || now < record.expiresAt)
}

function positiveDuration(path: string, value: unknown): number {
  const ms = parseDuration(path, value)
  if (ms <= 0) configError(path, 'must be longer than zero.')
  return ms
}

/**
 * Creates the API key manager: the one object that issues keys and, given to the `apiKey` guard,
 * verifies them, so both use the same store, pepper and environment.
 *
 * @example
 * const keys = createApiKeys({ store: memoryApiKeyStore(), environment: 'live', pepper: process.env.API_KEY_PEPPER })
 * const { key, metadata } = await keys.issue({ owner: 'acct_42', scopes: ['notes:read'], expiresIn: '90d' })
 */
export function createApiKeys(options: ApiKeysOptions): ApiKeys {
  const parsed = parseOptions('apiKeys', optionsSchema, options)
  if (parsed.pepper !== undefined) {
    const bytes = typeof parsed.pepper === 'string' ? new TextEncoder().encode(parsed.pepper) : parsed.pepper
    if (bytes.length < minPepperBytes)
      configError(
        'apiKeys.pepper',
        `must be at least ${minPepperBytes} bytes; got ${bytes.length}. Generate one with crypto.getRandomValues(new Uint8Array(32)) and keep it in a secret store, or omit it to store plain SHA-256.`,
      )
  }
  const store: ApiKeyStore =
    parsed.store ??
    configError('apiKeys.store', 'is required: pass an ApiKeyStore, e.g. memoryApiKeyStore() in development.')
  const environment: ApiKeyEnvironment =
    parsed.environment ??
    configError(
      'apiKeys.environment',
      "is required: 'live' in production, 'test' elsewhere, so that keys of one never work in the other.",
    )
  const hasher = createApiKeyHasher(parsed.pepper)
  const touchInterval =
    parsed.touchInterval === undefined ? 60_000 : parseDuration('apiKeys.touchInterval', parsed.touchInterval)
  const clock = parsed.clock ?? systemClock
  const random = parsed.random ?? cryptoRandom

  async function newRecord(
    base: Omit<ApiKeyRecord, 'id' | 'hash' | 'environment' | 'lastUsedAt' | 'revokedAt' | 'replacedBy'>,
  ): Promise<{ key: string; record: ApiKeyRecord }> {
    const id = generateApiKeyId(random)
    const key = formatApiKey(base.kind, environment, id, random)
    const record: ApiKeyRecord = {
      ...base,
      id,
      environment,
      hash: await hasher.hash(key),
      revokedAt: undefined,
      lastUsedAt: undefined,
      replacedBy: undefined,
    }
    return { key, record }
  }

  async function owned(id: string, owner: string | undefined): Promise<ApiKeyRecord | undefined> {
    // Ids come from URLs: one that cannot exist never reaches the store.
    if (!isApiKeyId(id)) return undefined
    const record = await store.findById(id)
    if (record === undefined || (owner !== undefined && record.owner !== owner)) return undefined
    return record
  }

  return {
    environment,

    async issue(issueOptions) {
      const input = parseOptions('apiKeys.issue', issueSchema, issueOptions)
      const now = clock.now()
      const { key, record } = await newRecord({
        owner: input.owner,
        kind: input.kind ?? 'secret',
        scopes: [...new Set(input.scopes ?? [])],
        name: input.name,
        createdAt: now,
        expiresAt:
          input.expiresIn === undefined
            ? undefined
            : now + positiveDuration('apiKeys.issue.expiresIn', input.expiresIn),
      })
      await store.create(record)
      return { key, metadata: metadataOf(record) }
    },

    async list(owner, listOptions) {
      const now = clock.now()
      const records = await store.listByOwner(owner)
      const out: ApiKeyMetadata[] = []
      for (const record of records)
        if (listOptions?.active !== true || isWorking(record, now)) out.push(metadataOf(record))
      return out
    },

    async get(id, getOptions) {
      const record = await owned(id, getOptions?.owner)
      return record === undefined ? undefined : metadataOf(record)
    },

    async rotate(id, rotateOptions) {
      const input = parseOptions('apiKeys.rotate', rotateSchema, rotateOptions)
      const grace =
        input.gracePeriod === undefined
          ? 86_400_000
          : parseDuration('apiKeys.rotate.gracePeriod', input.gracePeriod)
      const now = clock.now()
      const old = await owned(id, input.owner)
      if (old === undefined || !isWorking(old, now) || old.replacedBy !== undefined) return undefined
      let lifetime: number | undefined
      if (input.expiresIn === undefined)
        lifetime = old.expiresAt === undefined ? undefined : old.expiresAt - old.createdAt
      else if (input.expiresIn !== null)
        lifetime = positiveDuration('apiKeys.rotate.expiresIn', input.expiresIn)
      const { key, record } = await newRecord({
        owner: old.owner,
        kind: old.kind,
        scopes: old.scopes,
        name: old.name,
        createdAt: now,
        expiresAt: lifetime === undefined ? undefined : now + lifetime,
      })
      const rotated = await store.rotate(id, record, now + grace)
      return rotated === undefined ? undefined : { key, metadata: metadataOf(record) }
    },

    async revoke(id, revokeOptions) {
      const input = parseOptions('apiKeys.revoke', revokeSchema, revokeOptions)
      if ((await owned(id, input.owner)) === undefined) return undefined
      const revoked = await store.revoke(id, clock.now())
      return revoked === undefined ? undefined : metadataOf(revoked)
    },

    async verify(key) {
      const parsedKey = parseApiKey(key)
      if (parsedKey === undefined) return { valid: false, refusal: 'malformed' }
      if (parsedKey.environment !== environment) return { valid: false, refusal: 'wrong-environment' }
      // Hashing before the lookup keeps an unknown id from answering measurably sooner than a known one.
      const [digest, record] = await Promise.all([hasher.hash(key), store.findById(parsedKey.keyId)])
      if (record === undefined) return { valid: false, refusal: 'unknown' }
      if (
        !digestsEqual(digest, record.hash) ||
        record.kind !== parsedKey.kind ||
        record.environment !== parsedKey.environment
      )
        return { valid: false, refusal: 'mismatch' }
      const now = clock.now()
      if (record.revokedAt !== undefined) return { valid: false, refusal: 'revoked' }
      if (record.expiresAt !== undefined && now >= record.expiresAt)
        return { valid: false, refusal: 'expired' }
      if (record.lastUsedAt === undefined || now - record.lastUsedAt >= touchInterval) {
        // A failed write of the last-used time must not fail the request it describes.
        void Promise.resolve()
          .then(() => store.touch(record.id, now))
          .catch(() => undefined)
      }
      return { valid: true, metadata: metadataOf(record) }
    },
  }
}
