import { describe, expect, it } from 'vitest'
import { type CorsOptions, resolveCorsPolicy } from './cors-options.js'

const app = 'https://app.example.com'

describe('resolveCorsPolicy', () => {
  it('applies the defaults', () => {
    const policy = resolveCorsPolicy({ origins: [app] })
    expect(policy).toMatchObject({
      anyOrigin: false,
      credentials: false,
      allowMethods: 'GET, HEAD, POST',
      allowHeaders: 'Content-Type, Authorization',
      exposeHeaders:
        'RateLimit, RateLimit-Policy, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset',
      maxAge: '600',
    })
    expect([...policy.methods]).toEqual(['GET', 'HEAD', 'POST'])
    expect([...policy.allowedHeaders]).toEqual(['content-type', 'authorization'])
  })

  it('sends no list header for an empty list', () => {
    const policy = resolveCorsPolicy({ origins: [app], allowedHeaders: [], exposedHeaders: [] })
    expect(policy.allowHeaders).toBeUndefined()
    expect(policy.exposeHeaders).toBeUndefined()
  })

  it.each<[NonNullable<CorsOptions['maxAge']>, string]>([
    [0, '0'],
    [86_400_000, '86400'],
    ['90s', '90'],
    ['10m', '600'],
    ['1d', '86400'],
  ])('takes maxAge %j as %s seconds', (maxAge, seconds) => {
    expect(resolveCorsPolicy({ origins: [app], maxAge }).maxAge).toBe(seconds)
  })

  it.each<[string, unknown, string]>([
    ['no options', undefined, "cors.origins: Expected '*' or a list of origins"],
    ['an unknown option', { origins: [app], origin: app }, 'cors.origin: is not a known option.'],
    ['a single origin string', { origins: app }, "cors.origins: Expected '*' or a list of origins"],
    [
      'an origin of another type',
      { origins: [app, 42] },
      'cors.origins[1]: Expected an origin string or a RegExp',
    ],
    ['an empty list', { origins: [] }, 'cors.origins: is empty.'],
    [
      "'*' with credentials",
      { origins: '*', credentials: true },
      "cors.credentials: cannot be true with origins: '*'.",
    ],
    ["'*' inside the list", { origins: [app, '*'] }, "cors.origins[1]: '*' is not an origin."],
    [
      "'null' with credentials",
      { origins: ['null'], credentials: true },
      "cors.origins[0]: 'null' with credentials: true",
    ],
    [
      'a trailing slash',
      { origins: [`${app}/`] },
      `cors.origins[0]: an origin has no path, query or trailing slash: write '${app}'`,
    ],
    [
      'a path',
      { origins: [app, 'https://b.example.com/app'] },
      "cors.origins[1]: an origin has no path, query or trailing slash: write 'https://b.example.com'",
    ],
    [
      'no scheme',
      { origins: ['app.example.com'] },
      'cors.origins[0]: must be an origin, scheme://host[:port]',
    ],
    [
      'a wildcard string',
      { origins: ['https://*.example.com'] },
      'cors.origins[0]: "https://*.example.com" is not a pattern',
    ],
    [
      'user info',
      { origins: ['https://user@app.example.com'] },
      'cors.origins[0]: an origin has no user name or password',
    ],
    ['a file: origin', { origins: ['file:///home'] }, "cors.origins[0]: file: pages send 'Origin: null'"],
    [
      'an invalid port',
      { origins: ['https://app.example.com:99999'] },
      'cors.origins[0]: is not a valid origin',
    ],
    [
      'an unanchored pattern',
      { origins: [/https:\/\/app\.example\.com/] },
      'cors.origins[0]: /https:\\/\\/app\\.example\\.com/ must be anchored with ^ and $',
    ],
    [
      'a pattern without $',
      { origins: [/^https:\/\/app\.example\.com/] },
      'cors.origins[0]: /^https:\\/\\/app\\.example\\.com/ must be anchored',
    ],
    ['an escaped final $', { origins: [/^https:\/\/app\.example\.com\$/] }, 'must be anchored with ^ and $'],
    [
      'a top-level alternation',
      { origins: [/^https:\/\/a\.example\.com|https:\/\/b\.example\.com$/] },
      'anchors only its first and last alternative',
    ],
    ['an unescaped dot', { origins: [/^https:\/\/app.example\.com$/] }, "has an unescaped '.'"],
    ['the g flag', { origins: [/^https:\/\/app\.example\.com$/g] }, 'cors.origins[0]: remove the g flag'],
    ['a pattern matching anything', { origins: [/^https?:\/\/.*$/] }, 'matches any origin'],
    [
      "'*' in methods",
      { origins: [app], methods: ['GET', '*'] },
      "cors.methods[1]: '*' would allow every method.",
    ],
    [
      'a method with a space',
      { origins: [app], methods: ['GET POST'] },
      'cors.methods[0]: is not a method name',
    ],
    [
      'TRACE',
      { origins: [app], methods: ['trace'] },
      'cors.methods[0]: browsers never let scripts send TRACE',
    ],
    ['no methods', { origins: [app], methods: [] }, 'cors.methods: is empty.'],
    [
      "'*' in allowedHeaders",
      { origins: [app], allowedHeaders: ['*'] },
      "cors.allowedHeaders[0]: '*' is refused",
    ],
    [
      'a header name with a colon',
      { origins: [app], exposedHeaders: ['X-Id:'] },
      'cors.exposedHeaders[0]: is not a header name',
    ],
    [
      'a negative maxAge',
      { origins: [app], maxAge: -1 },
      'cors.maxAge: must be a finite, non-negative number of milliseconds',
    ],
    [
      'maxAge in seconds by mistake',
      { origins: [app], maxAge: 600 },
      "cors.maxAge: must be whole seconds; got 600. A number is milliseconds: write '10m' or 600000 for ten minutes.",
    ],
    ['maxAge in milliseconds', { origins: [app], maxAge: '1500ms' }, 'cors.maxAge: must be whole seconds'],
    [
      'a malformed duration',
      { origins: [app], maxAge: '10 minutes' },
      'cors.maxAge: must be milliseconds as a number or a string',
    ],
    [
      'maxAge over a day',
      { origins: [app], maxAge: '2d' },
      'cors.maxAge: must be at most 86400 seconds (1 day); got 172800.',
    ],
  ])('refuses %s', (_, options, message) => {
    expect(() => resolveCorsPolicy(options as CorsOptions)).toThrowError(
      expect.objectContaining({ code: 'SEC_CONFIG', message: expect.stringContaining(message) }),
    )
  })
})
