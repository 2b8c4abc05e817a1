export type { ClientInfo, TrustProxy } from './client-info.js'
export { type ClientResolver, type ClientResolverOptions, createClientResolver } from './resolve-client.js'
