import type { CaseGroup } from '../conformance-case.js'
import { hsts, jsonHeaders, problemBody, problemHeaders } from '../expected.js'

const viaPlainHttpProxy = [
  ['X-Forwarded-For', '203.0.113.7'],
  ['X-Forwarded-Proto', 'http'],
] as const

const redirectBody = problemBody('https-redirect', 'HTTPS Required', 308, {
  detail: 'This API is served over HTTPS only. Repeat the request at the Location given.',
})
const requiredBody = problemBody('https-required', 'HTTPS Required', 403, {
  detail: 'This API is served over HTTPS only. Send the request over HTTPS.',
})

/** HTTPS enforcement behind a proxy, and HSTS. */
export const httpsCases: CaseGroup = {
  title: 'HTTPS',
  cases: [
    {
      name: 'a GET that reached the proxy over http is redirected (308) to the same target over https',
      variants: ['proxied'],
      request: { target: '/v1/whoami?view=full&x=1', headers: viaPlainHttpProxy },
      expected: {
        status: 308,
        headers: problemHeaders({ location: 'https://api.example.com/v1/whoami?view=full&x=1' }),
        body: redirectBody,
      },
    },
    {
      name: 'the redirect goes to the host without the plain-http port',
      variants: ['proxied'],
      request: { target: '/health', headers: [['Host', 'API.example.com:8080'], ...viaPlainHttpProxy] },
      expected: {
        status: 308,
        headers: problemHeaders({ location: 'https://api.example.com/health' }),
        body: redirectBody,
      },
    },
    {
      name: 'a GET over http with an invalid Host is refused (403) without a Location',
      variants: ['proxied'],
      request: {
        target: '/health',
        headers: [['Host', 'api.example.com@evil.example'], ...viaPlainHttpProxy],
      },
      expected: { status: 403, headers: problemHeaders(), body: requiredBody },
    },
    {
      name: 'a GET over http with an invalid X-Forwarded-Host is refused (403) without a Location',
      variants: ['proxied'],
      request: {
        target: '/health',
        headers: [...viaPlainHttpProxy, ['X-Forwarded-Host', 'evil.example/phish']],
      },
      expected: { status: 403, headers: problemHeaders(), body: requiredBody },
    },
    {
      name: 'a POST over http is refused (403) before its body is read',
      variants: ['proxied'],
      request: {
        method: 'POST',
        target: '/v1/notes',
        headers: [...viaPlainHttpProxy, ['Content-Type', 'application/json']],
        body: '{"title":"t","body":"b"}',
      },
      expected: { status: 403, headers: problemHeaders(), body: requiredBody },
    },
    {
      name: 'a request that reached the proxy over https gets Strict-Transport-Security',
      variants: ['proxied'],
      request: {
        target: '/health',
        headers: [
          ['X-Forwarded-For', '203.0.113.7'],
          ['X-Forwarded-Proto', 'https'],
        ],
      },
      expected: { status: 200, headers: jsonHeaders(hsts), body: '{"status":"ok"}' },
    },
    {
      name: 'a direct plain-http request from loopback is served, without Strict-Transport-Security',
      variants: ['direct', 'proxied'],
      request: { target: '/health' },
      expected: { status: 200, headers: jsonHeaders(), body: '{"status":"ok"}' },
    },
    {
      name: 'a denial over https also carries Strict-Transport-Security',
      variants: ['proxied'],
      request: {
        target: '/v1/does-not-exist',
        headers: [
          ['X-Forwarded-For', '203.0.113.7'],
          ['X-Forwarded-Proto', 'https'],
        ],
      },
      expected: {
        status: 404,
        headers: problemHeaders(hsts),
        body: JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404 }),
      },
    },
  ],
}
