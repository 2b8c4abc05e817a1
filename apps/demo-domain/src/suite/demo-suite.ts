import { sendRequest } from '@sec/testkit'
import { afterAll, beforeAll, describe } from 'vitest'
import { demoAccounts } from '../identity/index.js'
import { apiKeyCases } from './api-key-cases.js'
import { notesCases } from './notes-cases.js'
import { signInCases } from './sign-in-cases.js'
import { signingCases } from './signing-cases.js'
import { comparableWith, type SuiteClient, type SuiteSessions, signIn } from './suite-client.js'

/** A demo server started for the suite. */
export interface DemoServer {
  /** Its base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string
  /** Stops it. */
  close(): Promise<void>
}

/**
 * Starts a fresh demo server on a free port of 127.0.0.1: an empty store, new signing keys, the
 * demo users, and rate limiters of its own in memory, so every client the suite invents starts
 * with full buckets.
 */
export type StartDemoServer = () => Promise<DemoServer>

/** Options of {@link runDemoSuite}. */
export interface DemoSuiteOptions {
  /** How long starting the server (and signing the demo users in) may take, in ms. Default: `10000`. */
  readonly startTimeout?: number
  /**
   * `Vary` tokens the framework itself adds to every response, left out of comparisons. Next.js
   * adds `rsc, next-router-state-tree, next-router-prefetch, next-router-segment-prefetch` to
   * every route handler response. Default: none.
   */
  readonly frameworkVaryTokens?: readonly string[]
}

export { apiSecurityHeaders } from './expected-responses.js'

/**
 * The black-box suite every Notes demo runs against its real server: the same requests must get
 * the same status, headers (all but the conformance suite's `ignoredHeaders`) and body from
 * Express, Fastify, Koa and Next.js. It signs alice, bob and admin in once, each from an address
 * of its own, for the cases that just need a caller; the cases about signing in make sessions of
 * their own.
 */
export function runDemoSuite(name: string, start: StartDemoServer, options: DemoSuiteOptions = {}): void {
  describe(`${name} Notes demo`, () => {
    let server: DemoServer | undefined
    const client: SuiteClient = {
      send: (request) => sendRequest((server as DemoServer).url, request),
      comparable: comparableWith(options.frameworkVaryTokens),
      url: () => (server as DemoServer).url,
    }
    const sessions = {} as SuiteSessions

    beforeAll(async () => {
      server = await start()
      for (const [i, { username, password }] of demoAccounts.entries())
        sessions[username as keyof SuiteSessions] = await signIn(
          client,
          username,
          password,
          `192.0.2.${200 + i}`,
        )
    }, options.startTimeout ?? 10_000)

    afterAll(async () => {
      await server?.close()
    })

    describe('the Notes API', () => notesCases(client, sessions))
    describe('signing in and out', () => signInCases(client))
    describe('API keys', () => apiKeyCases(client, sessions))
    describe('signed requests and webhooks', () => signingCases(client, sessions))
  })
}
