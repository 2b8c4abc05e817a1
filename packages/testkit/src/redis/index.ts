export { describeWithRedis } from './describe-with-redis.js'
export { findRedisBinaries, isCi, type RedisBinaries } from './find-redis.js'
export { freePort } from './free-port.js'
export {
  type RedisTestCluster,
  type StartRedisClusterOptions,
  startRedisCluster,
} from './start-redis-cluster.js'
export { type RedisTestServer, type StartRedisServerOptions, startRedisServer } from './start-redis-server.js'
