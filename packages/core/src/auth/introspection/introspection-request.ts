import { SecProblemError } from '../../problem/index.js'
import { declaredLength, readWebStream } from '../../request/index.js'
import { KeySourceUnavailableError } from '../token-errors.js'

/**
 * The `fetch` an introspection verifier calls: the global `fetch` or any function with its shape
 * (a wrapper adding a proxy agent, tracing, or a test double).
 */
export type IntrospectionFetch = (url: string, init: RequestInit) => Promise<Response>

/** How to reach the introspection endpoint, after the options were checked. */
export interface IntrospectionRequestPolicy {
  readonly endpoint: URL
  /** Every request header: `accept`, `content-type` and the client authentication. */
  readonly headers: Readonly<Record<string, string>>
  /** ms the whole exchange (connection, answer, body) may take. */
  readonly timeout: number
  readonly fetch: IntrospectionFetch
}

/**
 * The largest introspection response read, in bytes. Real answers are a few hundred bytes; the
 * bound keeps a broken or hostile endpoint from filling the memory.
 */
export const maxIntrospectionResponseBytes = 65_536

const decoder = new TextDecoder('utf-8', { fatal: true })

/** Asks the endpoint about a token; resolves with the response's JSON object. */
export type Introspect = (token: string) => Promise<Readonly<Record<string, unknown>>>

/**
 * Builds the call to an RFC 7662 introspection endpoint: a `POST` of
 * `token=…&token_type_hint=access_token`, answered by a JSON object.
 *
 * Every way the exchange can fail (the endpoint unreachable, slower than the timeout, a status
 * other than 200, a redirect, which is never followed since it would carry the token elsewhere, a
 * body over {@link maxIntrospectionResponseBytes}, bytes that are not UTF-8 JSON, JSON that is not
 * an object, a `fetch` that throws or resolves with something else) rejects with a
 * {@link KeySourceUnavailableError}: the token may be fine, only the endpoint could not tell.
 * Messages name the endpoint's origin, never the token or the response's content.
 */
export function createIntrospectionRequest(policy: IntrospectionRequestPolicy): Introspect {
  const { headers, timeout } = policy
  const url = policy.endpoint.href
  const origin = policy.endpoint.origin
  const send = policy.fetch
  const unavailable = (what: string, cause?: unknown) =>
    new KeySourceUnavailableError(
      `The introspection endpoint at ${origin} ${what}.`,
      cause === undefined ? undefined : { cause },
    )

  async function exchange(token: string, signal: AbortSignal): Promise<Record<string, unknown>> {
    const body = new URLSearchParams([
      ['token', token],
      ['token_type_hint', 'access_token'],
    ]).toString()
    let response: Response
    try {
      response = await send(url, { method: 'POST', headers, body, redirect: 'manual', signal })
    } catch (error) {
      throw unavailable('could not be reached', error)
    }
    if (response.status !== 200) {
      await Promise.resolve()
        .then(() => response.body?.cancel())
        .catch(() => undefined)
      throw unavailable(`answered ${response.status} instead of 200`)
    }
    let bytes: Uint8Array
    try {
      bytes = await readWebStream(
        response.body,
        maxIntrospectionResponseBytes,
        declaredLength(response.headers.get('content-length')),
      )
    } catch (error) {
      if (error instanceof SecProblemError)
        throw unavailable(`answered more than ${maxIntrospectionResponseBytes} bytes`)
      throw unavailable('broke off its answer', error)
    }
    // No cause: a parser's message quotes the text it choked on, which may echo the token.
    let value: unknown
    try {
      value = JSON.parse(decoder.decode(bytes))
    } catch {
      throw unavailable('answered something other than JSON')
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw unavailable('answered JSON that is not an object')
    return value as Record<string, unknown>
  }

  return async (token) => {
    const controller = new AbortController()
    let timer: ReturnType<typeof setTimeout> | undefined
    // Raced rather than only aborted: an injected fetch may ignore the signal, and must not hang us.
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(unavailable(`did not answer within ${timeout} ms`))
        controller.abort()
      }, timeout)
    })
    try {
      return await Promise.race([exchange(token, controller.signal), expired])
    } catch (error) {
      if (error instanceof KeySourceUnavailableError) throw error
      throw unavailable('gave an answer that could not be read', error)
    } finally {
      clearTimeout(timer)
    }
  }
}
