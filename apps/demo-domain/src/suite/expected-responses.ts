import { securityHeaders } from '@sec/testkit'
import { expect } from 'vitest'

/** The security headers of `headers('api')`, on every response: the conformance suite's own. */
export const apiSecurityHeaders = securityHeaders

/** The headers of a JSON answer from a handler. */
export const jsonHeaders = {
  ...apiSecurityHeaders,
  vary: 'Origin',
  'content-type': 'application/json; charset=utf-8',
}
/** The headers of an answer without a body (204). */
export const emptyHeaders = { ...apiSecurityHeaders, vary: 'Origin' }
/** The headers of a problem. */
export const problemHeaders = {
  ...apiSecurityHeaders,
  vary: 'Origin',
  'content-type': 'application/problem+json',
}
/** What `https()` adds to a request that came over HTTPS (through the trusted proxy). */
export const hsts = { 'strict-transport-security': 'max-age=31536000; includeSubDomains' }

/**
 * The rate-limit headers of a `/v1/*` response to an anonymous client (no credential, or a refused
 * one), such as the direct client (`127.0.0.1`, no forwarding headers) of the tests that are not
 * about rate limits: the policy is exact; how many requests remain and when the bucket is full
 * again depend on the tests before (and on the time they took), so only their form is checked.
 */
export const anonymousLimits = {
  'ratelimit-policy': '"api";q=60;w=60',
  ratelimit: expect.stringMatching(/^"api";r=\d{1,2};t=\d{1,2}$/),
  'x-ratelimit-limit': '60',
  'x-ratelimit-remaining': expect.stringMatching(/^\d{1,2}$/),
  'x-ratelimit-reset': expect.stringMatching(/^\d{1,2}$/),
}

/**
 * The rate-limit headers of a request authenticated as a demo user (by access token or API key):
 * 300 a minute per user, wherever it comes from. Every test of a user shares the bucket, so only
 * the form of what remains is checked.
 */
export const userLimits = {
  'ratelimit-policy': '"api-user";q=300;w=60',
  ratelimit: expect.stringMatching(/^"api-user";r=\d{1,3};t=\d{1,2}$/),
  'x-ratelimit-limit': '300',
  'x-ratelimit-remaining': expect.stringMatching(/^\d{1,3}$/),
  'x-ratelimit-reset': expect.stringMatching(/^\d{1,2}$/),
}

/** A JSON answer to an anonymous client of `/v1/*`. */
export const limitedJsonHeaders = { ...jsonHeaders, ...anonymousLimits }
/** A problem answered to an anonymous client of `/v1/*`. */
export const limitedProblemHeaders = { ...problemHeaders, ...anonymousLimits }
/** A JSON answer to a signed-in user (or their API key). */
export const userJsonHeaders = { ...jsonHeaders, ...userLimits }
/** A problem answered to a signed-in user (or their API key). */
export const userProblemHeaders = { ...problemHeaders, ...userLimits }
/** A 204 answered to a signed-in user (or their API key). */
export const userEmptyHeaders = { ...emptyHeaders, ...userLimits }

/** The headers of the app-wide limit (60 a minute per client IP) alone. */
export function apiLimit(remaining: number, reset: number) {
  return {
    'ratelimit-policy': '"api";q=60;w=60',
    ratelimit: `"api";r=${remaining};t=${reset}`,
    'x-ratelimit-limit': '60',
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': String(reset),
  }
}

/**
 * The headers of a search by a user: their app-wide limit (its numbers depend on the tests before)
 * and the search limit (10 a minute per client IP), whose lower remaining count the
 * `X-RateLimit-*` headers report.
 */
export function searchLimits(remaining: number, reset: number) {
  return {
    'ratelimit-policy': '"api-user";q=300;w=60, "search";q=10;w=60',
    ratelimit: expect.stringMatching(
      new RegExp(`^"api-user";r=\\d{1,3};t=\\d{1,2}, "search";r=${remaining};t=${reset}$`),
    ),
    'x-ratelimit-limit': '10',
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': String(reset),
  }
}

/**
 * The headers of a sign-in from a client: the app-wide limit of its IP and the login limit (20
 * attempts per 15 minutes per IP), whose lower remaining count the `X-RateLimit-*` headers report.
 */
export function loginLimits(
  api: [remaining: number, reset: number],
  login: [remaining: number, reset: number],
) {
  return {
    'ratelimit-policy': '"api";q=60;w=60, "login-ip";q=20;w=900',
    ratelimit: `"api";r=${api[0]};t=${api[1]}, "login-ip";r=${login[0]};t=${login[1]}`,
    'x-ratelimit-limit': '20',
    'x-ratelimit-remaining': String(login[0]),
    'x-ratelimit-reset': String(login[1]),
  }
}

/** The 429 of every rate limit, sign-in lockouts included. */
export const tooManyRequests =
  '{"detail":"Too many requests. Wait for the number of seconds in Retry-After before retrying.","type":"urn:sec:problem:rate-limited","title":"Too Many Requests","status":429}'

/** The 404 of a note or API key that does not exist, or that the caller may not see: the same. */
export const notFound = '{"type":"urn:sec:problem:not-found","title":"Not Found","status":404}'

/** The 404 of a path no route serves. */
export const pathNotFound = '{"type":"about:blank","title":"Not Found","status":404}'

/** The 401 of a route that needs a caller, to a request without credentials. */
export const tokenRequired =
  '{"detail":"This resource needs an access token: Authorization: Bearer <token>.","type":"urn:sec:problem:unauthorized","title":"Unauthorized","status":401}'

/** The 401 of an access token that fails any check. */
export const tokenInvalid =
  '{"detail":"The access token is not valid.","type":"urn:sec:problem:unauthorized","title":"Unauthorized","status":401}'

/** The 401 of a failed sign-in, whichever of username and password was wrong. */
export const wrongCredentials =
  '{"detail":"The username or password is not correct.","type":"urn:sec:problem:unauthorized","title":"Unauthorized","status":401}'

/** The 401 of a refresh token that is not accepted. */
export const refreshRefused =
  '{"detail":"The refresh token is not valid.","type":"urn:sec:problem:unauthorized","title":"Unauthorized","status":401}'

/** The 400 of a validation guard with one error. */
export function validationFailed(location: string, path: string, message: string): string {
  return `{"errors":[{"location":"${location}","path":"${path}","message":"${message}"}],"type":"urn:sec:problem:validation-failed","title":"Validation Failed","status":400}`
}

/** A note id, as the store makes them. */
export const noteIdPattern = /^n_[A-Za-z0-9_-]{22}$/
/** An ISO 8601 UTC timestamp, as the demo writes them. */
export const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/
