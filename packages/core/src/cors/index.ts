export type { CorsOrigin } from './allowed-origins.js'
export { cors } from './cors-guard.js'
export type { CorsOptions } from './cors-options.js'
