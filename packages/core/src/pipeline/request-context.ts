import type { ClientInfo, ClientResolver } from '../client-ip/index.js'
import type { GuardEvent } from '../events/index.js'
import type { SecurityRequest } from '../request/index.js'
import type { GuardContext, RequestInput } from './guard.js'
import type { Principal } from './principal.js'
import { RequestInputParts } from './request-input.js'
import { ResponseHeaders } from './response-headers.js'
import type { Runtime } from './runtime.js'

const noParams: Readonly<Record<string, string>> = Object.freeze({})

/** The {@link GuardContext} of one request; lazy so unused parts cost nothing. */
export class RequestContext implements GuardContext {
  readonly request: SecurityRequest
  readonly responseHeaders = new ResponseHeaders()
  readonly removedHeaders: string[] = []
  principal: Principal | undefined = undefined
  readonly facts: Record<string, unknown> = {}
  readonly input: RequestInput = new RequestInputParts()
  params: Readonly<Record<string, string>> = noParams
  readonly #runtime: Runtime
  readonly #resolveClient: ClientResolver
  #client: ClientInfo | undefined
  #query: URLSearchParams | undefined
  #requestId: string | undefined
  #locals: Map<symbol, unknown> | undefined

  constructor(request: SecurityRequest, runtime: Runtime, resolveClient: ClientResolver) {
    this.request = request
    this.#runtime = runtime
    this.#resolveClient = resolveClient
  }

  get client(): ClientInfo {
    this.#client ??= this.#resolveClient(this.request)
    return this.#client
  }

  get path(): string {
    const target = this.request.target
    const q = target.indexOf('?')
    return q === -1 ? target : target.slice(0, q)
  }

  get query(): URLSearchParams {
    if (this.#query === undefined) {
      const target = this.request.target
      const q = target.indexOf('?')
      this.#query = new URLSearchParams(q === -1 ? '' : target.slice(q + 1))
    }
    return this.#query
  }

  get requestId(): string {
    this.#requestId ??= this.#runtime.newId()
    return this.#requestId
  }

  removeResponseHeader(name: string): void {
    const lower = name.toLowerCase()
    if (!this.removedHeaders.includes(lower)) this.removedHeaders.push(lower)
  }

  body(limit: number = this.#runtime.bodyLimit): Promise<Uint8Array> {
    return this.request.body(limit)
  }

  now(): number {
    return this.#runtime.clock.now()
  }

  local<T>(key: symbol): T | undefined {
    return this.#locals?.get(key) as T | undefined
  }

  setLocal(key: symbol, value: unknown): void {
    this.#locals ??= new Map()
    this.#locals.set(key, value)
  }

  emit(event: GuardEvent): void {
    if (!this.#runtime.hasSinks) return
    this.#runtime.emit({
      ...event,
      time: this.#runtime.clock.now(),
      requestId: this.requestId,
      method: this.request.method,
      path: this.path,
      clientIp: this.client.ip,
    })
  }
}
