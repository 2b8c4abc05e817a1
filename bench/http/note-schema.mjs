import * as v from 'valibot'

/** The body every variant validates: the demo's note. */
export const NoteSchema = v.strictObject({
  title: v.pipe(v.string(), v.minLength(1), v.maxLength(200)),
  body: v.pipe(v.string(), v.maxLength(10_000)),
  tags: v.optional(v.pipe(v.array(v.pipe(v.string(), v.maxLength(32))), v.maxLength(10))),
})

export const allowedOrigin = 'https://app.example.com'
export const bodyLimit = 65_536

/** The @sec stack of the foundation: HTTPS, headers, CORS, client IP behind a loopback proxy, body + validation. */
export async function secStack() {
  const core = await import('@sec/core')
  const security = core.createSecurity({
    trustProxy: ['loopback'],
    guards: [
      core.https({ allowDirectLoopback: true }),
      core.headers('api'),
      core.cors({ origins: [allowedOrigin], credentials: true }),
    ],
  })
  const routeGuards = [
    core.body({ limit: bodyLimit, types: ['application/json'] }),
    core.validate({ body: NoteSchema }),
  ]
  return { security, routeGuards }
}

/** What every handler answers: the validated note with an id. */
export function created(note) {
  return { id: 'n_bench', ...note }
}
