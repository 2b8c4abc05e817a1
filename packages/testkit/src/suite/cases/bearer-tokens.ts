import { conformanceTokens } from '../../app/conformance-credentials.js'
import type { HeaderLines } from '../../client/send-request.js'
import { bothVariants, type CaseGroup, type ConformanceCase } from '../conformance-case.js'
import {
  allowedOrigin,
  allowedPreflightHeaders,
  bearerInsufficientScope,
  bearerInvalid,
  bearerMalformed,
  bearerMissing,
  corsActual,
  credentialsInUrl,
  jsonHeaders,
} from '../expected.js'

const { alice, bob } = conformanceTokens

const aliceServed = {
  status: 200,
  headers: jsonHeaders(),
  body: JSON.stringify({ id: 'alice', kind: 'user', scopes: ['notes:read', 'notes:write'] }),
}

/** `GET /v1/private` (or `target`) with these header lines. */
function readPrivate(
  name: string,
  headers: HeaderLines,
  expected: ConformanceCase['expected'],
  secrets: readonly string[] = [],
  target = '/v1/private',
): ConformanceCase {
  return { name, variants: bothVariants, request: { target, headers }, expected, secrets }
}

/** Bearer access tokens (RFC 6750) on `GET /v1/private`, which needs the scope `notes:read`. */
export const bearerTokenCases: CaseGroup = {
  title: 'bearer tokens',
  cases: [
    readPrivate('no Authorization header is a 401 challenge without an error code', [], bearerMissing()),
    readPrivate(
      'another scheme (Basic) is no bearer credential: the same 401 challenge',
      [['Authorization', 'Basic YWxpY2U6aHVudGVyMg==']],
      bearerMissing(),
      ['YWxpY2U6aHVudGVyMg==', 'hunter2'],
    ),
    readPrivate(
      'a token that is no JWT is a 401 invalid_token',
      [['Authorization', 'Bearer g4rbage-t0ken']],
      bearerInvalid,
      ['g4rbage-t0ken'],
    ),
    readPrivate(
      'an expired token is the same 401 invalid_token',
      [['Authorization', `Bearer ${conformanceTokens.expired}`]],
      bearerInvalid,
      [conformanceTokens.expired, 'expired'],
    ),
    readPrivate(
      'an unsigned token (alg: none) is the same 401 invalid_token',
      [['Authorization', `Bearer ${conformanceTokens.algNone}`]],
      bearerInvalid,
      [conformanceTokens.algNone, 'algorithm', 'unsigned'],
    ),
    readPrivate(
      'a token signed with another key under the issuer kid is the same 401 invalid_token',
      [['Authorization', `Bearer ${conformanceTokens.foreignKey}`]],
      bearerInvalid,
      [conformanceTokens.foreignKey, 'signature', 'conformance-1'],
    ),
    readPrivate(
      'a token for another audience is the same 401 invalid_token',
      [['Authorization', `Bearer ${conformanceTokens.wrongAudience}`]],
      bearerInvalid,
      [conformanceTokens.wrongAudience, 'audience', 'other-api'],
    ),
    readPrivate(
      '"Bearer" without a token is a 400 invalid_request',
      [['Authorization', 'Bearer']],
      bearerMalformed,
    ),
    readPrivate(
      'a token followed by more text is a 400 invalid_request',
      [['Authorization', `Bearer ${alice} extra`]],
      bearerMalformed,
      [alice],
    ),
    readPrivate(
      'two credentials in one Authorization line are a 400 invalid_request',
      [['Authorization', `Bearer ${alice}, Bearer ${bob}`]],
      bearerMalformed,
      [alice, bob],
    ),
    {
      ...readPrivate(
        'two Authorization lines are a 400 invalid_request, whichever token comes first',
        [
          ['Authorization', `Bearer ${alice}`],
          ['Authorization', `Bearer ${bob}`],
        ],
        bearerMalformed,
        [alice, bob],
      ),
      expectedFirstLineOnly: aliceServed,
    },
    readPrivate(
      'a valid token without the scope the route needs is a 403 insufficient_scope naming it',
      [['Authorization', `Bearer ${bob}`]],
      bearerInsufficientScope('notes:read'),
      [bob],
    ),
    readPrivate(
      'a valid token with the scope is served, as its subject',
      [['Authorization', `Bearer ${alice}`]],
      aliceServed,
      [alice],
    ),
    readPrivate('the scheme name is case-insensitive', [['Authorization', `bEaReR ${alice}`]], aliceServed, [
      alice,
    ]),
    readPrivate(
      'a valid token in the query string authenticates nothing: refused (400), never echoed',
      [],
      credentialsInUrl(['access_token']),
      [alice],
      `/v1/private?access_token=${alice}`,
    ),
    readPrivate(
      'a 401 to a request from the allowed origin carries the CORS headers, so the page can read it',
      [['Origin', allowedOrigin]],
      bearerMissing(corsActual),
    ),
    {
      name: 'a preflight to a protected route needs no token: 204',
      variants: bothVariants,
      request: {
        method: 'OPTIONS',
        target: '/v1/private',
        headers: [
          ['Origin', allowedOrigin],
          ['Access-Control-Request-Method', 'GET'],
          ['Access-Control-Request-Headers', 'authorization'],
        ],
      },
      expected: { status: 204, headers: allowedPreflightHeaders, body: '' },
    },
  ],
}
