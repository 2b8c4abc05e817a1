// In-process decisions per second: @sec limiters on the memory store vs rate-limiter-flexible's
// RateLimiterMemory.consume() and express-rate-limit's MemoryStore.increment(), with one hot key
// and with 100,000 keys. Limits are high enough that every decision admits, so each library runs
// its counting path (checked: a run with one refusal fails); a blocked key is cheaper still for
// @sec (its block cache answers). Every promise-returning decision is awaited; the `limitSync` rows
// are @sec's synchronous fast path on the memory store, called without a promise.
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { fixedWindow, slidingWindow, tokenBucket } from '@sec/core/ratelimit'
import { MemoryStore } from 'express-rate-limit'
import { RateLimiterMemory } from 'rate-limiter-flexible'

const rounds = Number(process.env.BENCH_ROUNDS ?? 5)
const ops = Number(process.env.BENCH_OPS ?? 300_000)
const manyKeys = 100_000
const huge = 1_000_000_000

const hotKeys = ['203.0.113.9']
const spreadKeys = Array.from({ length: manyKeys }, (_, i) => `198.51.${(i >> 8) & 255}.${i & 255}:${i}`)

// Each variant gives a decide function and `admitted(answer)`, true when the decision admitted.
function secVariant(make) {
  return () => {
    const limiter = make()
    const decide = (key) => limiter.limit(key)
    decide.admitted = (result) => result.allowed
    return decide
  }
}

function secSyncVariant(make) {
  return () => {
    const limiter = make()
    const decide = (key) => limiter.limitSync(key)
    decide.admitted = (result) => result.allowed
    decide.sync = true
    return decide
  }
}

const makeTokenBucket = () =>
  tokenBucket({ capacity: huge, refillRate: 10_000_000, interval: '1h', blockCache: false })
const makeFixedWindow = () => fixedWindow({ limit: huge, window: '1m', blockCache: false })
const makeSlidingWindow = () => slidingWindow({ limit: huge, window: '1m', blockCache: false })

const variants = {
  'sec token bucket': secVariant(makeTokenBucket),
  'sec fixed window': secVariant(makeFixedWindow),
  'sec sliding window': secVariant(makeSlidingWindow),
  'sec token bucket, limitSync': secSyncVariant(makeTokenBucket),
  'sec fixed window, limitSync': secSyncVariant(makeFixedWindow),
  'sec sliding window, limitSync': secSyncVariant(makeSlidingWindow),
  'rate-limiter-flexible': () => {
    const limiter = new RateLimiterMemory({ points: huge, duration: 60 })
    // consume() rejects when it refuses, so an answer is an admission.
    const decide = (key) => limiter.consume(key, 1)
    decide.admitted = (result) => result.remainingPoints >= 0
    return decide
  },
  'express-rate-limit': () => {
    const store = new MemoryStore()
    store.init({ windowMs: 60_000 })
    const decide = (key) => store.increment(key)
    decide.admitted = (client) => client.totalHits <= huge
    decide.close = () => store.shutdown()
    return decide
  },
}

async function run(decide, keys, count) {
  const n = keys.length
  let refused = 0
  for (let i = 0; i < count; i++) if (!decide.admitted(await decide(keys[i % n]))) refused++
  return refused
}

function runSync(decide, keys, count) {
  const n = keys.length
  let refused = 0
  for (let i = 0; i < count; i++) if (!decide.admitted(decide(keys[i % n]))) refused++
  return refused
}

async function measure(name, makeDecide, keys) {
  const decide = makeDecide()
  const loop = decide.sync ? runSync : run
  let refused = await loop(decide, keys, Math.min(ops, 50_000))
  const start = process.hrtime.bigint()
  refused += await loop(decide, keys, ops)
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  decide.close?.()
  if (refused !== 0)
    throw new Error(`${name} refused ${refused} decisions; the bench measures admissions only`)
  return ops / seconds
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const cases = { '1 hot key': hotKeys, '100,000 keys': spreadKeys }

// Each measurement runs in a fresh process: in one process shared by every variant, the compiler's
// view of the code the variants share (the limiter, the store) turns polymorphic after the first
// variant, so the order of the variants would decide their speed. Alone, each library runs its
// code as an app with one kind of limiter would.
if (process.argv[2] === '--measure') {
  const [caseName, name] = process.argv.slice(3)
  process.stdout.write(String(await measure(name, variants[name], cases[caseName])))
  process.exit(0)
}

const script = fileURLToPath(import.meta.url)
function measureAlone(caseName, name) {
  const output = execFileSync(process.execPath, [script, '--measure', caseName, name], {
    env: process.env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return Number(output)
}

const samples = {}
for (let round = 0; round < rounds; round++) {
  for (const caseName of Object.keys(cases)) {
    for (const name of Object.keys(variants)) {
      const rate = measureAlone(caseName, name)
      samples[`${caseName}|${name}`] ??= []
      samples[`${caseName}|${name}`].push(rate)
      process.stderr.write(`round ${round + 1} ${caseName} ${name}: ${Math.round(rate)} ops/s\n`)
    }
  }
}

console.log(
  `Settings: ${rounds} rounds x ${ops} decisions per variant, each measured in a process of its own, medians`,
)
for (const caseName of Object.keys(cases)) {
  const rlf = median(samples[`${caseName}|rate-limiter-flexible`])
  const erl = median(samples[`${caseName}|express-rate-limit`])
  console.log('')
  console.log(`${caseName}:`)
  console.log('')
  console.log('| limiter | ops/s | vs rate-limiter-flexible | vs express-rate-limit |')
  console.log('|---|---|---|---|')
  for (const name of Object.keys(variants)) {
    const rate = median(samples[`${caseName}|${name}`])
    console.log(`| ${name} | ${Math.round(rate)} | ${(rate / rlf).toFixed(2)} | ${(rate / erl).toFixed(2)} |`)
  }
}
