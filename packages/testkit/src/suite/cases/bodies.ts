import type { CaseGroup, ConformanceCase } from '../conformance-case.js'
import { jsonHeaders, problemBody, problemHeaders } from '../expected.js'

const json = [['Content-Type', 'application/json']] as const

function postNote(
  name: string,
  body: string | Uint8Array,
  expected: ConformanceCase['expected'],
  extra: Partial<ConformanceCase['request']> = {},
): ConformanceCase {
  return {
    name,
    variants: ['direct'],
    request: { method: 'POST', target: '/v1/notes', headers: json, body, ...extra },
    expected,
  }
}

function bad(reason: string, title: string, extensions: Readonly<Record<string, unknown>>) {
  return { status: 400, headers: problemHeaders(), body: problemBody(reason, title, 400, extensions) }
}

const tooLarge = {
  status: 413,
  headers: problemHeaders(),
  body: problemBody('body-too-large', 'Content Too Large', 413, { detail: 'The body exceeds 65536 bytes.' }),
}

const note = '{"title":"Groceries","body":"Milk, eggs","tags":["home"]}'
/** A valid note padded with spaces to exactly the 64 KiB limit. */
const noteAtLimit = `${note}${' '.repeat(65_536 - note.length)}`
/** A valid note one byte over the limit. */
const noteOverLimit = `${noteAtLimit} `
const largeUpload = `{"title":"big","body":"${'x'.repeat(70_000)}"}`

const invalidUtf8 = new Uint8Array([
  ...new TextEncoder().encode('{"title":"caf'),
  0xc3,
  0x28,
  ...new TextEncoder().encode('","body":""}'),
])

function nested(depth: number): string {
  return `{"title":"t","body":"b","tags":${'['.repeat(depth)}${']'.repeat(depth)}}`
}

/** Request bodies: size, media type, encoding, JSON syntax and structure. */
export const bodyCases: CaseGroup = {
  title: 'bodies',
  cases: [
    postNote('a valid note is created (201) and echoed as validated', note, {
      status: 201,
      headers: jsonHeaders(),
      body: note,
    }),
    postNote(
      'a note with charset=utf-8 and fields in another order is echoed in the schema order',
      '{"body":"Milk","title":"Groceries"}',
      { status: 201, headers: jsonHeaders(), body: '{"title":"Groceries","body":"Milk"}' },
      { headers: [['Content-Type', 'application/json; charset=utf-8']] },
    ),
    postNote('a body of exactly 64 KiB is read', noteAtLimit, {
      status: 201,
      headers: jsonHeaders(),
      body: note,
    }),
    postNote('a body one byte over 64 KiB by Content-Length is refused (413)', noteOverLimit, tooLarge),
    postNote('a large upload by Content-Length is refused (413)', largeUpload, tooLarge),
    postNote('a large chunked upload is refused (413)', largeUpload, tooLarge, { chunked: true }),
    postNote(
      'a chunked body within the limit is read',
      note,
      { status: 201, headers: jsonHeaders(), body: note },
      {
        chunked: true,
        chunkSize: 7,
      },
    ),
    postNote(
      'a text/plain body is refused (415)',
      note,
      {
        status: 415,
        headers: problemHeaders(),
        body: problemBody('unsupported-media-type', 'Unsupported Media Type', 415, {
          detail: 'Send the body as application/json.',
        }),
      },
      { headers: [['Content-Type', 'text/plain']] },
    ),
    postNote(
      'a body without Content-Type is refused (415)',
      note,
      {
        status: 415,
        headers: problemHeaders(),
        body: problemBody('unsupported-media-type', 'Unsupported Media Type', 415, {
          detail: 'Send the body as application/json.',
        }),
      },
      { headers: [] },
    ),
    postNote(
      'a charset other than UTF-8 is refused (415)',
      note,
      {
        status: 415,
        headers: problemHeaders(),
        body: problemBody('unsupported-media-type', 'Unsupported Media Type', 415, {
          detail: 'Send the body encoded as UTF-8.',
        }),
      },
      { headers: [['Content-Type', 'application/json; charset=iso-8859-1']] },
    ),
    postNote(
      'bytes that are not UTF-8 are refused (400)',
      invalidUtf8,
      bad('invalid-utf8', 'Invalid UTF-8', { detail: 'The body is not valid UTF-8.' }),
    ),
    postNote(
      'an escaped lone surrogate is refused (400)',
      '{"title":"\\ud800","body":""}',
      bad('invalid-utf8', 'Invalid UTF-8', {
        detail: 'The body escapes a lone surrogate, which UTF-8 cannot encode.',
      }),
    ),
    postNote(
      'malformed JSON is refused (400) without quoting the parser',
      '{"title":"Groceries","body":',
      bad('malformed-json', 'Malformed JSON', { detail: 'The body is not valid JSON.' }),
    ),
    postNote(
      'a __proto__ key is refused (400)',
      '{"__proto__":{"isAdmin":true},"title":"t","body":"b"}',
      bad('forbidden-json-key', 'Forbidden JSON Key', {
        detail: 'The key "__proto__" is not allowed.',
        location: 'body',
        pointer: '/__proto__',
      }),
    ),
    postNote(
      'a nested constructor key is refused (400)',
      '{"title":"t","body":"b","tags":[{"constructor":{"prototype":{"isAdmin":true}}}]}',
      bad('forbidden-json-key', 'Forbidden JSON Key', {
        detail: 'The key "constructor" is not allowed.',
        location: 'body',
        pointer: '/tags/0/constructor',
      }),
    ),
    postNote(
      'a nested prototype key is refused (400)',
      '{"title":"t","body":"b","meta":{"prototype":{"isAdmin":true}}}',
      bad('forbidden-json-key', 'Forbidden JSON Key', {
        detail: 'The key "prototype" is not allowed.',
        location: 'body',
        pointer: '/meta/prototype',
      }),
    ),
    postNote(
      'a key repeated in one object is refused (400)',
      '{"title":"t","body":"b","title":"u"}',
      bad('duplicate-json-key', 'Duplicate JSON Key', {
        detail: 'The key appears more than once in the same object.',
        location: 'body',
        pointer: '/title',
      }),
    ),
    postNote(
      'a document nested deeper than 32 levels is refused (400)',
      nested(40),
      bad('json-too-complex', 'JSON Too Complex', { detail: 'The JSON nests deeper than 32 levels.' }),
    ),
  ],
}
