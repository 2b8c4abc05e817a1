import {
  body,
  cors,
  createSecurity,
  type Guard,
  headers,
  https,
  noCredentialsInUrl,
  type Outcome,
  type Security,
  validate,
} from '@sec/core'
import { NoteParamsSchema, NoteSchema } from './note-schema.js'

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
}

/** The security pipeline, route guards and handlers every adapter's conformance server is built from. */
export interface ConformanceApp {
  /**
   * App-wide guards: `https({ allowDirectLoopback: true })`, `headers('api')`,
   * `cors({ origins: ['https://app.example.com'], credentials: true, maxAge: '10m' })`, `noCredentialsInUrl()`.
   */
  readonly security: Security
  /** Route guards: `createNote` for `POST /v1/notes`, `getNote` for `GET /v1/notes/:id`. */
  readonly routes: { readonly createNote: readonly Guard[]; readonly getNote: readonly Guard[] }
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
  const routes = {
    createNote: [body({ limit: 65_536, types: ['application/json'] }), validate({ body: NoteSchema })],
    getNote: [validate({ params: NoteParamsSchema })],
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
  }
  return { security, routes, handlers }
}
