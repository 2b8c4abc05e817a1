import type { CaseGroup } from '../conformance-case.js'
import { appHost, hsts, jsonHeaders } from '../expected.js'

function whoami(ip: string, ipKey: string, protocol: 'http' | 'https', host: string = appHost): string {
  return JSON.stringify({ ip, ipKey, protocol, host })
}

/** Who the client is: forwarding headers ignored from an untrusted peer, honoured from a trusted proxy. */
export const clientIdentityCases: CaseGroup = {
  title: 'client identity',
  cases: [
    {
      name: 'a direct client that forges X-Forwarded-For, -Proto and -Host is still the socket peer, over http',
      variants: ['direct'],
      request: {
        target: '/v1/whoami',
        headers: [
          ['X-Forwarded-For', '203.0.113.7'],
          ['X-Forwarded-Proto', 'https'],
          ['X-Forwarded-Host', 'evil.example'],
        ],
      },
      expected: { status: 200, headers: jsonHeaders(), body: whoami('127.0.0.1', '127.0.0.1', 'http') },
    },
    {
      name: 'a direct client that forges Forwarded is still the socket peer, over http',
      variants: ['direct'],
      request: {
        target: '/v1/whoami',
        headers: [['Forwarded', 'for=203.0.113.7;proto=https;host=evil.example']],
      },
      expected: { status: 200, headers: jsonHeaders(), body: whoami('127.0.0.1', '127.0.0.1', 'http') },
    },
    {
      name: 'a loopback client without forwarding headers is served directly over http, without HSTS',
      variants: ['direct', 'proxied'],
      request: { target: '/v1/whoami' },
      expected: { status: 200, headers: jsonHeaders(), body: whoami('127.0.0.1', '127.0.0.1', 'http') },
    },
    {
      name: 'X-Forwarded-For is read from the right, past the trusted loopback hops only',
      variants: ['proxied'],
      request: {
        target: '/v1/whoami',
        headers: [
          ['X-Forwarded-For', '198.51.100.66, 203.0.113.7, 127.0.0.1'],
          ['X-Forwarded-Proto', 'https'],
        ],
      },
      expected: {
        status: 200,
        headers: jsonHeaders(hsts),
        body: whoami('203.0.113.7', '203.0.113.7', 'https'),
      },
    },
    {
      name: 'repeated X-Forwarded-For lines are one list, its last element nearest',
      variants: ['proxied'],
      request: {
        target: '/v1/whoami',
        headers: [
          ['X-Forwarded-For', '198.51.100.66'],
          ['X-Forwarded-For', '203.0.113.7'],
          ['X-Forwarded-Proto', 'https'],
        ],
      },
      expected: {
        status: 200,
        headers: jsonHeaders(hsts),
        body: whoami('203.0.113.7', '203.0.113.7', 'https'),
      },
    },
    {
      name: 'an IPv6 client is normalized and keyed by its /64',
      variants: ['proxied'],
      request: {
        target: '/v1/whoami',
        headers: [
          ['X-Forwarded-For', '2001:DB8:1:2:3:4:5:6'],
          ['X-Forwarded-Proto', 'https'],
        ],
      },
      expected: {
        status: 200,
        headers: jsonHeaders(hsts),
        body: whoami('2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64', 'https'),
      },
    },
    {
      name: 'an IPv4-mapped IPv6 client is the IPv4 address',
      variants: ['proxied'],
      request: {
        target: '/v1/whoami',
        headers: [
          ['X-Forwarded-For', '::ffff:203.0.113.7'],
          ['X-Forwarded-Proto', 'https'],
        ],
      },
      expected: {
        status: 200,
        headers: jsonHeaders(hsts),
        body: whoami('203.0.113.7', '203.0.113.7', 'https'),
      },
    },
    {
      name: 'RFC 7239 Forwarded gives a bracketed IPv6 client with a port, and the scheme',
      variants: ['proxied'],
      request: { target: '/v1/whoami', headers: [['Forwarded', 'for="[2001:db8::1]:4711";proto=https']] },
      expected: {
        status: 200,
        headers: jsonHeaders(hsts),
        body: whoami('2001:db8::1', '2001:db8::/64', 'https'),
      },
    },
    {
      name: "a trusted proxy's X-Forwarded-Host is the host, lower-cased",
      variants: ['proxied'],
      request: {
        target: '/v1/whoami',
        headers: [
          ['X-Forwarded-For', '203.0.113.7'],
          ['X-Forwarded-Proto', 'https'],
          ['X-Forwarded-Host', 'Notes.Example.COM'],
        ],
      },
      expected: {
        status: 200,
        headers: jsonHeaders(hsts),
        body: whoami('203.0.113.7', '203.0.113.7', 'https', 'notes.example.com'),
      },
    },
  ],
}
