import { afterEach, describe, expect, it } from 'vitest'
import { listen, type TestServer } from '../testing/test-server.js'
import { applyErrorHeaders } from './apply-error-headers.js'

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function headersFor(error: unknown): Promise<Record<string, string>> {
  server = await listen((_req, res) => {
    applyErrorHeaders(res, error)
    res.end()
  })
  const response = await fetch(server.url)
  const headers = Object.fromEntries(response.headers)
  for (const name of ['date', 'connection', 'keep-alive', 'content-length']) delete headers[name]
  return headers
}

describe('applyErrorHeaders', () => {
  it('sets the headers of an exposed error, except the body ones', async () => {
    const error = Object.assign(new Error('x'), {
      status: 401,
      expose: true,
      headers: {
        'WWW-Authenticate': 'Bearer',
        'Content-Type': 'text/html',
        'X-Count': 2,
        Link: ['<a>', '<b>'],
      },
    })
    expect(await headersFor(error)).toEqual({
      'www-authenticate': 'Bearer',
      'x-count': '2',
      link: '<a>, <b>',
    })
  })

  it('ignores the headers of an error not meant for the client, and of non-errors', async () => {
    expect(
      await headersFor(Object.assign(new Error('x'), { headers: { 'set-cookie': 'upstream=1' } })),
    ).toEqual({})
    await server?.close()
    expect(await headersFor('just a string')).toEqual({})
  })
})
