export { nodeSigningCrypto } from './node-signing-crypto.js'
