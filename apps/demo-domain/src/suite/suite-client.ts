import {
  type ConformanceRequest,
  type ConformanceResponse,
  type HeaderLines,
  normalizeResponse,
} from '@sec/testkit'

/** What the cases of the suite send requests with. */
export interface SuiteClient {
  /** Sends a request to the server under test. */
  send(request: ConformanceRequest): Promise<ConformanceResponse>
  /** Status and headers, without those the comparison ignores (and the framework's own `Vary` tokens). */
  comparable(response: ConformanceResponse): { status: number; headers: Record<string, string> }
  /** The server's base URL. */
  url(): string
}

/** The tokens of a sign-in. */
export interface SignedIn {
  readonly access_token: string
  readonly refresh_token: string
}

/** The sessions the suite opens once, before its cases, for the cases that just need a caller. */
export interface SuiteSessions {
  alice: SignedIn
  bob: SignedIn
  admin: SignedIn
}

/**
 * A client behind the trusted loopback proxy, which reached it over HTTPS. Each test that counts
 * requests uses addresses no other test uses, so it starts with full buckets.
 */
export function viaHttpsProxy(ip: string): HeaderLines {
  return [
    ['X-Forwarded-For', ip],
    ['X-Forwarded-Proto', 'https'],
  ]
}

/** `Authorization: Bearer <token>`. */
export function bearer(token: string): HeaderLines {
  return [['Authorization', `Bearer ${token}`]]
}

/** A POST of a JSON body. */
export function postJson(target: string, body: unknown, headers: HeaderLines = []): ConformanceRequest {
  return {
    method: 'POST',
    target,
    headers: [['Content-Type', 'application/json'], ...headers],
    body: typeof body === 'string' ? body : JSON.stringify(body),
  }
}

/**
 * A POST without a body, as `fetch` and curl send it. With `Content-Length: 0`: without it, Node's
 * client sends `Transfer-Encoding: chunked` and an empty chunk, which Fastify, unlike the other
 * frameworks, refuses with a 415 for want of a `Content-Type`.
 */
export function postEmpty(target: string, headers: HeaderLines = []): ConformanceRequest {
  return { method: 'POST', target, headers: [...headers, ['Content-Length', '0']] }
}

/** Signs in through `POST /v1/auth/token` from `ip` (through the proxy) and returns the tokens. */
export async function signIn(
  client: SuiteClient,
  username: string,
  password: string,
  ip: string,
): Promise<SignedIn> {
  const response = await client.send(postJson('/v1/auth/token', { username, password }, viaHttpsProxy(ip)))
  if (response.status !== 200)
    throw new Error(`Signing in as ${username} answered ${response.status}: ${response.body}`)
  return JSON.parse(response.body) as SignedIn
}

/** Turns a response into its comparable form, leaving out the framework's own `Vary` tokens. */
export function comparableWith(frameworkVaryTokens: readonly string[] | undefined) {
  const options = frameworkVaryTokens === undefined ? {} : { frameworkVaryTokens }
  return (response: ConformanceResponse): { status: number; headers: Record<string, string> } => {
    const { status, headers } = normalizeResponse(response, options)
    return { status, headers: { ...headers } }
  }
}
