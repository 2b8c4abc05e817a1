import { conformanceTokens } from '../../app/conformance-credentials.js'
import { bothVariants, type CaseGroup, type ConformanceCase } from '../conformance-case.js'
import { bearerInvalid, bearerMissing, emptyHeaders, problemBody, problemHeaders } from '../expected.js'

const { alice, bob, admin } = conformanceTokens

/** What `authorize()` answers for an unknown note and for one the caller may not see: the same. */
const noteNotFound = {
  status: 404,
  headers: problemHeaders(),
  body: problemBody('not-found', 'Not Found', 404),
}

const deleted = { status: 204, headers: emptyHeaders(), body: '' }

/** `DELETE /v1/notes/<id>`, with `token` as a bearer credential when given. */
function deleteNote(
  name: string,
  id: string,
  token: string | undefined,
  expected: ConformanceCase['expected'],
): ConformanceCase {
  return {
    name,
    variants: bothVariants,
    request: {
      method: 'DELETE',
      target: `/v1/notes/${id}`,
      headers: token === undefined ? [] : [['Authorization', `Bearer ${token}`]],
    },
    expected,
    secrets: token === undefined ? [] : [token],
  }
}

/**
 * Authorization on `DELETE /v1/notes/:id` (scope `notes:write`, then the notes policy): the owner
 * or an admin may delete; a note the caller may not see answers exactly like an unknown id.
 */
export const authorizationCases: CaseGroup = {
  title: 'authorization',
  cases: [
    deleteNote('the owner deletes their note: 204 without a body', 'n_alice', alice, deleted),
    deleteNote("an admin deletes another user's note: 204", 'n_bob', admin, deleted),
    deleteNote("another user's note is a 404 not-found problem, not a 403", 'n_bob', alice, noteNotFound),
    deleteNote('an unknown note is the identical 404', 'n_missing', alice, noteNotFound),
    deleteNote(
      'a user holding notes:write still gets the 404 for a note that is not theirs',
      'n_alice',
      bob,
      noteNotFound,
    ),
    deleteNote(
      'no token is a 401 challenge, before the note is looked up',
      'n_alice',
      undefined,
      bearerMissing(),
    ),
    deleteNote(
      'authentication comes before params validation: a malformed id without a token is a 401',
      'bad!id',
      undefined,
      bearerMissing(),
    ),
    deleteNote(
      'an expired token is a 401 invalid_token',
      'n_alice',
      conformanceTokens.expired,
      bearerInvalid,
    ),
    {
      ...deleteNote('a malformed id with a valid token is refused (400) before any lookup', 'bad!id', alice, {
        status: 400,
        headers: problemHeaders(),
        body: problemBody('validation-failed', 'Validation Failed', 400, {
          errors: [
            { location: 'params', path: '/id', message: 'Invalid regex: expected /^n_[A-Za-z0-9_-]{1,64}$/' },
          ],
        }),
      }),
      secrets: [alice, 'bad!id'],
    },
  ],
}
