import type { CaseGroup } from '../conformance-case.js'
import { credentialsInUrl } from '../expected.js'

/** Credentials in the query string are refused, without echoing them. */
export const urlCredentialsCases: CaseGroup = {
  title: 'credentials in the URL',
  cases: [
    {
      name: '?access_token= is refused (400) without echoing its value',
      variants: ['direct', 'proxied'],
      request: { target: '/v1/whoami?access_token=sk_live_c0nf0rmance' },
      expected: credentialsInUrl(['access_token']),
      secrets: ['sk_live_c0nf0rmance'],
    },
    {
      name: 'every credential parameter is named as listed, never with its value or the caller spelling',
      variants: ['direct'],
      request: { target: '/v1/notes/n_known?page=2&API_KEY=k-9f8e7d6c&user%5Bpassword%5D=hunter3' },
      expected: credentialsInUrl(['api_key', 'password']),
      secrets: ['k-9f8e7d6c', 'hunter3', 'API_KEY'],
    },
  ],
}
