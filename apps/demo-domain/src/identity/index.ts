export { logAuthEvents } from './auth-event-log.js'
export {
  apiKeyHeader,
  authenticated,
  demoRealm,
  type IdentifyOptions,
  identify,
  signedIn,
} from './credential-guards.js'
export {
  type DemoAuthEvent,
  type DemoEvent,
  type DemoEventSink,
  type EventSource,
  emitDemoEvent,
  eventSourceOf,
  type LoginFailedEvent,
  type LoginSlowedEvent,
  type RefreshReusedEvent,
} from './demo-events.js'
export {
  accessTokenLifetime,
  apiKeyRotationGrace,
  createDemoIdentity,
  type DemoIdentity,
  type DemoIdentityOptions,
  demoAudience,
  demoClientId,
  demoIssuer,
  refreshTokenLifetime,
  sessionLifetime,
} from './demo-identity.js'
export {
  defaultPasswordCost,
  type HashPasswordOptions,
  hashPassword,
  type PasswordHash,
  verifyPassword,
} from './password-hash.js'
export {
  invalidCredentials,
  type LoginSlowDown,
  type LoginThrottle,
  loginDelay,
  type PasswordLoginOptions,
  passwordLogin,
} from './password-login.js'
export { indexSessions, type SessionIndexedStore, type SessionIndexOptions } from './session-index.js'
export {
  type Authentication,
  createUserDirectory,
  type DemoAccount,
  type DemoRole,
  type DemoUser,
  demoAccounts,
  type LoginFailure,
  type UserDirectory,
  type UserDirectoryOptions,
} from './user-directory.js'
