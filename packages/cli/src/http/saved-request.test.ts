import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseSavedRequest } from './saved-request.js'

const bytes = (text: string) => new TextEncoder().encode(text)
const text = (data: Uint8Array) => new TextDecoder().decode(data)

function parsed(source: string | Uint8Array) {
  const result = parseSavedRequest(typeof source === 'string' ? bytes(source) : source)
  if (!result.ok) throw new Error(result.problem)
  return { ...result.request, body: text(result.request.body) }
}

const problem = (source: string | Uint8Array) => {
  const result = parseSavedRequest(typeof source === 'string' ? bytes(source) : source)
  return result.ok ? undefined : result.problem
}

describe('parseSavedRequest', () => {
  it('reads the request line, the headers and the body byte for byte', () => {
    expect(
      parsed(
        'POST /v1/notes?x=1 HTTP/1.1\nHost: api.example.com\nContent-Type: application/json\n\n{"a":1}\n\n',
      ),
    ).toEqual({
      method: 'POST',
      target: '/v1/notes?x=1',
      headers: [
        ['Host', 'api.example.com'],
        ['Content-Type', 'application/json'],
      ],
      body: '{"a":1}\n\n',
    })
  })

  it('takes CRLF line endings, and keeps CRLF inside the body', () => {
    expect(parsed('PUT / HTTP/1.1\r\nHost: a\r\n\r\nline1\r\nline2')).toEqual({
      method: 'PUT',
      target: '/',
      headers: [['Host', 'a']],
      body: 'line1\r\nline2',
    })
  })

  it('reads a file without a blank line as a request without a body', () => {
    expect(parsed('GET / HTTP/1.1\nHost:example.amazonaws.com\n')).toEqual({
      method: 'GET',
      target: '/',
      headers: [['Host', 'example.amazonaws.com']],
      body: '',
    })
    expect(parsed('GET / HTTP/1.1')).toMatchObject({ headers: [], body: '' })
  })

  it('keeps spaces in the target as the AWS suite writes them, repeated headers, and folds continuation lines', () => {
    expect(
      parsed('GET /example space/ HTTP/1.1\nMy-Header1:value1\n  value2\n     value3\nX: a\nX: b\n\n'),
    ).toEqual({
      method: 'GET',
      target: '/example space/',
      headers: [
        ['My-Header1', 'value1 value2 value3'],
        ['X', 'a'],
        ['X', 'b'],
      ],
      body: '',
    })
  })

  it('reads Content-Length bytes, ignoring the newline an editor adds after them', () => {
    expect(parsed('POST / HTTP/1.1\nContent-Length: 13\n\nParam1=value1\n')).toMatchObject({
      body: 'Param1=value1',
    })
    expect(parsed('POST / HTTP/1.1\nContent-Length: 13\n\nParam1=value1')).toMatchObject({
      body: 'Param1=value1',
    })
    expect(parsed('POST / HTTP/1.1\nContent-Length: 0\nContent-Length: 0\n\n\r\n')).toMatchObject({
      body: '',
    })
  })

  it('says in one line why a file is not a request', () => {
    expect(problem('')).toBe('the file does not start with a request line (METHOD /path HTTP/1.1)')
    expect(problem('\nGET / HTTP/1.1\n')).toBe(
      'the file does not start with a request line (METHOD /path HTTP/1.1)',
    )
    expect(problem('GET /')).toBe('line 1 is not a request line (METHOD /path HTTP/1.1)')
    expect(problem('GET / HTTP/x')).toBe('line 1 is not a request line (METHOD /path HTTP/1.1)')
    expect(problem('G@T / HTTP/1.1')).toBe('line 1 is not a request line (METHOD /path HTTP/1.1)')
    expect(problem('GET http://a/ HTTP/1.1')).toBe(
      'line 1 has a request target that is not a path (/path?query)',
    )
    expect(problem('GET /\x01 HTTP/1.1')).toBe('line 1 has a request target that is not a path (/path?query)')
    expect(problem('GET / HTTP/1.1\n folded\n')).toBe(
      'line 2 is indented, but there is no header line before it to continue',
    )
    expect(problem('GET / HTTP/1.1\nHost a\n')).toBe('line 2 is not a header field (Name: value)')
    expect(problem('GET / HTTP/1.1\nHost: a\nBad Name: x\n')).toBe(
      'line 3 has a header name that is not an HTTP token',
    )
    expect(problem('GET / HTTP/1.1\nX: a\rb\n')).toBe('line 2 has a control character in its value')
    expect(problem(new Uint8Array([...bytes('GET / HTTP/1.1\nX: '), 0xff, 0x0a]))).toBe(
      'the request line and headers are not UTF-8 text',
    )
    expect(problem('POST / HTTP/1.1\nTransfer-Encoding: chunked\n\n5\nhello\n0\n\n')).toBe(
      'Transfer-Encoding bodies are not supported: save the request with its decoded body and a Content-Length',
    )
    expect(problem('POST / HTTP/1.1\nContent-Length: 1\nContent-Length: 2\n\nab')).toBe(
      'Content-Length must be one whole number',
    )
    expect(problem('POST / HTTP/1.1\nContent-Length: -1\n\n')).toBe('Content-Length must be one whole number')
    expect(problem('POST / HTTP/1.1\nContent-Length: 5\n\nab')).toBe(
      'the body has 2 bytes, fewer than its Content-Length of 5',
    )
    expect(problem('POST / HTTP/1.1\nContent-Length: 2\n\nabc')).toBe(
      'the body has 3 bytes, more than its Content-Length of 2',
    )
  })

  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (data) => {
        const result = parseSavedRequest(data)
        if (!result.ok) expect(result.problem).toMatch(/^[^\n]+$/)
      }),
      { numRuns: 2000 },
    )
  })

  it('gives back the parts of any well-formed request it is given', () => {
    const tokenChars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.!#$%&*+^`|~'
    const token = fc.string({ unit: fc.constantFrom(...tokenChars), minLength: 1, maxLength: 12 })
    const value = fc
      .string({ unit: fc.constantFrom(...'abc XYZ019;,=/"\'\t:ሴ'), maxLength: 20 })
      .map((v) => v.trim())
    const request = fc.record({
      method: token,
      target: fc.string({ unit: fc.constantFrom(...'/abc?=&%20 ሴ'), maxLength: 20 }).map((t) => `/${t}`),
      headers: fc.array(fc.tuple(token, value), { maxLength: 6 }),
      body: fc.uint8Array({ maxLength: 50 }),
      crlf: fc.boolean(),
    })
    fc.assert(
      fc.property(request, ({ method, target, headers, body, crlf }) => {
        const eol = crlf ? '\r\n' : '\n'
        // The body is all that follows: no framing headers.
        const kept = headers.filter(([n]) => !/^(content-length|transfer-encoding)$/i.test(n))
        const file = new Uint8Array([
          ...bytes(`${method} ${target} HTTP/1.1${eol}`),
          ...bytes(kept.map(([n, v]) => `${n}: ${v}${eol}`).join('')),
          ...bytes(eol),
          ...body,
        ])
        expect(parseSavedRequest(file)).toEqual({
          ok: true,
          request: { method, target, headers: kept, body },
        })
      }),
      { numRuns: 500 },
    )
  })
})
