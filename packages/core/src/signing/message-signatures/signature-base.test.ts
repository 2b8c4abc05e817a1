import { describe, expect, it } from 'vitest'
import { knownStructuredFields, parseComponentText } from './component-identifier.js'
import { encodeQueryComponent } from './component-values.js'
import { type HttpHeadersLike, type MessageParts, messageParts } from './http-message.js'
import { SignatureBaseError } from './message-signature-errors.js'
import { createSignatureBase, signatureBaseBytes } from './signature-base.js'

const structuredFields = new Map([...knownStructuredFields, ['example-dict', 'dictionary' as const]])

/** Headers that keep each field line, as the Node adapters' do. */
function fieldLines(lines: Record<string, readonly string[]>): HttpHeadersLike {
  const byName = new Map(Object.entries(lines).map(([name, values]) => [name.toLowerCase(), values]))
  return {
    get: (name) => byName.get(name.toLowerCase())?.join(', ') ?? null,
    getAll: (name) => byName.get(name.toLowerCase()) ?? [],
  }
}

function base(components: readonly string[], message: MessageParts, request?: MessageParts): string {
  const ids = components.map((text) => parseComponentText(text, structuredFields))
  const full = createSignatureBase(ids, '()', message, request, structuredFields)
  return full.slice(0, full.lastIndexOf('\n'))
}

const rfcRequest = messageParts({
  method: 'POST',
  url: 'https://www.example.com/path?param=value',
  headers: new Headers({ host: 'www.example.com' }),
})

function failure(run: () => unknown): SignatureBaseError {
  try {
    run()
  } catch (error) {
    if (error instanceof SignatureBaseError) return error
    throw error
  }
  throw new Error('expected a SignatureBaseError')
}

describe('HTTP field components (RFC 9421 §2.1)', () => {
  const headers = fieldLines({
    'X-OWS-Header': ['   Leading and trailing whitespace.   '],
    'X-Obs-Fold-Header': ['Obsolete line folding.'],
    'Cache-Control': ['max-age=60', '   must-revalidate'],
    'Example-Dict': [' a=1,    b=2;x=1;y=2,   c=(a   b   c)'],
    'X-Empty-Header': [''],
    'Example-Header': ['value, with, lots', 'of, commas'],
  })
  const message: MessageParts = {
    kind: 'request',
    method: 'GET',
    scheme: 'https',
    authority: 'example.com',
    target: '/',
    headers,
  }

  it('trims each line and joins lines with ", "', () => {
    expect(
      base(['cache-control', 'example-dict', 'x-empty-header', 'x-obs-fold-header', 'x-ows-header'], message),
    ).toBe(
      [
        '"cache-control": max-age=60, must-revalidate',
        '"example-dict": a=1,    b=2;x=1;y=2,   c=(a   b   c)',
        '"x-empty-header": ',
        '"x-obs-fold-header": Obsolete line folding.',
        '"x-ows-header": Leading and trailing whitespace.',
      ].join('\n'),
    )
  })

  it('re-serializes structured fields with ;sf and picks dictionary members with ;key (§2.1.1, §2.1.2)', () => {
    const dict = {
      ...message,
      headers: fieldLines({ 'Example-Dict': ['  a=1, b=2;x=1;y=2, c=(a   b    c), d'] }),
    }
    expect(
      base(
        [
          'example-dict',
          'example-dict;sf',
          'example-dict;key="a"',
          'example-dict;key="d"',
          'example-dict;key="b"',
          'example-dict;key="c"',
        ],
        dict,
      ),
    ).toBe(
      [
        '"example-dict": a=1, b=2;x=1;y=2, c=(a   b    c), d',
        '"example-dict";sf: a=1, b=2;x=1;y=2, c=(a b c), d',
        '"example-dict";key="a": 1',
        '"example-dict";key="d": ?1',
        '"example-dict";key="b": 2;x=1;y=2',
        '"example-dict";key="c": (a b c)',
      ].join('\n'),
    )
  })

  it('encodes each field line as a byte sequence with ;bs (§2.1.3)', () => {
    expect(base(['example-header', 'example-header;bs'], message)).toBe(
      [
        '"example-header": value, with, lots, of, commas',
        '"example-header";bs: :dmFsdWUsIHdpdGgsIGxvdHM=:, :b2YsIGNvbW1hcw==:',
      ].join('\n'),
    )
  })

  it('reads a Web Headers object, where repeated lines are already joined', () => {
    const web = {
      ...message,
      headers: new Headers([
        ['cache-control', 'max-age=60'],
        ['cache-control', 'must-revalidate'],
      ]),
    }
    expect(base(['cache-control'], web)).toBe('"cache-control": max-age=60, must-revalidate')
  })

  it('refuses a field the message lacks, a missing dictionary key and a value that is not structured', () => {
    expect(failure(() => base(['x-missing'], message)).kind).toBe('absent')
    expect(failure(() => base(['example-dict;key="zz"'], message)).kind).toBe('absent')
    const broken = { ...message, headers: fieldLines({ 'Example-Dict': ['a=(1'] }) }
    expect(failure(() => base(['example-dict;sf'], broken)).kind).toBe('absent')
    expect(failure(() => base(['example-dict;key="a"'], broken)).kind).toBe('absent')
  })

  it('refuses a value with a line break, which could forge a line, and characters above U+00FF', () => {
    const injected = { ...message, headers: fieldLines({ 'X-A': ['ok\n"@method": GET'] }) }
    expect(failure(() => base(['x-a'], injected)).kind).toBe('absent')
    expect(signatureBaseBytes('"x": caf\u00e9')).toEqual(
      new Uint8Array([...'"x": caf'].map((c) => c.charCodeAt(0)).concat(0xe9)),
    )
    expect(failure(() => signatureBaseBytes('"x": \u0100')).kind).toBe('unsupported')
    const wide = { ...message, headers: fieldLines({ 'X-A': ['\u0100'] }) }
    expect(failure(() => base(['x-a;bs'], wide)).kind).toBe('unsupported')
  })
})

