import { conformanceApiKeys } from '../../app/conformance-credentials.js'
import type { HeaderLines } from '../../client/send-request.js'
import { bothVariants, type CaseGroup, type ConformanceCase } from '../conformance-case.js'
import { apiKeyChallenge, credentialsInUrl, jsonHeaders, problemBody, problemHeaders } from '../expected.js'

const { live } = conformanceApiKeys

const missingKey = {
  status: 401,
  headers: problemHeaders(apiKeyChallenge()),
  body: problemBody('unauthorized', 'Unauthorized', 401, {
    detail: 'An API key is required in the X-API-Key header.',
  }),
}

const invalidKey = {
  status: 401,
  headers: problemHeaders(apiKeyChallenge(', error="invalid_token"')),
  body: problemBody('unauthorized', 'Unauthorized', 401, { detail: 'The API key is not valid.' }),
}

/** The live key with its last checksum character changed: a typo the checksum catches. */
const mistyped = `${live.slice(0, -1)}${live.endsWith('A') ? 'B' : 'A'}`

/** `GET /v1/machine` (or `target`) with these header lines. */
function machine(
  name: string,
  headers: HeaderLines,
  expected: ConformanceCase['expected'],
  secrets: readonly string[],
  target = '/v1/machine',
): ConformanceCase {
  return { name, variants: bothVariants, request: { target, headers }, expected, secrets }
}

/** API keys in `X-API-Key` on `GET /v1/machine`, which needs the scope `notes:read`; the deployment is live. */
export const apiKeyCases: CaseGroup = {
  title: 'API keys',
  cases: [
    machine('no key is a 401 challenge naming the header', [], missingKey, []),
    machine('a value that is no key is a 401', [['X-API-Key', 'not-a-key']], invalidKey, ['not-a-key']),
    machine('a key with a wrong checksum is the same 401', [['X-API-Key', mistyped]], invalidKey, [
      mistyped,
      live.slice(8, 20),
    ]),
    machine(
      'a key of the test environment is the same 401 on the live deployment',
      [['X-API-Key', conformanceApiKeys.testEnvironment]],
      invalidKey,
      [conformanceApiKeys.testEnvironment, 'environment'],
    ),
    machine(
      'a publishable key authenticates nothing: the same 401',
      [['X-API-Key', conformanceApiKeys.publishable]],
      invalidKey,
      [conformanceApiKeys.publishable, 'publishable'],
    ),
    machine(
      'two X-API-Key lines are not one key: the same 401',
      [
        ['X-API-Key', live],
        ['X-API-Key', live],
      ],
      invalidKey,
      [live],
    ),
    machine(
      'a valid key without the scope the route needs is a 403 insufficient_scope naming it',
      [['X-API-Key', conformanceApiKeys.unscoped]],
      {
        status: 403,
        headers: problemHeaders(apiKeyChallenge(', error="insufficient_scope", scope="notes:read"')),
        body: problemBody('insufficient-scope', 'Insufficient Scope', 403, {
          detail: 'The API key lacks a scope this request needs.',
        }),
      },
      [conformanceApiKeys.unscoped],
    ),
    machine(
      'a valid key with the scope is served, as its owner',
      [['X-API-Key', live]],
      {
        status: 200,
        headers: jsonHeaders(),
        body: JSON.stringify({ id: 'svc_reports', kind: 'api-key', scopes: ['notes:read'] }),
      },
      [live],
    ),
    machine(
      'a key as a bearer token is not read: the route takes X-API-Key only',
      [['Authorization', `Bearer ${live}`]],
      missingKey,
      [live],
    ),
    machine(
      'a key in the query string is refused (400), even beside a valid key in the header',
      [['X-API-Key', live]],
      {
        status: 400,
        headers: problemHeaders(apiKeyChallenge(', error="invalid_request"')),
        body: problemBody('invalid-request', 'Invalid Request', 400, {
          detail:
            'API keys are accepted in the X-API-Key header only, never in the URL. A key sent in a URL may be logged: rotate it.',
        }),
      },
      [live],
      `/v1/machine?key=${live}`,
    ),
    machine(
      'a key in ?api_key= is refused by the app-wide guard before the route runs',
      [],
      credentialsInUrl(['api_key']),
      [live],
      `/v1/machine?api_key=${live}`,
    ),
  ],
}
