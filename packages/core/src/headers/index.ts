export { type CspDirectives, type CspSourceList, nonceSource } from './content-security-policy.js'
export { deniedFeatures, type HeadersPreset } from './presets.js'
export { type HeadersOptions, headers } from './security-headers.js'
