import type { CaseGroup } from '../conformance-case.js'
import { problemBody, problemHeaders } from '../expected.js'

const detail =
  'Credentials must not be sent in the URL, where logs, proxies and browser history keep them. Send them in a header such as Authorization, or in the body.'

/** Credentials in the query string are refused, without echoing them. */
export const urlCredentialsCases: CaseGroup = {
  title: 'credentials in the URL',
  cases: [
    {
      name: '?access_token= is refused (400) without echoing its value',
      variants: ['direct', 'proxied'],
      request: { target: '/v1/whoami?access_token=sk_live_c0nf0rmance' },
      expected: {
        status: 400,
        headers: problemHeaders(),
        body: problemBody('credentials-in-url', 'Credentials In URL', 400, {
          detail,
          parameters: ['access_token'],
        }),
      },
      secrets: ['sk_live_c0nf0rmance'],
    },
    {
      name: 'every credential parameter is named as listed, never with its value or the caller spelling',
      variants: ['direct'],
      request: { target: '/v1/notes/n_known?page=2&API_KEY=k-9f8e7d6c&user%5Bpassword%5D=hunter3' },
      expected: {
        status: 400,
        headers: problemHeaders(),
        body: problemBody('credentials-in-url', 'Credentials In URL', 400, {
          detail,
          parameters: ['api_key', 'password'],
        }),
      },
      secrets: ['k-9f8e7d6c', 'hunter3', 'API_KEY'],
    },
  ],
}
