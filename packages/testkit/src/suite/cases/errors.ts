import { boomSecret } from '../../app/conformance-app.js'
import type { CaseGroup } from '../conformance-case.js'
import { correlationIdPlaceholder, problemBody, problemHeaders, statusBody } from '../expected.js'

/** Framework errors: an unknown path and a handler that throws. */
export const errorCases: CaseGroup = {
  title: 'errors',
  cases: [
    {
      name: 'an unknown path is a 404 about:blank problem',
      variants: ['direct', 'proxied'],
      request: { target: '/v1/does-not-exist?x=1' },
      expected: { status: 404, headers: problemHeaders(), body: statusBody(404, 'Not Found') },
    },
    {
      name: 'a handler that throws gives a 500 problem with only a correlation id: no message, no stack',
      variants: ['direct', 'proxied'],
      request: { target: '/v1/boom' },
      expected: {
        status: 500,
        headers: problemHeaders(),
        body: problemBody('internal-error', 'Internal Server Error', 500, {
          correlationId: correlationIdPlaceholder,
        }),
      },
      secrets: [boomSecret, 'hunter2', 'database', 'stack'],
    },
  ],
}
