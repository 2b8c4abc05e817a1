// Runs a benchmark suite: `node bench/run.mjs http` (the default).
const suite = process.argv[2] ?? 'http'
const suites = { http: './http/run.mjs' }
if (!(suite in suites)) {
  console.error(`Unknown suite "${suite}". Known: ${Object.keys(suites).join(', ')}`)
  process.exit(2)
}
await import(suites[suite])
