import type { CaseGroup, ConformanceCase } from '../conformance-case.js'
import { problemBody, problemHeaders } from '../expected.js'

type ValidationError = { readonly location: 'body'; readonly path: string; readonly message: string }

function refused(
  name: string,
  body: string,
  errors: readonly ValidationError[],
  secrets: readonly string[] = [],
): ConformanceCase {
  return {
    name,
    variants: ['direct'],
    request: { method: 'POST', target: '/v1/notes', headers: [['Content-Type', 'application/json']], body },
    expected: {
      status: 400,
      headers: problemHeaders(),
      body: problemBody('validation-failed', 'Validation Failed', 400, { errors }),
    },
    secrets,
  }
}

const tooLongTag = 'tag-value-that-is-far-too-long-for-the-schema'

/** The note schema: strict, bounded, and reported by path without echoing values. */
export const bodyValidationCases: CaseGroup = {
  title: 'body validation',
  cases: [
    refused(
      'an unknown field is refused (400), named by its path, without its value',
      '{"title":"t","body":"b","role":"superuser-requested"}',
      [{ location: 'body', path: '/role', message: 'Unknown field' }],
      ['superuser-requested'],
    ),
    refused(
      'every invalid field is listed by path with a message built from the schema, never with its value',
      `{"title":"","body":424242,"tags":["${tooLongTag}"],"isAdmin":"yes-please"}`,
      [
        { location: 'body', path: '/title', message: 'Invalid min length: expected >=1' },
        { location: 'body', path: '/body', message: 'Expected string' },
        { location: 'body', path: '/tags/0', message: 'Invalid max length: expected <=32' },
        { location: 'body', path: '/isAdmin', message: 'Unknown field' },
      ],
      [tooLongTag, '424242', 'yes-please'],
    ),
    refused('a missing field is Required', '{"body":"b"}', [
      { location: 'body', path: '/title', message: 'Required' },
    ]),
    refused(
      'too many tags are refused',
      JSON.stringify({ title: 't', body: 'b', tags: Array(11).fill('a') }),
      [{ location: 'body', path: '/tags', message: 'Invalid max length: expected <=10' }],
    ),
    refused('a title over 200 characters is refused', JSON.stringify({ title: 'T'.repeat(201), body: 'b' }), [
      { location: 'body', path: '/title', message: 'Invalid max length: expected <=200' },
    ]),
    refused('an empty body is no note', '', [{ location: 'body', path: '', message: 'Required' }]),
  ],
}
