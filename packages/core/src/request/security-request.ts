/**
 * Read access to request headers. Names are case-insensitive.
 */
export interface RequestHeaders {
  /** The field value, repeated fields joined with `", "` as `Headers.get` does; `null` when absent. */
  get(name: string): string | null
  /**
   * Every field line of the header, in the order received. Checks that must notice a duplicated
   * header (signatures, `Host`) use this. A Web `Request` has already joined duplicates, so there it
   * returns at most one value.
   */
  getAll(name: string): readonly string[]
  /** Whether the header is present. */
  has(name: string): boolean
}

/**
 * The request as @sec sees it: a lazy view that adapters build without copying headers or
 * reading the body.
 */
export interface SecurityRequest {
  /** The method, upper-case, e.g. `GET`. */
  readonly method: string
  /** The request target in origin form, as received: path and optional query, e.g. `/v1/notes?q=a`. */
  readonly target: string
  /** The request headers. */
  readonly headers: RequestHeaders
  /** The peer address of the connection (a proxy's, behind one), or `undefined` when unknown. */
  readonly remoteAddress: string | undefined
  /** Whether the connection to this process is TLS. */
  readonly encrypted: boolean
  /**
   * The raw body, read at most once and cached. Rejects with a `SecProblemError`
   * (`body-too-large`, 413) when it exceeds `limit` bytes, before reading more than `limit + 1`
   * bytes. Later calls return the cached bytes (or fail again if they exceed the new `limit`).
   */
  body(limit: number): Promise<Uint8Array>
  /**
   * Optional; adapters implement it, guards never call it except to report a parse. The `body()`
   * guard (and `validate()` when it reads the body itself) calls it with the JSON value it parsed
   * and the bytes `body()` returned, once every check passed: strict UTF-8, no `__proto__`,
   * `constructor` or `prototype` key, no repeated key, within the depth and size limits. The value
   * is `JSON.parse` of the body as received, before any schema transformed it. An adapter whose
   * framework parses JSON bodies itself (Fastify) hands it this value instead of parsing the
   * bytes again; it must treat both as read-only.
   */
  parsedJson?(value: unknown, bytes: Uint8Array): void
}