describe('derived components (RFC 9421 §2.2)', () => {
  it('derives each request component of the §2.2 examples', () => {
    expect(
      base(
        ['@method', '@target-uri', '@authority', '@scheme', '@request-target', '@path', '@query'],
        rfcRequest,
      ),
    ).toBe(
      [
        '"@method": POST',
        '"@target-uri": https://www.example.com/path?param=value',
        '"@authority": www.example.com',
        '"@scheme": https',
        '"@request-target": /path?param=value',
        '"@path": /path',
        '"@query": ?param=value',
      ].join('\n'),
    )
  })

  it('gives "?" for an absent query and "/" for an empty path; leaves a default port out', () => {
    const bare = messageParts({ method: 'GET', url: 'HTTP://Example.COM:80', headers: new Headers() })
    expect(base(['@query', '@path', '@authority', '@target-uri', '@scheme'], bare)).toBe(
      [
        '"@query": ?',
        '"@path": /',
        '"@authority": example.com',
        '"@target-uri": http://example.com/',
        '"@scheme": http',
      ].join('\n'),
    )
    const other = messageParts({
      method: 'GET',
      url: 'https://example.com:8443/a%2Fb?',
      headers: new Headers(),
    })
    expect(base(['@authority', '@path', '@query'], other)).toBe(
      ['"@authority": example.com:8443', '"@path": /a%2Fb', '"@query": ?'].join('\n'),
    )
  })

  it('takes the target as received, undecoded, when built from a server request', () => {
    const received: MessageParts = {
      kind: 'request',
      method: 'GET',
      scheme: 'https',
      authority: 'api.example.com',
      target: '/a/../b%20c?q=a+b&x',
      headers: new Headers(),
    }
    expect(base(['@path', '@query', '@request-target'], received)).toBe(
      ['"@path": /a/../b%20c', '"@query": ?q=a+b&x', '"@request-target": /a/../b%20c?q=a+b&x'].join('\n'),
    )
  })

  it('encodes query parameters as §2.2.8 shows, one line per occurrence', () => {
    const query = messageParts({
      method: 'GET',
      url: 'https://example.com/path?param=value&foo=bar&baz=batman&qux=',
      headers: new Headers(),
    })
    expect(
      base(['@query-param;name="baz"', '@query-param;name="qux"', '@query-param;name="param"'], query),
    ).toBe(
      [
        '"@query-param";name="baz": batman',
        '"@query-param";name="qux": ',
        '"@query-param";name="param": value',
      ].join('\n'),
    )
    const encoded = messageParts({
      method: 'GET',
      url: 'https://example.com/parameters?var=this%20is%20a%20big%0Amultiline%20value&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something',
      headers: new Headers(),
    })
    expect(
      base(
        ['@query-param;name="var"', '@query-param;name="bar"', '@query-param;name="fa%C3%A7ade%22%3A%20"'],
        encoded,
      ),
    ).toBe(
      [
        '"@query-param";name="var": this%20is%20a%20big%0Amultiline%20value',
        '"@query-param";name="bar": with%20plus%20whitespace',
        '"@query-param";name="fa%C3%A7ade%22%3A%20": something',
      ].join('\n'),
    )
    const repeated = messageParts({
      method: 'GET',
      url: 'https://example.com/?a=1&b=2&a=3',
      headers: new Headers(),
    })
    expect(base(['@query-param;name="a"'], repeated)).toBe(
      '"@query-param";name="a": 1\n"@query-param";name="a": 3',
    )
    expect(failure(() => base(['@query-param;name="zz"'], repeated)).kind).toBe('absent')
    expect(encodeQueryComponent('a b~*-._!é')).toBe('a%20b%7E*-._%21%C3%A9')
  })

  it('derives @status and ;req components of a response (§2.2.9, §2.4)', () => {
    const response = messageParts({ status: 503, headers: fieldLines({ 'Content-Type': ['text/plain'] }) })
    const request = messageParts({
      method: 'POST',
      url: 'https://example.com/foo?param=Value&Pet=dog',
      headers: fieldLines({ 'Content-Digest': ['sha-512=:AAAA:'], Signature: ['sig1=:AAAA:'] }),
    })
    expect(
      base(
        [
          '@status',
          'content-type',
          '@method;req',
          '@authority;req',
          'content-digest;req',
          'signature;key="sig1";req',
        ],
        response,
        request,
      ),
    ).toBe(
      [
        '"@status": 503',
        '"content-type": text/plain',
        '"@method";req: POST',
        '"@authority";req: example.com',
        '"content-digest";req: sha-512=:AAAA:',
        '"signature";key="sig1";req: :AAAA:',
      ].join('\n'),
    )
    expect(failure(() => base(['@method;req'], response)).kind).toBe('absent')
    expect(failure(() => base(['@method'], response)).kind).toBe('unsupported')
    expect(failure(() => base(['@status'], request)).kind).toBe('unsupported')
    expect(failure(() => base(['content-type;req'], request)).kind).toBe('unsupported')
    expect(failure(() => base(['@status'], messageParts({ status: 42, headers: new Headers() }))).kind).toBe(
      'absent',
    )
  })

  it('refuses an @authority it cannot know', () => {
    const unknown: MessageParts = {
      kind: 'request',
      method: 'GET',
      scheme: 'https',
      authority: undefined,
      target: '/',
      headers: new Headers(),
    }
    expect(failure(() => base(['@authority'], unknown)).kind).toBe('absent')
    expect(failure(() => base(['@target-uri'], unknown)).kind).toBe('absent')
  })
})

