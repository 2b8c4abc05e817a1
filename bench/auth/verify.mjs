// Token verifications per second, in process: @sec's createTokenVerifier with the same token again
// (a cache hit), with a fresh token each time (a miss: the full jose verification plus the cache's
// bookkeeping), and a cache hit that also asks a revocation store, against jose's jwtVerify alone
// on the same key and the same checks (issuer, audience, algorithm). RS256 and ES256.
import { createTokenVerifier, memoryRevocationStore } from '@sec/core/auth'
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT } from 'jose'

const rounds = Number(process.env.BENCH_ROUNDS ?? 5)
const ops = Number(process.env.BENCH_OPS ?? 20_000)
const freshTokens = Number(process.env.BENCH_FRESH ?? 2_000)
const issuer = 'https://auth.example.com/'
const audience = 'https://api.example.com'
const now = Math.floor(Date.now() / 1000)

async function signer(alg) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true })
  const publicJwk = { ...(await exportJWK(publicKey)), kid: `${alg}-1`, alg, use: 'sig' }
  const sign = (i) =>
    new SignJWT({ scope: 'notes:read notes:write', client_id: 'bench' })
      .setProtectedHeader({ alg, kid: publicJwk.kid, typ: 'at+jwt' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(`user-${i}`)
      .setJti(`jti-${i}`)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(privateKey)
  return { publicJwk, sign }
}

async function variants(alg) {
  const { publicJwk, sign } = await signer(alg)
  const token = await sign(0)
  const fresh = await Promise.all(Array.from({ length: freshTokens }, (_, i) => sign(i + 1)))
  const joseKey = await importJWK(publicJwk, alg)
  const keys = { keys: [publicJwk] }
  const options = { issuer, audience, algorithms: [alg] }
  const revocations = memoryRevocationStore()
  await revocations.revoke('jti-other', (now + 3600) * 1000)
  const cached = createTokenVerifier({ ...options, keys })
  const withRevocation = createTokenVerifier({ ...options, keys, revocationStore: revocations })
  const uncached = createTokenVerifier({ ...options, keys, cacheSize: 0 })
  // The same key object for jose: no JWKS lookup, the least jwtVerify can do per token.
  return {
    [`jose jwtVerify ${alg}`]: (i) => jwtVerify(fresh[i % freshTokens], joseKey, options),
    [`sec cache hit ${alg}`]: () => cached.verify(token),
    [`sec cache hit + revocation store ${alg}`]: () => withRevocation.verify(token),
    [`sec fresh token ${alg}`]: (i) => uncached.verify(fresh[i % freshTokens]),
  }
}

async function measure(verify, n) {
  for (let i = 0; i < Math.min(n, 2_000); i++) await verify(i)
  const start = process.hrtime.bigint()
  for (let i = 0; i < n; i++) await verify(i)
  return n / (Number(process.hrtime.bigint() - start) / 1e9)
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const algorithms = ['RS256', 'ES256']
const all = {}
for (const alg of algorithms) all[alg] = await variants(alg)
const samples = {}
for (let round = 0; round < rounds; round++) {
  for (const alg of algorithms) {
    for (const [name, verify] of Object.entries(all[alg])) {
      // A cache hit is thousands of times cheaper: give it more calls so the clock can see it.
      const n = name.includes('cache hit') ? ops * 20 : ops
      const rate = await measure(verify, n)
      samples[name] ??= []
      samples[name].push(rate)
      process.stderr.write(`round ${round + 1} ${name}: ${Math.round(rate)} ops/s\n`)
    }
  }
}

console.log(`Settings: ${rounds} rounds, ${ops} verifications per variant (x20 for cache hits), medians`)
for (const alg of algorithms) {
  const base = median(samples[`jose jwtVerify ${alg}`])
  console.log('')
  console.log(`${alg}:`)
  console.log('')
  console.log('| variant | verifications/s | vs jose jwtVerify |')
  console.log('|---|---|---|')
  for (const name of Object.keys(all[alg])) {
    const rate = median(samples[name])
    console.log(`| ${name} | ${Math.round(rate)} | ${(rate / base).toFixed(2)} |`)
  }
}
