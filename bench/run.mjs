// Runs a benchmark suite: `node bench/run.mjs <suite>`, `http` by default.
const suite = process.argv[2] ?? 'http'
if (suite === 'http-auth') process.env.BENCH_SCENARIO = 'auth'
const suites = {
  http: './http/run.mjs',
  ratelimit: './ratelimit/memory.mjs',
  'ratelimit-redis': './ratelimit/redis.mjs',
  'ratelimit-memory': './ratelimit/memory-per-key.mjs',
  auth: './auth/verify.mjs',
  'http-auth': './http/run.mjs',
  signing: './signing/sigv4.mjs',
}
if (!(suite in suites)) {
  console.error(`Unknown suite "${suite}". Known: ${Object.keys(suites).join(', ')}`)
  process.exit(2)
}
await import(suites[suite])
