import { bodyTooLarge, onceBody, type SecurityRequest } from '../../request/index.js'
import type { HeaderLine } from './sign-message.js'

/** What {@link testRequest} builds a request from. */
export interface TestRequestInit {
  readonly method?: string | undefined
  readonly target: string
  readonly headers?: readonly HeaderLine[] | undefined
  readonly body?: Uint8Array | string | undefined
}

const encoder = new TextEncoder()

/**
 * A `SecurityRequest` whose headers keep every field line apart, as the Node adapters' do (a Web
 * `Request` joins them). Only tests use it.
 */
export function testRequest(init: TestRequestInit): SecurityRequest {
  const fields = new Map<string, string[]>()
  for (const [name, value] of init.headers ?? []) {
    const lower = name.toLowerCase()
    const values = fields.get(lower)
    if (values === undefined) fields.set(lower, [value])
    else values.push(value)
  }
  const bytes = typeof init.body === 'string' ? encoder.encode(init.body) : (init.body ?? new Uint8Array(0))
  return {
    method: init.method ?? 'GET',
    target: init.target,
    headers: {
      get: (name) => fields.get(name.toLowerCase())?.join(', ') ?? null,
      getAll: (name) => fields.get(name.toLowerCase()) ?? [],
      has: (name) => fields.has(name.toLowerCase()),
    },
    remoteAddress: '127.0.0.1',
    encrypted: true,
    body: onceBody(async (limit) => {
      if (bytes.byteLength > limit) throw bodyTooLarge(limit)
      return bytes
    }),
  }
}
