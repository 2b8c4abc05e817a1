export {
  type MemoryNonceStoreOptions,
  memoryNonceStore,
  type NonceStore,
  NonceStoreFullError,
} from './nonce-store.js'
