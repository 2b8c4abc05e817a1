import {
  type Clock,
  memoryNonceStore,
  type NonceStore,
  type RandomSource,
  type RateLimitStore,
  type SigningCrypto,
  systemClock,
} from '@sec/core'
import { createNotesPolicy, type NotesPolicy } from '../authz/index.js'
import {
  type ApiKeyHandlers,
  type AuthHandlers,
  createApiKeyHandlers,
  createAuthHandlers,
  createNotesHandlers,
  createWebhookHandlers,
  type NotesHandlers,
  type WebhookHandlers,
} from '../handlers/index.js'
import { createDemoIdentity, type DemoEventSink, type DemoIdentity } from '../identity/index.js'
import { createDemoSecurity, type DemoSecurity } from '../security/index.js'
import { createNotesService, type NotesService } from '../service/index.js'
import { deliveryIdLifetime, webhookNoteOwner } from '../signing/index.js'
import { createNoteStore, type NoteStore } from '../store/index.js'

/** Options of {@link createNotesDemo}. Meant for tests; the demos use the defaults. */
export interface NotesDemoOptions {
  /**
   * The clock of the store, the security pipeline, the rate limiters, tokens, revocations and API
   * keys. Default: `Date.now`, and a monotonic clock for the limiters.
   */
  readonly clock?: Clock
  /**
   * The random source of note ids, request ids, token ids, refresh tokens, API keys and password
   * salts. Default: `crypto.getRandomValues`.
   */
  readonly random?: RandomSource
  /** The most notes kept before the oldest is evicted. Default: `10000`. */
  readonly maxNotes?: number
  /**
   * Where events go: the pipeline's `SecurityEvent`s and the demo's sign-in events
   * (`auth.login-failed`, `auth.login-slowed`, `auth.refresh-reused`). Default: nowhere.
   */
  readonly events?: DemoEventSink | readonly DemoEventSink[]
  /**
   * A rate-limit store several demo processes share (see `redisRateLimitStore`). Default: none:
   * each demo counts its limits in its own memory.
   */
  readonly rateLimitStore?: RateLimitStore
  /** scrypt's N for the users' password hashes, a power of two from 1024. Default: `16384`. */
  readonly passwordCost?: number
  /** How a slowed-down login waits `ms`. Default: a timer. */
  readonly wait?: (ms: number) => Promise<void>
  /**
   * Where signed requests' nonces and received webhook attempts are remembered while they could be
   * replayed (see `redisNonceStore` in `@sec/redis`, shared by several processes). Default: a
   * `memoryNonceStore()` of this demo.
   */
  readonly replayStore?: NonceStore
  /**
   * Where processed `webhook-id`s are remembered (3 days), so a sender's retry creates nothing.
   * Default: a `memoryNonceStore()` of this demo.
   */
  readonly deliveryStore?: NonceStore
  /** The SHA-256 and HMAC of signed requests (`nodeSigningCrypto` on Node). Default: Web Crypto. */
  readonly signingCrypto?: SigningCrypto
}

/** Every handler of the demo: the Notes API, signing in and out, API keys, webhooks. */
export type DemoHandlers = NotesHandlers & AuthHandlers & ApiKeyHandlers & WebhookHandlers

/** Everything a demo server wires together. */
export interface NotesDemo extends DemoSecurity {
  readonly store: NoteStore
  readonly handlers: DemoHandlers
  readonly identity: DemoIdentity
  readonly policy: NotesPolicy
  readonly notes: NotesService
}

/**
 * Builds the Notes demo: a fresh store, the users and a new signing key, the Notes policy and
 * service, the handlers, the security pipeline and the route guards, with rate limiters of their
 * own (fresh counters, unless `rateLimitStore` is shared).
 */
export function createNotesDemo(options: NotesDemoOptions = {}): NotesDemo {
  const shared = {
    ...(options.clock !== undefined && { clock: options.clock }),
    ...(options.random !== undefined && { random: options.random }),
  }
  const store = createNoteStore({
    ...shared,
    ...(options.maxNotes !== undefined && { maxNotes: options.maxNotes }),
  })
  const identity = createDemoIdentity({
    ...shared,
    ...(options.passwordCost !== undefined && { passwordCost: options.passwordCost }),
  })
  const policy = createNotesPolicy(identity.users)
  const notes = createNotesService(store, policy)
  const events =
    options.events === undefined
      ? []
      : typeof options.events === 'function'
        ? [options.events]
        : options.events
  const security = createDemoSecurity({
    ...shared,
    identity,
    store,
    policy,
    events,
    ...(options.rateLimitStore !== undefined && { rateLimitStore: options.rateLimitStore }),
    ...(options.wait !== undefined && { wait: options.wait }),
    ...(options.replayStore !== undefined && { replayStore: options.replayStore }),
    ...(options.signingCrypto !== undefined && { signingCrypto: options.signingCrypto }),
  })
  const deliveries =
    options.deliveryStore ?? memoryNonceStore(options.clock === undefined ? {} : { clock: options.clock })
  const handlers: DemoHandlers = {
    ...createNotesHandlers(notes),
    ...createAuthHandlers({ identity, events, clock: options.clock ?? systemClock }),
    ...createApiKeyHandlers(identity),
    ...createWebhookHandlers({
      notes,
      deliveries,
      owner: webhookNoteOwner,
      idLifetime: deliveryIdLifetime,
    }),
  }
  return { ...security, store, handlers, identity, policy, notes }
}
