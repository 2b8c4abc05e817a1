export { createNotesDemoFromEnv, type NotesDemoFromEnv } from './notes-demo-from-env.js'
export {
  demoDeliveryPrefix,
  demoRedisPrefix,
  demoReplayPrefix,
  type RedisRateLimitStore,
  redisRateLimitStore,
} from './redis-rate-limit-store.js'
export { logStoreEvents } from './store-event-log.js'
