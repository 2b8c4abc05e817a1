import type { RequestInput } from './guard.js'

// Inputs made elsewhere (a test's own GuardContext) keep their records here instead.
const foreign = new WeakMap<object, Map<symbol, unknown>>()

/**
 * The input object of one request. Besides the four parts it keeps what each `validate()` guard
 * produced, for the guard's accessors: in a private field, so the object still compares and
 * serialises as its four parts, and without a `WeakMap` entry per request, which costs an
 * insertion and later work for the garbage collector.
 */
export class RequestInputParts implements RequestInput {
  body: unknown = undefined
  query: unknown = undefined
  params: unknown = undefined
  headers: unknown = undefined
  #records: Map<symbol, unknown> | undefined = undefined

  /** Records what the guard owning `key` produced for the request whose input this is. */
  static record(input: RequestInput, key: symbol, value: unknown): void {
    if (!(#records in input)) {
      const records = foreign.get(input) ?? new Map<symbol, unknown>()
      foreign.set(input, records.set(key, value))
      return
    }
    input.#records ??= new Map()
    input.#records.set(key, value)
  }

  /** What {@link RequestInputParts.record} recorded under `key`, or `undefined`. */
  static recorded(input: Readonly<RequestInput>, key: symbol): unknown {
    return #records in input ? input.#records?.get(key) : foreign.get(input)?.get(key)
  }
}
