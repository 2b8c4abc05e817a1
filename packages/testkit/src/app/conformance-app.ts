import {
  apiKey,
  authorize,
  bearer,
  body,
  cors,
  createSecurity,
  createTokenVerifier,
  type Guard,
  headers,
  https,
  noCredentialsInUrl,
  type Outcome,
  type Security,
  validate,
} from '@sec/core'
import { createConformanceApiKeys } from './conformance-api-keys.js'
import { conformanceAudience, conformanceIssuer, conformancePublicJwk } from './conformance-credentials.js'
import { NoteParamsSchema, NoteSchema } from './note-schema.js'
import { notesPolicy, ownedNotes } from './notes-policy.js'

/**
 * Which way the conformance server is reached.
 *
 * - `direct`: `trustProxy: false`; the loopback test client is the client, and forwarding headers
 *   it sends are forgeries to ignore.
 * - `proxied`: `trustProxy: ['loopback']`; the loopback test client plays a reverse proxy, so its
 *   `X-Forwarded-*` and `Forwarded` headers are honoured.
 */
export type ConformanceVariant = 'direct' | 'proxied'

/** The framework-neutral handlers of the conformance app. Adapters' servers call them. */
export interface ConformanceHandlers {
  /** `GET /health`: `{"status":"ok"}`. */
  health(): unknown
  /** `GET /v1/whoami`: `{ ip, ipKey, protocol, host }` of the resolved client (`null` for what is unknown). */
  whoami(outcome: Outcome): unknown
  /** `POST /v1/notes`: the validated note, sent with status 201. */
  createNote(outcome: Outcome): unknown
  /** `GET /v1/notes/:id`: `{ id }` for `n_known`; otherwise throws an error whose `status` is 404. */
  getNote(outcome: Outcome, id: string): unknown
  /** `GET /v1/boom`: throws an error whose message holds a secret; it must become a bare 500 problem. */
  boom(): never
  /**
   * `GET /v1/private` and `GET /v1/machine`: `{ id, kind, scopes }` of the authenticated principal.
   * Throws (a 500) when there is none, which only a route without its guards would allow.
   */
  principal(outcome: Outcome): unknown
  /**
   * `DELETE /v1/notes/:id`: checks the policy again, as a service layer would, and returns nothing:
   * the adapter answers 204 without a body. The notes are kept (see `ownedNotes`).
   */
  deleteNote(outcome: Outcome, id: string): void
}

/** The route guards of the conformance app. */
export interface ConformanceRoutes {
  /** `POST /v1/notes`: `body({ limit: 65536, types: ['application/json'] })`, `validate({ body: NoteSchema })`. */
  readonly createNote: readonly Guard[]
  /** `GET /v1/notes/:id`: `validate({ params: NoteParamsSchema })`. */
  readonly getNote: readonly Guard[]
  /** `GET /v1/private`: `bearer({ scopes: ['notes:read'] })`. */
  readonly readPrivate: readonly Guard[]
  /**
   * `DELETE /v1/notes/:id`: `bearer({ scopes: ['notes:write'] })`, `validate({ params })`, then
   * `authorize(notesPolicy, 'notes:delete', { visibleWith: 'notes:read' })`: the owner or an admin
   * may delete; another user's note answers the same 404 as an unknown id.
   */
  readonly deleteNote: readonly Guard[]
  /** `GET /v1/machine`: `apiKey({ scopes: ['notes:read'] })`, the key in `X-API-Key`. */
  readonly machine: readonly Guard[]
}

/** The security pipeline, route guards and handlers every adapter's conformance server is built from. */
export interface ConformanceApp {
  /**
   * App-wide guards: `https({ allowDirectLoopback: true })`, `headers('api')`,
   * `cors({ origins: ['https://app.example.com'], credentials: true, maxAge: '10m' })`, `noCredentialsInUrl()`.
   */
  readonly security: Security
  /** The route guards, by route. */
  readonly routes: ConformanceRoutes
  /** The handlers. */
  readonly handlers: ConformanceHandlers
}

/** The secret in the message of the error `boom()` throws; it must never reach a response. */
export const boomSecret = 'db-password=hunter2'

/** An error a handler throws for a note that does not exist; frameworks read `status`/`statusCode`. */
class NoteNotFoundError extends Error {
  readonly status = 404
  readonly statusCode = 404
  readonly expose = false
}

/**
 * Builds the conformance app for a variant: a fresh `Security` (no state shared between servers),
 * its route guards and its handlers.
 */
export function createConformanceApp(variant: ConformanceVariant): ConformanceApp {
  const security = createSecurity({
    trustProxy: variant === 'proxied' ? ['loopback'] : false,
    guards: [
      https({ allowDirectLoopback: true }),
      headers('api'),
      cors({ origins: ['https://app.example.com'], credentials: true, maxAge: '10m' }),
      noCredentialsInUrl(),
    ],
  })
  const verifier = createTokenVerifier({
    issuer: conformanceIssuer,
    audience: conformanceAudience,
    keys: { keys: [conformancePublicJwk] },
  })
  const routes: ConformanceRoutes = {
    createNote: [body({ limit: 65_536, types: ['application/json'] }), validate({ body: NoteSchema })],
    getNote: [validate({ params: NoteParamsSchema })],
    readPrivate: [bearer({ verifier, scopes: ['notes:read'] })],
    deleteNote: [
      bearer({ verifier, scopes: ['notes:write'] }),
      validate({ params: NoteParamsSchema }),
      authorize(notesPolicy, 'notes:delete', {
        resource: (ctx) => ownedNotes.get(ctx.params.id ?? ''),
        visibleWith: 'notes:read',
      }),
    ],
    machine: [apiKey({ keys: createConformanceApiKeys(), scopes: ['notes:read'] })],
  }
  const handlers: ConformanceHandlers = {
    health: () => ({ status: 'ok' }),
    whoami: ({ client }) => ({
      ip: client.ip ?? null,
      ipKey: client.ipKey ?? null,
      protocol: client.protocol,
      host: client.host ?? null,
    }),
    createNote: (outcome) => outcome.body,
    getNote: (_outcome, id) => {
      if (id === 'n_known') return { id }
      throw new NoteNotFoundError(`No note ${id}`)
    },
    boom: () => {
      throw new Error(`The database refused the connection (${boomSecret})`)
    },
    principal: ({ principal }) => {
      if (principal === undefined) throw new Error('No principal: the route lacks its guards.')
      return { id: principal.id, kind: principal.kind, scopes: principal.scopes ?? [] }
    },
    deleteNote: (outcome, id) => {
      const note = ownedNotes.get(id)
      if (note === undefined) throw new NoteNotFoundError(`No note ${id}`)
      notesPolicy.assert(outcome.principal, 'notes:delete', note)
    },
  }
  return { security, routes, handlers }
}
