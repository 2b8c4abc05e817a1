/**
 * The @sec adapter conformance suite: one framework-neutral app, one set of exact expectations,
 * run by every adapter against a real server.
 *
 * @packageDocumentation
 */
export {
  boomSecret,
  type ConformanceApp,
  type ConformanceHandlers,
  type ConformanceRoutes,
  type ConformanceVariant,
  createConformanceApp,
} from './app/conformance-app.js'
export {
  conformanceApiKeys,
  conformanceAudience,
  conformanceIssuer,
  conformancePublicJwk,
  conformanceTokens,
} from './app/conformance-credentials.js'
export { type Note, NoteParamsSchema, NoteSchema } from './app/note-schema.js'
export {
  createSigningApp,
  type SigningApp,
  type SigningHandlers,
  type SigningRoutes,
  signingCredentials,
  signingPaths,
} from './app/signing-app.js'
export { type BuildIfStaleOptions, buildIfStale } from './build/build-if-stale.js'
export {
  type ConformanceRequest,
  type ConformanceResponse,
  type HeaderLines,
  sendRequest,
} from './client/send-request.js'
export * from './redis/index.js'
export { type ListeningServer, listenOnFreePort } from './server/listen-on-free-port.js'
export * from './signing/index.js'
export type { CaseGroup, ConformanceCase } from './suite/conformance-case.js'
export { type HeaderMap, securityHeaders } from './suite/expected.js'
export {
  ignoredHeaders,
  type NormalizedResponse,
  type NormalizeOptions,
  normalizeResponse,
} from './suite/normalize-response.js'
export {
  type ConformanceServer,
  type ConformanceSuiteOptions,
  conformanceCaseGroups,
  runConformanceSuite,
  type StartConformanceServer,
  securityHeaderStatuses,
} from './suite/run-conformance-suite.js'
