import { catalogProblem, SecProblemError } from '../problem/index.js'

/** Where a rejected key sits: in the body, or in the query string. */
export type InputLocation = 'body' | 'query' | 'params' | 'headers'

/** The body is not UTF-8, or escapes text that UTF-8 cannot carry. */
export function invalidUtf8(detail = 'The body is not valid UTF-8.'): SecProblemError {
  return new SecProblemError(catalogProblem('invalid-utf8', { detail }))
}

/** The body is not JSON. Never carries the parser's message: it can quote the input. */
export function malformedJson(): SecProblemError {
  return new SecProblemError(catalogProblem('malformed-json', { detail: 'The body is not valid JSON.' }))
}

/** The document is nested too deep or holds too many keys or items. */
export function tooComplex(detail: string): SecProblemError {
  return new SecProblemError(catalogProblem('json-too-complex', { detail }))
}

/** A key that could reach an object's prototype (`__proto__`, `constructor`, `prototype`). */
export function forbiddenKey(location: InputLocation, pointer: string, key: string): SecProblemError {
  return new SecProblemError(
    catalogProblem('forbidden-json-key', { detail: `The key "${key}" is not allowed.`, location, pointer }),
  )
}

/** A key repeated in one object: parsers disagree on which value wins, so none does. */
export function duplicateKey(location: InputLocation, pointer: string): SecProblemError {
  return new SecProblemError(
    catalogProblem('duplicate-json-key', {
      detail: 'The key appears more than once in the same object.',
      location,
      pointer,
    }),
  )
}

/** The body's media type or charset is not one the route accepts. */
export function unsupportedMediaType(
  detail: string,
  headers: Readonly<Record<string, string>> | undefined,
): SecProblemError {
  return new SecProblemError(catalogProblem('unsupported-media-type', { detail }), headers)
}
