import { type Guard, isGuard, isSecurity, SecConfigError, type Security } from '@sec/core'

/** The Fastify hook the guards run in. */
export type SecHook = 'onRequest' | 'preHandler'

/** Options of the `@sec/fastify` plugin. */
export interface SecFastifyOptions {
  /** The security pipeline, from `createSecurity()`. Required. */
  readonly security: Security
  /**
   * The hook the guards run in. Default: `'onRequest'`.
   *
   * - `'onRequest'`: before Fastify parses the body, so a denied request costs no parsing and guards
   *   read the raw body first; the plugin then replays the bytes they read to Fastify's parsers.
   *   It also puts its own `application/json` parser in place of Fastify's default one (same
   *   results, same errors, the app's `onProtoPoisoning` and `bodyLimit`): a body a `body()` or
   *   `validate()` guard already parsed becomes `request.body` as received, without a second parse.
   *   A JSON parser the app registers before the plugin is kept; to add one after it, call
   *   `removeContentTypeParser('application/json')` first.
   * - `'preHandler'`: after parsing, schema validation and your own `onRequest`/`preValidation`
   *   hooks (for example an authentication plugin). Guards that read the body then see the bytes
   *   Fastify's parser read, up to the route's `bodyLimit`.
   */
  readonly hook?: SecHook
}

/** Options after checking. */
export interface CheckedOptions {
  readonly security: Security
  readonly hook: SecHook
}

/** Options Fastify's `register()` itself understands and passes on to every plugin. */
const registerOptions = new Set(['prefix', 'logLevel', 'logSerializers'])

const where = 'secFastify'

/** Checks the plugin's options once, at registration; a bad one throws a `SecConfigError` naming it. */
export function checkOptions(options: unknown): CheckedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new SecConfigError(where, 'Pass the options object: app.register(secFastify, { security }).')
  }
  for (const name of Object.keys(options)) {
    if (name !== 'security' && name !== 'hook' && !registerOptions.has(name)) {
      throw new SecConfigError(
        `${where}.${name}`,
        'is not a known option. Remove it or check its spelling against the documentation.',
      )
    }
  }
  const { security, hook = 'onRequest' } = options as { security?: unknown; hook?: unknown }
  if (!isSecurity(security)) {
    throw new SecConfigError(`${where}.security`, 'Expected the object createSecurity() returns.')
  }
  if (hook !== 'onRequest' && hook !== 'preHandler') {
    throw new SecConfigError(`${where}.hook`, "Expected 'onRequest' or 'preHandler'.")
  }
  return { security, hook }
}

/**
 * Checks a route's `config.security` when the route is declared, so a typo fails at start-up
 * rather than on the first request.
 */
export function checkRouteGuards(guards: unknown, route: string): readonly Guard[] | undefined {
  if (guards === undefined) return undefined
  if (!Array.isArray(guards)) {
    throw new SecConfigError(
      'config.security',
      `Expected an array of guards in route ${route}, e.g. { config: { security: [validate({ body })] } }.`,
    )
  }
  guards.forEach((guard, index) => {
    if (!isGuard(guard)) {
      throw new SecConfigError(
        `config.security[${index}]`,
        `Expected a guard (an object with a name and a check function) in route ${route}, such as validate({ body }).`,
      )
    }
  })
  return guards.length === 0 ? undefined : guards
}
