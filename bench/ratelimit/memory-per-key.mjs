// Heap bytes (JS heap plus typed-array buffers) per key of the memory stores at 1 million keys: @sec's token bucket and sliding
// window vs rate-limiter-flexible's RateLimiterMemory and express-rate-limit's MemoryStore.
import v8 from 'node:v8'
import vm from 'node:vm'
import { memoryStore, slidingWindow, tokenBucket } from '@sec/core/ratelimit'
import { MemoryStore } from 'express-rate-limit'
import { RateLimiterMemory } from 'rate-limiter-flexible'

const keys = Number(process.env.BENCH_KEYS ?? 1_000_000)
const huge = 1_000_000_000

const variants = {
  '@sec token bucket': () => {
    const store = memoryStore({ maxKeys: keys })
    const limiter = tokenBucket({
      capacity: huge,
      refillRate: 10_000_000,
      interval: '1h',
      blockCache: false,
      store,
    })
    return (key) => limiter.limit(key)
  },
  '@sec sliding window': () => {
    const store = memoryStore({ maxKeys: keys })
    const limiter = slidingWindow({ limit: huge, window: '1h', blockCache: false, store })
    return (key) => limiter.limit(key)
  },
  'rate-limiter-flexible': () => {
    const limiter = new RateLimiterMemory({ points: huge, duration: 3600 })
    return (key) => limiter.consume(key)
  },
  'express-rate-limit': () => {
    const store = new MemoryStore()
    store.init({ windowMs: 3_600_000 })
    const decide = (key) => store.increment(key)
    decide.close = () => store.shutdown()
    return decide
  },
}

// A full collection before each reading, without asking for --expose-gc on the command line.
v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc')

function heapUsed() {
  gc()
  gc()
  const { heapUsed, arrayBuffers } = process.memoryUsage()
  return heapUsed + arrayBuffers
}

const keyNames = Array.from({ length: keys }, (_, i) => `client-${i}`)
console.log(
  `Heap bytes (JS heap and array buffers) per key at ${keys} keys (key strings excluded, they exist before the measurement):`,
)
console.log('')
console.log('| store | bytes per key |')
console.log('|---|---|')
// Each variant is measured inside its own call, so nothing of the previous one is still reachable
// when the next one takes its "before" reading.
async function bytesPerKey(make) {
  const before = heapUsed()
  const decide = make()
  for (const key of keyNames) await decide(key)
  const after = heapUsed()
  decide.close?.()
  return (after - before) / keys
}

for (const [name, make] of Object.entries(variants)) {
  console.log(`| ${name} | ${Math.round(await bytesPerKey(make))} |`)
}
