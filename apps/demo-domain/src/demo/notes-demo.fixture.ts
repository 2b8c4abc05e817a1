import { fromWebRequest, type Guard, type Outcome } from '@sec/core'
import { demoClientId } from '../identity/index.js'
import { createNotesDemo, type NotesDemo, type NotesDemoOptions } from './notes-demo.js'

/** A clock the test moves by hand, starting at 2026-01-01T00:00:00Z. */
export function manualClock(start = Date.UTC(2026, 0, 1)) {
  let now = start
  return {
    clock: { now: () => now },
    advance(ms: number) {
      now += ms
    },
  }
}

/** A demo for unit tests: cheap password hashes, a manual clock, and no real waiting. */
export function testDemo(options: NotesDemoOptions = {}) {
  const time = manualClock()
  const waits: number[] = []
  const demo = createNotesDemo({
    clock: time.clock,
    passwordCost: 1024,
    wait: async (ms) => {
      waits.push(ms)
    },
    ...options,
  })
  return { demo, time, waits }
}

/** Options of one test request. */
export interface TestRequest {
  readonly method?: string
  readonly headers?: Record<string, string>
  readonly body?: string
  /** The client's address. Default: `198.51.100.1`. */
  readonly ip?: string
  readonly guards?: readonly Guard[]
  readonly params?: Record<string, string>
}

/** Runs a request that reached the demo over HTTPS through the pipeline, with a route's guards. */
export function send(demo: NotesDemo, path: string, request: TestRequest = {}): Promise<Outcome> {
  const web = new Request(`https://localhost:3001${path}`, {
    method: request.method ?? 'GET',
    ...(request.headers !== undefined && { headers: request.headers }),
    ...(request.body !== undefined && { body: request.body }),
  })
  return demo.security.protect(
    fromWebRequest(web, { remoteAddress: request.ip ?? '198.51.100.1', encrypted: true }),
    {
      ...(request.guards !== undefined && { guards: request.guards }),
      ...(request.params !== undefined && { params: request.params }),
    },
  )
}

/** An access token for `subject`, issued directly (no password check), with every Notes scope by default. */
export async function tokenFor(
  demo: NotesDemo,
  subject: string,
  scope: readonly string[] = ['notes:read', 'notes:write'],
): Promise<string> {
  return (await demo.identity.issuer.issue({ subject, scope, clientId: demoClientId })).accessToken
}

/** The `Authorization` header of a token. */
export function bearerHeader(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` }
}

/** The JSON body of a login. */
export function loginBody(username: string, password: string, scope?: string): TestRequest {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, ...(scope !== undefined && { scope }) }),
  }
}
