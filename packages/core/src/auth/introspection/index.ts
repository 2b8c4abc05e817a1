export type { IntrospectionCacheOptions, IntrospectionVerifierOptions } from './introspection-options.js'
export type { IntrospectionFetch } from './introspection-request.js'
export { createIntrospectionVerifier } from './introspection-verifier.js'
