export { defaultCredentialParams } from './credential-params.js'
export { type NoCredentialsInUrlOptions, noCredentialsInUrl } from './no-credentials-in-url.js'