describe('component identifiers', () => {
  it('accepts the written forms and lower-cases field names', () => {
    expect(parseComponentText('Content-Type', structuredFields).serialized).toBe('"content-type"')
    expect(parseComponentText('"@query-param";name="id"', structuredFields).serialized).toBe(
      '"@query-param";name="id"',
    )
    expect(parseComponentText('example-dict;req;key="a"', structuredFields).canonical).toBe(
      '"example-dict";key="a";req',
    )
  })

  it('refuses what RFC 9421 does not define or this does not support', () => {
    const bad = [
      '',
      '@unknown',
      '@signature-params',
      '@request-response',
      '@method;sf',
      '@query-param',
      '@query-param;name=1',
      '@status;req',
      'x-a;tr',
      'x-a;bs;sf',
      'x-a;bs;key="a"',
      'x-a;key=1',
      'x-a;sf=?0',
      'x-a;other',
      'x-a;sf',
      'a b',
      '"X-Upper"',
      '"a";',
      ':AAAA:',
      '@path;name="x"',
      'x-a;name="a"',
    ]
    for (const text of bad)
      expect(failure(() => parseComponentText(text, structuredFields)).kind, JSON.stringify(text)).toBe(
        'unsupported',
      )
  })

  it('refuses a component listed twice, whatever the order of its parameters', () => {
    const message: MessageParts = {
      kind: 'response',
      status: 200,
      headers: fieldLines({ 'Example-Dict': ['a=1'] }),
    }
    const ids = ['example-dict;sf;req', 'example-dict;req;sf'].map((text) =>
      parseComponentText(text, structuredFields),
    )
    expect(failure(() => createSignatureBase(ids, '()', message, message, structuredFields)).kind).toBe(
      'unsupported',
    )
  })
})
