import type { CaseGroup } from '../conformance-case.js'
import {
  allowedOrigin,
  allowedPreflightHeaders,
  corsActual,
  jsonHeaders,
  problemBody,
  problemHeaders,
  varyPreflight,
} from '../expected.js'

const whoamiBody = JSON.stringify({
  ip: '127.0.0.1',
  ipKey: '127.0.0.1',
  protocol: 'http',
  host: 'api.example.com',
})

function refusedPreflight(detail: string) {
  return {
    status: 403,
    headers: problemHeaders(varyPreflight),
    body: problemBody('cors-denied', 'CORS Request Denied', 403, { detail }),
  }
}

const refusedOrigin = 'This origin may not make cross-origin requests here.'

/** CORS: actual requests and preflights, from allowed and refused origins. */
export const corsCases: CaseGroup = {
  title: 'CORS',
  cases: [
    {
      name: 'an actual request from the allowed origin gets its origin, credentials and exposed headers',
      variants: ['direct'],
      request: { target: '/v1/whoami', headers: [['Origin', allowedOrigin]] },
      expected: { status: 200, headers: jsonHeaders(corsActual), body: whoamiBody },
    },
    {
      name: 'an actual request from another origin is served without Access-Control-* headers',
      variants: ['direct'],
      request: { target: '/v1/whoami', headers: [['Origin', 'https://evil.example']] },
      expected: { status: 200, headers: jsonHeaders(), body: whoamiBody },
    },
    {
      name: 'an actual request from Origin: null is served without Access-Control-* headers',
      variants: ['direct'],
      request: { target: '/v1/whoami', headers: [['Origin', 'null']] },
      expected: { status: 200, headers: jsonHeaders(), body: whoamiBody },
    },
    {
      name: 'two Origin lines are not one allowed origin',
      variants: ['direct'],
      request: {
        target: '/v1/whoami',
        headers: [
          ['Origin', allowedOrigin],
          ['Origin', allowedOrigin],
        ],
      },
      expected: { status: 200, headers: jsonHeaders(), body: whoamiBody },
    },
    {
      name: 'a preflight from the allowed origin for an allowed method and header is answered 204',
      variants: ['direct', 'proxied'],
      request: {
        method: 'OPTIONS',
        target: '/v1/notes',
        headers: [
          ['Origin', allowedOrigin],
          ['Access-Control-Request-Method', 'POST'],
          ['Access-Control-Request-Headers', 'content-type'],
        ],
      },
      expected: { status: 204, headers: allowedPreflightHeaders, body: '' },
    },
    {
      name: 'a preflight to a path no route serves is answered by the app-wide guard',
      variants: ['direct'],
      request: {
        method: 'OPTIONS',
        target: '/v1/nowhere',
        headers: [
          ['Origin', allowedOrigin],
          ['Access-Control-Request-Method', 'GET'],
        ],
      },
      expected: { status: 204, headers: allowedPreflightHeaders, body: '' },
    },
    {
      name: 'a preflight from another origin is refused with a problem and no Access-Control-* headers',
      variants: ['direct'],
      request: {
        method: 'OPTIONS',
        target: '/v1/notes',
        headers: [
          ['Origin', 'https://evil.example'],
          ['Access-Control-Request-Method', 'POST'],
        ],
      },
      expected: refusedPreflight(refusedOrigin),
    },
    {
      name: 'a preflight from Origin: null is refused',
      variants: ['direct'],
      request: {
        method: 'OPTIONS',
        target: '/v1/notes',
        headers: [
          ['Origin', 'null'],
          ['Access-Control-Request-Method', 'POST'],
        ],
      },
      expected: refusedPreflight(refusedOrigin),
    },
    {
      name: 'a preflight for a method not allowed is refused',
      variants: ['direct'],
      request: {
        method: 'OPTIONS',
        target: '/v1/notes',
        headers: [
          ['Origin', allowedOrigin],
          ['Access-Control-Request-Method', 'DELETE'],
        ],
      },
      expected: refusedPreflight('The requested method is not allowed in cross-origin requests.'),
    },
    {
      name: 'a preflight for a header not allowed is refused',
      variants: ['direct'],
      request: {
        method: 'OPTIONS',
        target: '/v1/notes',
        headers: [
          ['Origin', allowedOrigin],
          ['Access-Control-Request-Method', 'POST'],
          ['Access-Control-Request-Headers', 'content-type, x-api-key'],
        ],
      },
      expected: refusedPreflight('A requested header is not allowed in cross-origin requests.'),
    },
  ],
}
