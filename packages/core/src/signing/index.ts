export * from './message-signatures/index.js'
export * from './nonce/index.js'
export * from './sigv4/index.js'
