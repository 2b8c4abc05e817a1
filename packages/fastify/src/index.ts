/**
 * The `@sec` plugin for Fastify 5: guards in an `onRequest` hook, per-route guards in
 * `config.security`, the outcome on `request.security`, and problem+json for errors and 404s.
 *
 * @packageDocumentation
 */
import { secFastify } from './plugin.js'

export { type FrameworkErrorsHandler, frameworkErrors } from './framework-errors.js'
export type { SecFastifyOptions, SecHook } from './options.js'
export { secFastify }
export default secFastify
