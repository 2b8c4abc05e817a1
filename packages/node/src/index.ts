/**
 * Node.js glue shared by the @sec adapters for Express, Fastify and Koa: a `SecurityRequest` over
 * an `IncomingMessage`, a bounded body reader, the few steps that apply an `Outcome` to a
 * `ServerResponse`, and `node:crypto` hashing for request signing.
 *
 * @packageDocumentation
 */
export { fromNodeRequest, type NodeRequestOptions } from './request/from-node-request.js'
export { readNodeBody } from './request/read-node-body.js'
export { stringParams } from './request/string-params.js'
export { applyErrorHeaders } from './response/apply-error-headers.js'
export { applyOutcomeHeaders } from './response/apply-outcome-headers.js'
export { clientClosedStatus, reportFinish } from './response/report-finish.js'
export { applyEarlyHeaders, sendResponse } from './response/send-response.js'
export { setResponseHeaders } from './response/set-response-headers.js'
export { nodeSigningCrypto } from './signing/index.js'
