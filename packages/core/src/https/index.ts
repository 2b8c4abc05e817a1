export type { HstsOptions } from './hsts.js'
export { type HttpsOptions, https } from './https-guard.js'
