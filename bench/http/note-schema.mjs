import * as v from 'valibot'

/** The body every variant validates: the demo's note. */
export const NoteSchema = v.strictObject({
  title: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  body: v.pipe(v.string(), v.maxLength(10_000)),
  tags: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(32))), v.maxLength(10))),
})

export const allowedOrigin = 'https://app.example.com'
export const bodyLimit = 65_536

/** The scenario a server runs: `notes` (the foundation's stack) or `auth` (plus a rate limit and a bearer JWT). */
export const scenario = process.argv[3] ?? 'notes'
if (scenario !== 'notes' && scenario !== 'auth') throw new Error(`unknown scenario ${scenario}`)

/** A limit no bench run reaches, so every request runs the limiter's counting path and is admitted. */
export const unreachableLimit = 1_000_000_000

/** The token's issuer and audience, and the public key set the runner passes in `BENCH_JWKS`. */
export const jwtIssuer = 'https://auth.example.com/'
export const jwtAudience = 'https://api.example.com'
export function benchJwks() {
  const jwks = process.env.BENCH_JWKS
  if (jwks === undefined) throw new Error('the auth scenario needs BENCH_JWKS from the runner')
  return JSON.parse(jwks)
}

/**
 * The @sec stack of the foundation: HTTPS, headers, CORS, client IP behind a loopback proxy, body +
 * validation; in the `auth` scenario also an app-wide token-bucket limit per client IP and a bearer
 * JWT on the route.
 */
export async function secStack() {
  const core = await import('@sec/core')
  const auth = scenario === 'auth'
  const security = core.createSecurity({
    trustProxy: ['loopback'],
    guards: [
      core.https({ allowDirectLoopback: true }),
      core.headers('api'),
      core.cors({ origins: [allowedOrigin], credentials: true }),
      ...(auth
        ? [
            core.rateLimit({
              limiter: core.tokenBucket({
                capacity: unreachableLimit,
                refillRate: unreachableLimit,
                interval: '100d',
              }),
              by: 'ip',
            }),
          ]
        : []),
    ],
  })
  const routeGuards = [
    ...(auth ? [core.bearer({ keys: benchJwks(), issuer: jwtIssuer, audience: jwtAudience })] : []),
    core.body({ limit: bodyLimit, types: ['application/json'] }),
    core.validate({ body: NoteSchema }),
  ]
  return { security, routeGuards }
}

/**
 * What the peer stacks do for a bearer JWT (express-jwt, @fastify/jwt with jose, koa-jwt all
 * verify each request): jose's jwtVerify against the local key set. Resolves with the payload,
 * or with `undefined` for a missing or refused token.
 */
export async function peerJwtVerifier() {
  const { createLocalJWKSet, jwtVerify } = await import('jose')
  const keys = createLocalJWKSet(benchJwks())
  const options = {
    issuer: jwtIssuer,
    audience: jwtAudience,
    algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
  }
  return async (authorization) => {
    if (typeof authorization !== 'string' || !authorization.startsWith('Bearer ')) return undefined
    try {
      return (await jwtVerify(authorization.slice(7), keys, options)).payload
    } catch {
      return undefined
    }
  }
}

/** What every handler answers: the validated note with an id. */
export function created(note) {
  return { id: 'n_bench', ...note }
}
