import type { CaseGroup } from '../conformance-case.js'
import { jsonHeaders, problemBody, problemHeaders, statusBody } from '../expected.js'

/** Route params: validated before the handler runs; a missing resource is a bare 404. */
export const paramsCases: CaseGroup = {
  title: 'params validation',
  cases: [
    {
      name: 'a known note is served',
      variants: ['direct', 'proxied'],
      request: { target: '/v1/notes/n_known' },
      expected: { status: 200, headers: jsonHeaders(), body: '{"id":"n_known"}' },
    },
    {
      name: 'a missing note is a 404 about:blank problem, whatever the error said',
      variants: ['direct', 'proxied'],
      request: { target: '/v1/notes/n_missing' },
      expected: { status: 404, headers: problemHeaders(), body: statusBody(404, 'Not Found') },
      secrets: ['No note'],
    },
    {
      name: 'an id that does not match the pattern is refused (400) before the handler runs',
      variants: ['direct'],
      request: { target: '/v1/notes/bad!id' },
      expected: {
        status: 400,
        headers: problemHeaders(),
        body: problemBody('validation-failed', 'Validation Failed', 400, {
          errors: [
            { location: 'params', path: '/id', message: 'Invalid regex: expected /^n_[A-Za-z0-9_-]{1,64}$/' },
          ],
        }),
      },
      secrets: ['bad!id'],
    },
  ],
}
