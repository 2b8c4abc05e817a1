import { type Problem, problemTypePrefix } from './problem.js'

/**
 * Every reason @sec denies a request for, with its status and title. The `type` of the problem
 * is `urn:sec:problem:<reason>`; both are stable across releases.
 */
export const problemCatalog = {
  'https-redirect': { status: 308, title: 'HTTPS Required' },
  'https-required': { status: 403, title: 'HTTPS Required' },
  'credentials-in-url': { status: 400, title: 'Credentials In URL' },
  'cors-denied': { status: 403, title: 'CORS Request Denied' },
  'body-too-large': { status: 413, title: 'Content Too Large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported Media Type' },
  'invalid-utf8': { status: 400, title: 'Invalid UTF-8' },
  'malformed-json': { status: 400, title: 'Malformed JSON' },
  'forbidden-json-key': { status: 400, title: 'Forbidden JSON Key' },
  'duplicate-json-key': { status: 400, title: 'Duplicate JSON Key' },
  'json-too-complex': { status: 400, title: 'JSON Too Complex' },
  'validation-failed': { status: 400, title: 'Validation Failed' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  'invalid-request': { status: 400, title: 'Invalid Request' },
  'insufficient-scope': { status: 403, title: 'Insufficient Scope' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not Found' },
  'rate-limited': { status: 429, title: 'Too Many Requests' },
  'rate-limit-unavailable': { status: 503, title: 'Rate Limit Unavailable' },
  'auth-unavailable': { status: 503, title: 'Authentication Unavailable' },
  'internal-error': { status: 500, title: 'Internal Server Error' },
} as const satisfies Readonly<Record<string, { status: number; title: string }>>

/** A reason from {@link problemCatalog}. */
export type ProblemReason = keyof typeof problemCatalog

/** Builds the problem for a catalogued reason, with optional detail and safe extensions. */
export function catalogProblem(
  reason: ProblemReason,
  extra?: { readonly detail?: string; readonly [extension: string]: unknown },
): Problem {
  const entry = problemCatalog[reason]
  return { ...extra, type: problemTypePrefix + reason, title: entry.title, status: entry.status }
}
