// SigV4 signing and verification per second, in process, for a 1 KiB JSON POST: aws4's `sign`
// (the baseline) against @sec's signer, and @sec's verifier (what the `sigv4` guard runs: the
// Authorization header parsed, the scope, window and signed headers checked, the body hashed,
// the signature computed and compared, the nonce recorded in a memory store), on Web Crypto
// and on node:crypto.
import { createSigner, createSigV4Verifier, memoryNonceStore } from '@sec/core/signing'
// @sec/node is not (yet) a dependency of this package: its build, from the workspace.
import { fromNodeRequest, nodeSigningCrypto } from '@sec/node'
import aws4 from 'aws4'

const rounds = Number(process.env.BENCH_ROUNDS ?? 11)
const ops = Number(process.env.BENCH_OPS ?? 10_000)

const accessKeyId = 'AKIDBENCH'
const secretAccessKey = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
const region = 'eu'
const service = 'notes'
const host = 'api.example.com'
const path = '/v1/notes'
const url = `https://${host}${path}`
const contentType = 'application/json'
// A fixed signing time, given to the verifier too, so no request leaves the ±5-minute window
// however long the run takes.
const now = Date.UTC(2026, 0, 15, 12, 0, 0)
const clock = { now: () => now }

/** A JSON note of exactly 1024 bytes. */
function jsonBody() {
  const base = { title: 'Quarterly report', tags: ['finance', 'q4'], text: '' }
  const length = JSON.stringify(base).length
  return JSON.stringify({ ...base, text: 'x'.repeat(1024 - length) })
}
const body = jsonBody()
if (Buffer.byteLength(body) !== 1024) throw new Error('The body must be 1 KiB.')

const signerOptions = { accessKeyId, secretAccessKey, region, service, clock }
const webSigner = createSigner(signerOptions)
const nodeSigner = createSigner({ ...signerOptions, crypto: nodeSigningCrypto })
const toSign = { method: 'POST', url, headers: { 'content-type': contentType }, body }

/**
 * A header name or value as Node's HTTP parser hands it over: a string of its own, in one piece.
 * (The signer's values are built by concatenation; the engine would join their pieces on first
 * use, work a server never does.)
 */
const received = (text) => Buffer.from(text, 'latin1').toString('latin1')

/**
 * The requests to verify, signed up front (each carries its own nonce, accepted once), as an
 * Express, Fastify or Koa server hands them to the guard: `fromNodeRequest` over the raw header
 * lines, and the body already read (as the guard's `ctx.body()` gives it), one buffer per request.
 */
async function signedRequests(count) {
  const requests = []
  for (let i = 0; i < count; i++) {
    const added = await nodeSigner.sign(toSign)
    const rawHeaders = ['Host', host, 'Content-Type', contentType, 'Content-Length', '1024']
    for (const [name, value] of Object.entries(added)) rawHeaders.push(received(name), received(value))
    const request = fromNodeRequest({ method: 'POST', url: path, rawHeaders, socket: null })
    const bytes = new Uint8Array(Buffer.from(body))
    requests.push({ request, body: () => Promise.resolve(bytes) })
  }
  return requests
}

/** Wall-clock and CPU time now, to measure a loop with both. */
function clocks() {
  return { wall: process.hrtime.bigint(), cpu: process.cpuUsage() }
}

/**
 * Operations per second of wall-clock time, and per second of this process's CPU time (user +
 * system), which stays steadier when other jobs take turns on the cores.
 */
function rates(n, started) {
  const wall = Number(process.hrtime.bigint() - started.wall) / 1e9
  const cpu = process.cpuUsage(started.cpu)
  return { wall: n / wall, cpu: n / ((cpu.user + cpu.system) / 1e6) }
}

const requests = await signedRequests(ops)
const warmUp = await signedRequests(Math.min(ops, 2_000))

/** A verifier with an empty memory nonce store: one per measurement, since each nonce passes once. */
function verifier(crypto) {
  const credentials = (id) => (id === accessKeyId ? [secretAccessKey] : undefined)
  return createSigV4Verifier({
    credentials,
    region,
    service,
    nonce: { store: memoryNonceStore({ maxEntries: Math.max(100_000, 2 * ops) }) },
    ...(crypto === undefined ? {} : { crypto }),
  })
}

function verifying(crypto) {
  return async (n) => {
    for (const batch of [warmUp, requests]) {
      const { verify } = verifier(crypto)
      const count = batch === warmUp ? warmUp.length : n
      const started = clocks()
      for (let i = 0; i < count; i++) {
        const { request, body: readBody } = batch[i]
        const result = await verify(request, { now, body: readBody })
        if (!result.valid) throw new Error(`Verification refused: ${result.reason}`)
      }
      if (batch === requests) return rates(n, started)
    }
  }
}

/** Runs `call` n times after a warm-up; a call that answers a promise is awaited. */
function looping(call) {
  return async (n) => {
    for (let i = 0; i < Math.min(n, 2_000); i++) {
      const result = call()
      if (result instanceof Promise) await result
    }
    const started = clocks()
    for (let i = 0; i < n; i++) {
      const result = call()
      if (result instanceof Promise) await result
    }
    return rates(n, started)
  }
}

const credentials = { accessKeyId, secretAccessKey }
const variants = {
  // A new request object each time: aws4 adds its headers to the one it is given.
  'aws4.sign': looping(() =>
    aws4.sign(
      { host, path, method: 'POST', service, region, headers: { 'Content-Type': contentType }, body },
      credentials,
    ),
  ),
  'sec sign, Web Crypto': looping(() => webSigner.sign(toSign)),
  'sec sign, nodeSigningCrypto': looping(() => nodeSigner.sign(toSign)),
  'sec verify, Web Crypto': verifying(undefined),
  'sec verify, nodeSigningCrypto': verifying(nodeSigningCrypto),
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const samples = {}
for (let round = 0; round < rounds; round++) {
  for (const [name, measure] of Object.entries(variants)) {
    const rate = await measure(ops)
    samples[name] ??= []
    samples[name].push(rate)
    process.stderr.write(
      `round ${round + 1} ${name}: ${Math.round(rate.wall)} ops/s, ${Math.round(rate.cpu)} per CPU second\n`,
    )
  }
}

/** The median of a variant's figures, and the median of its ratios to aws4.sign measured in the same round. */
function summary(name, time) {
  const rates = samples[name].map((rate) => rate[time])
  const ratios = rates.map((rate, round) => rate / samples['aws4.sign'][round][time])
  return { rate: Math.round(median(rates)), ratio: median(ratios).toFixed(2) }
}

console.log(
  `Settings: ${rounds} rounds, ${ops} operations per variant and round, a ${Buffer.byteLength(body)}-byte JSON POST; medians, and medians of the ratios of each round`,
)
console.log('')
console.log('| variant | operations/s | vs aws4.sign | operations per CPU second | vs aws4.sign (CPU) |')
console.log('|---|---|---|---|---|')
for (const name of Object.keys(variants)) {
  const wall = summary(name, 'wall')
  const cpu = summary(name, 'cpu')
  console.log(`| ${name} | ${wall.rate} | ${wall.ratio} | ${cpu.rate} | ${cpu.ratio} |`)
}
