import { base64url, exportSPKI } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSecurity } from '../pipeline/index.js'
import { fromWebRequest } from '../request/index.js'
import { type BearerOptions, bearer } from './bearer-guard.js'
import { memoryRevocationStore, type RevocationStore } from './revocation-store.js'
import {
  createKeyPair,
  encodeJson,
  hmacKey,
  hmacToken,
  type JwksServer,
  type RawSigner,
  rawSigner,
  rawToken,
  startJwksServer,
  type TestKeyPair,
} from './test-issuer.js'
import { InvalidTokenError, type InvalidTokenReason } from './token-errors.js'
import { createTokenVerifier } from './verify-token.js'

// The JWT attack suite: every verifier configuration must refuse every forged, altered, stale or
// misdirected token with the same 401, whatever check caught it.

const now = Date.UTC(2026, 0, 15, 12, 0, 0)
const nowSeconds = now / 1000
const issuer = 'https://auth.example.com/'
const audience = 'https://api.example.com'
const secretBytes = new TextEncoder().encode('a-test-only-hs256-secret-of-more-than-32-bytes')

const invalidTokenHeaders = {
  'cache-control': 'no-store',
  'content-type': 'application/problem+json',
  'www-authenticate': 'Bearer realm="api", error="invalid_token"',
}
const invalidRequestHeaders = {
  ...invalidTokenHeaders,
  'www-authenticate': 'Bearer realm="api", error="invalid_request"',
}
const invalidRequestBody = JSON.stringify({
  detail: 'The Authorization header is not a valid Bearer credential.',
  type: 'urn:sec:problem:invalid-request',
  title: 'Invalid Request',
  status: 400,
})
const invalidTokenBody = JSON.stringify({
  detail: 'The access token is not valid.',
  type: 'urn:sec:problem:unauthorized',
  title: 'Unauthorized',
  status: 401,
})

let jtiCounter = 0

function validClaims(): Record<string, unknown> {
  return {
    iss: issuer,
    aud: audience,
    sub: 'user-1',
    client_id: 'client-1',
    scope: 'notes:read',
    iat: nowSeconds - 10,
    exp: nowSeconds + 600,
    jti: `jti-${(jtiCounter++).toString(36)}`,
  }
}

interface Keys {
  readonly rsa: TestKeyPair
  readonly ps: TestKeyPair
  readonly ec: TestKeyPair
  readonly ed: TestKeyPair
  readonly attacker: TestKeyPair
  readonly attackerEc: TestKeyPair
}

/** One verifier configuration under attack. */
interface Configuration {
  readonly name: string
  readonly strict: boolean
  /** The guard's options. */
  readonly options: BearerOptions
  /** Signs with the legitimate key, with the header the issuer would use (plus overrides). */
  readonly sign: RawSigner
  readonly revocations: RevocationStore
}

/** One attack: a token to send, and the reasons the verifier may log for refusing it. */
interface Attack {
  readonly name: string
  /** Only against strict RFC 9068 configurations (a non-strict one accepts these on purpose). */
  readonly strictOnly?: boolean
  readonly reasons: readonly InvalidTokenReason[]
  /**
   * The token cannot even be sent as a Bearer credential (it is not a token68), so the header is
   * answered 400 `invalid_request` before any verification.
   */
  readonly notToken68?: boolean
  token(config: Configuration): Promise<string>
}

let keys: Keys
let jwksServer: JwksServer
let attackerServer: JwksServer
const configurations: Configuration[] = []

beforeAll(async () => {
  keys = {
    rsa: await createKeyPair('RS256', 'rsa-1'),
    ps: await createKeyPair('PS256', 'ps-1'),
    ec: await createKeyPair('ES256', 'ec-1'),
    ed: await createKeyPair('EdDSA', 'ed-1'),
    attacker: await createKeyPair('RS256', 'attacker-1'),
    attackerEc: await createKeyPair('ES256', 'attacker-ec'),
  }
  jwksServer = await startJwksServer({ keys: [keys.ec.publicJwk, keys.rsa.publicJwk] })
  attackerServer = await startJwksServer({ keys: [keys.attacker.publicJwk, keys.attackerEc.publicJwk] })
  const store = () => memoryRevocationStore({ clock: { now: () => now } })
  const local = store()
  const remote = store()
  const strict = store()
  const symmetric = store()
  configurations.push(
    {
      name: 'a local key set (RS256, ES256, EdDSA keys)',
      strict: false,
      options: {
        issuer,
        audience,
        keys: { keys: [keys.rsa.publicJwk, keys.ec.publicJwk, keys.ed.publicJwk] },
        revocationStore: local,
      },
      sign: rawSigner(keys.rsa.privateKey, 'RS256', keys.rsa.kid),
      revocations: local,
    },
    {
      name: 'a remote JWKS over HTTP (ES256, RS256 keys)',
      strict: false,
      options: { issuer, audience, jwks: jwksServer.url, jwksCooldown: 0, revocationStore: remote },
      sign: rawSigner(keys.ec.privateKey, 'ES256', keys.ec.kid),
      revocations: remote,
    },
    {
      name: 'strict RFC 9068 with a local key set (PS256, ES256 keys)',
      strict: true,
      options: {
        issuer,
        audience,
        strict: true,
        keys: { keys: [keys.ps.publicJwk, keys.ec.publicJwk] },
        revocationStore: strict,
      },
      sign: async (header, payload, options) =>
        rawSigner(keys.ps.privateKey, 'PS256', keys.ps.kid)({ typ: 'at+jwt', ...header }, payload, options),
      revocations: strict,
    },
    {
      name: 'HS256 with a shared secret',
      strict: false,
      options: { issuer, audience, algorithms: ['HS256'], secret: secretBytes, revocationStore: symmetric },
      sign: rawSigner(await hmacKey(secretBytes), 'HS256'),
      revocations: symmetric,
    },
  )
})

afterAll(async () => {
  await jwksServer?.close()
  await attackerServer?.close()
})

async function send(config: Configuration, token: string, guard = bearer(config.options)) {
  const security = createSecurity({ guards: [guard], clock: { now: () => now } })
  const request = new Request('https://api.example.com/v1/notes', {
    headers: { authorization: `Bearer ${token}` },
  })
  return security.protect(fromWebRequest(request))
}

function signatureOf(token: string): string {
  return token.slice(token.lastIndexOf('.') + 1)
}

function withSignature(token: string, signature: string): string {
  return `${token.slice(0, token.lastIndexOf('.') + 1)}${signature}`
}

async function legit(config: Configuration, claims: Record<string, unknown> = {}): Promise<string> {
  return config.sign({}, { ...validClaims(), ...claims })
}

async function pem(pair: TestKeyPair): Promise<string> {
  return exportSPKI(pair.publicKey)
}

async function spkiBytes(pair: TestKeyPair): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey))
}

function hs256WithKey(kid: string, secret: (k: Keys) => Promise<string | Uint8Array>): Attack['token'] {
  return async (config) =>
    hmacToken({ alg: 'HS256', typ: config.strict ? 'at+jwt' : 'JWT', kid }, validClaims(), await secret(keys))
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

const noneVariants = ['none', 'None', 'NONE', 'nOnE']
const confusionSecrets: ReadonlyArray<[string, string, (k: Keys) => Promise<string | Uint8Array>]> = [
  ['the RSA public key as PEM', 'rsa-1', (k) => pem(k.rsa)],
  ['the RSA public key as PEM with leading whitespace', 'rsa-1', async (k) => `\n ${await pem(k.rsa)}`],
  ['the RSA public key as PEM with an extra trailing byte', 'rsa-1', async (k) => `${await pem(k.rsa)}\n`],
  ['the RSA public key as PEM without its final newline', 'rsa-1', async (k) => (await pem(k.rsa)).trimEnd()],
  ['the RSA public key as DER (SPKI bytes)', 'rsa-1', (k) => spkiBytes(k.rsa)],
  ['the RSA public key as a JWK', 'rsa-1', async (k) => JSON.stringify(k.rsa.publicJwk)],
  ['the RSA modulus (n) of the JWK', 'rsa-1', async (k) => String(k.rsa.publicJwk.n)],
  ['the EC public key as PEM', 'ec-1', (k) => pem(k.ec)],
  ['the EC public key as PEM with an extra trailing byte', 'ec-1', async (k) => `${await pem(k.ec)}\0`],
  ['the EC public key as a JWK', 'ec-1', async (k) => JSON.stringify(k.ec.publicJwk)],
]
const hostileKids = [
  '../../../../../../dev/null',
  '/etc/passwd',
  "' OR '1'='1",
  "x' UNION SELECT 'attacker-secret' --",
  'rsa-1\u0000',
  'rsa-1; DROP TABLE keys',
]

const attacks: Attack[] = [
  ...noneVariants.flatMap((alg): Attack[] => [
    {
      name: `alg: ${alg} with an empty signature`,
      reasons: ['malformed'],
      token: async () => rawToken({ alg, typ: 'JWT' }, validClaims()),
    },
    {
      name: `alg: ${alg} with a signature copied from a valid token`,
      reasons: ['algorithm'],
      token: async (config) => rawToken({ alg, typ: 'JWT' }, validClaims(), signatureOf(await legit(config))),
    },
  ]),
  ...confusionSecrets.map(
    ([what, kid, secret]): Attack => ({
      name: `HS256 signed with ${what}`,
      reasons: ['algorithm', 'signature'],
      token: hs256WithKey(kid, secret),
    }),
  ),
  ...hostileKids.map(
    (kid): Attack => ({
      name: `kid ${JSON.stringify(kid)} signed by the attacker's key`,
      reasons: ['key', 'algorithm', 'signature'],
      token: async () => rawSigner(keys.attacker.privateKey, 'RS256', kid)({ typ: 'at+jwt' }, validClaims()),
    }),
  ),
  {
    name: 'kid "/dev/null" with HS256 and a single zero byte as the secret',
    reasons: ['algorithm', 'signature'],
    token: hs256WithKey('../../../../dev/null', async () => new Uint8Array(1)),
  },
  {
    name: "jku pointing to the attacker's key set",
    reasons: ['key', 'algorithm'],
    token: async () =>
      rawSigner(
        keys.attacker.privateKey,
        'RS256',
        keys.attacker.kid,
      )({ typ: 'at+jwt', jku: attackerServer.url }, validClaims()),
  },
  {
    name: "jku pointing to the attacker's key set, with a legitimate kid",
    reasons: ['key', 'algorithm', 'signature'],
    token: async () =>
      rawSigner(
        keys.attacker.privateKey,
        'RS256',
        'rsa-1',
      )({ typ: 'at+jwt', jku: attackerServer.url }, validClaims()),
  },
  {
    name: "x5u pointing to the attacker's key",
    reasons: ['key', 'algorithm'],
    token: async () =>
      rawSigner(
        keys.attacker.privateKey,
        'RS256',
        keys.attacker.kid,
      )({ typ: 'at+jwt', x5u: attackerServer.url }, validClaims()),
  },
  {
    name: "an embedded jwk holding the attacker's key, without kid",
    reasons: ['key', 'algorithm', 'signature'],
    token: async () =>
      rawSigner(keys.attacker.privateKey, 'RS256')(
        { typ: 'at+jwt', jwk: keys.attacker.publicJwk },
        validClaims(),
      ),
  },
  {
    name: "an embedded jwk holding the attacker's EC key, with a legitimate kid",
    reasons: ['key', 'algorithm', 'signature'],
    token: async () =>
      rawSigner(
        keys.attackerEc.privateKey,
        'ES256',
        'ec-1',
      )({ typ: 'at+jwt', jwk: keys.attackerEc.publicJwk }, validClaims()),
  },
  {
    name: 'an unknown critical header parameter',
    reasons: ['malformed'],
    token: async (config) =>
      config.sign(
        { crit: ['https://example.com/must-understand'], 'https://example.com/must-understand': true },
        validClaims(),
      ),
  },
  {
    name: 'crit naming a parameter that is absent',
    reasons: ['malformed'],
    token: async (config) => config.sign({ crit: ['exp'] }, validClaims()),
  },
  {
    name: 'b64: false with the payload unencoded',
    reasons: ['malformed'],
    notToken68: true,
    token: async (config) =>
      config.sign({ b64: false, crit: ['b64'] }, validClaims(), { unencodedPayload: true }),
  },
  {
    name: 'b64: false over a base64url-looking payload',
    reasons: ['malformed'],
    token: async (config) => config.sign({ b64: false, crit: ['b64'] }, validClaims()),
  },
  {
    name: 'expired an hour ago',
    reasons: ['expired'],
    token: (config) => legit(config, { exp: nowSeconds - 3600, iat: nowSeconds - 7200 }),
  },
  {
    name: 'expired just beyond the clock tolerance',
    reasons: ['expired'],
    token: (config) => legit(config, { exp: nowSeconds - 31 }),
  },
  {
    name: 'not valid for another hour (nbf)',
    reasons: ['not-yet-valid'],
    token: (config) => legit(config, { nbf: nowSeconds + 3600 }),
  },
  {
    name: 'not valid until just beyond the clock tolerance (nbf)',
    reasons: ['not-yet-valid'],
    token: (config) => legit(config, { nbf: nowSeconds + 31 }),
  },
  {
    name: 'a wrong issuer',
    reasons: ['claims'],
    token: (config) => legit(config, { iss: 'https://evil.example.com/' }),
  },
  {
    name: 'an issuer differing by its trailing slash',
    reasons: ['claims'],
    token: (config) => legit(config, { iss: 'https://auth.example.com' }),
  },
  {
    name: 'a wrong audience',
    reasons: ['claims'],
    token: (config) => legit(config, { aud: 'https://other-api.example.com' }),
  },
  {
    name: 'an audience list without this API',
    reasons: ['claims'],
    token: (config) => legit(config, { aud: ['https://other-api.example.com', 'https://api.example.co'] }),
  },
  {
    name: 'a missing exp',
    reasons: ['claims'],
    token: (config) => legit(config, { exp: undefined }),
  },
  {
    name: 'an exp that is not a number',
    reasons: ['claims'],
    token: (config) => legit(config, { exp: String(nowSeconds + 600) }),
  },
  { name: 'a missing iss', reasons: ['claims'], token: (config) => legit(config, { iss: undefined }) },
  { name: 'a missing aud', reasons: ['claims'], token: (config) => legit(config, { aud: undefined }) },
  { name: 'a missing sub', reasons: ['claims'], token: (config) => legit(config, { sub: undefined }) },
  {
    name: 'a scope claim of the wrong shape',
    reasons: ['claims'],
    token: (config) => legit(config, { scope: ['notes:read', 'admin'] }),
  },
  {
    name: 'typ JWT in strict mode',
    strictOnly: true,
    reasons: ['type'],
    token: async (config) => config.sign({ typ: 'JWT' }, validClaims()),
  },
  {
    name: 'typ of an ID token in strict mode',
    strictOnly: true,
    reasons: ['type'],
    token: async (config) => config.sign({ typ: 'id_token+jwt' }, validClaims()),
  },
  {
    name: 'no typ in strict mode',
    strictOnly: true,
    reasons: ['type'],
    token: async (config) => config.sign({ typ: undefined }, validClaims()),
  },
  {
    name: 'a missing client_id in strict mode',
    strictOnly: true,
    reasons: ['claims'],
    token: (config) => legit(config, { client_id: undefined }),
  },
  {
    name: 'a missing iat in strict mode',
    strictOnly: true,
    reasons: ['claims'],
    token: (config) => legit(config, { iat: undefined }),
  },
  ...(
    [
      ['r and s zero', () => new Uint8Array(64)],
      ['r zero', (sig: Uint8Array) => Uint8Array.from([...new Uint8Array(32), ...sig.slice(32)])],
      ['s zero', (sig: Uint8Array) => Uint8Array.from([...sig.slice(0, 32), ...new Uint8Array(32)])],
    ] as const
  ).map(
    ([what, forge]): Attack => ({
      name: `an ECDSA signature with ${what}`,
      reasons: ['signature', 'key', 'algorithm'],
      token: async () => {
        const token = await rawSigner(
          keys.ec.privateKey,
          'ES256',
          keys.ec.kid,
        )({ typ: 'at+jwt' }, validClaims())
        return withSignature(token, base64url.encode(forge(base64url.decode(signatureOf(token)))))
      },
    }),
  ),
  {
    name: 'an ECDSA signature re-encoded as ASN.1 DER',
    reasons: ['signature', 'key', 'algorithm'],
    token: async () => {
      const token = await rawSigner(
        keys.ec.privateKey,
        'ES256',
        keys.ec.kid,
      )({ typ: 'at+jwt' }, validClaims())
      const raw = base64url.decode(signatureOf(token))
      const integer = (bytes: Uint8Array) => {
        const body = (bytes[0] ?? 0) & 0x80 ? [0, ...bytes] : [...bytes]
        return [0x02, body.length, ...body]
      }
      const sequence = [...integer(raw.slice(0, 32)), ...integer(raw.slice(32))]
      return withSignature(token, base64url.encode(Uint8Array.from([0x30, sequence.length, ...sequence])))
    },
  },
  {
    name: 'a signature with its last character dropped',
    reasons: ['malformed', 'signature'],
    token: async (config) => {
      const token = await legit(config)
      return token.slice(0, -1)
    },
  },
  {
    name: 'a signature cut in half',
    reasons: ['malformed', 'signature'],
    token: async (config) => {
      const token = await legit(config)
      const signature = signatureOf(token)
      return withSignature(token, signature.slice(0, Math.floor(signature.length / 8) * 4))
    },
  },
  {
    name: 'a signature re-encoded with padding',
    reasons: ['malformed'],
    token: async (config) => {
      const token = await legit(config)
      const signature = signatureOf(token)
      return withSignature(token, signature + '='.repeat((4 - (signature.length % 4)) % 4 || 2))
    },
  },
  {
    name: 'a signature re-encoded with other padding bits in its last character',
    reasons: ['malformed'],
    token: async (config) => {
      const token = await legit(config)
      const signature = signatureOf(token)
      // Every configuration's signature length leaves padding bits in the last character.
      expect(signature.length % 4).not.toBe(0)
      const last = alphabet.indexOf(signature.charAt(signature.length - 1))
      return withSignature(token, signature.slice(0, -1) + alphabet.charAt(last ^ 1))
    },
  },
  {
    name: 'a signature re-encoded in standard base64',
    reasons: ['malformed'],
    token: async (config) => {
      let token = await legit(config)
      while (!/[-_]/.test(signatureOf(token))) token = await legit(config)
      const signature = signatureOf(token)
      return withSignature(token, signature.replaceAll('-', '+').replaceAll('_', '/'))
    },
  },
  {
    name: 'the signature of another valid token',
    reasons: ['signature'],
    token: async (config) =>
      withSignature(await legit(config), signatureOf(await legit(config, { sub: 'user-2' }))),
  },
  {
    name: 'a tampered payload (sub changed to admin)',
    reasons: ['signature'],
    token: async (config) => {
      const token = await legit(config)
      const [header, , signature] = token.split('.')
      return `${header}.${encodeJson({ ...validClaims(), sub: 'admin', scope: 'admin' })}.${signature}`
    },
  },
  {
    name: 'a tampered payload (exp extended by a year)',
    reasons: ['signature'],
    token: async (config) => {
      const claims = validClaims()
      const token = await config.sign({}, claims)
      const [header, , signature] = token.split('.')
      return `${header}.${encodeJson({ ...claims, exp: nowSeconds + 31_536_000 })}.${signature}`
    },
  },
  { name: 'not a JWT at all', reasons: ['malformed'], token: async () => 'abcdef' },
  {
    name: 'a JWE-shaped token (five segments)',
    reasons: ['malformed'],
    token: async () => 'eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..AAAA.AAAA.AAAA',
  },
  {
    name: 'a header that is not JSON',
    reasons: ['malformed'],
    token: async () => `${base64url.encode('not json')}.${encodeJson(validClaims())}.AAAA`,
  },
  {
    name: 'an oversized token',
    reasons: ['malformed'],
    token: async (config) => legit(config, { padding: 'x'.repeat(20_000) }),
  },
]

// Each attack is run twice per configuration: against the verifier alone (it must reject with an
// InvalidTokenError for one of the listed reasons) and through the bearer guard over HTTP (it must
// answer the one 401, whatever the reason).
describe('the JWT attack suite', () => {
  it('has legitimate tokens accepted by every configuration, so refusals below mean something', async () => {
    expect(configurations).toHaveLength(4)
    for (const config of configurations) {
      const outcome = await send(config, await legit(config))
      expect(outcome.verdict, config.name).toBe('allow')
      expect(outcome.principal, config.name).toMatchObject({
        id: 'user-1',
        kind: 'user',
        scopes: ['notes:read'],
      })
    }
  })

  for (const attack of attacks) {
    it(`refuses ${attack.name}, in every configuration, with the same 401`, async () => {
      let attempted = 0
      for (const config of configurations) {
        if (attack.strictOnly === true && !config.strict) continue
        attempted++
        const token = await attack.token(config)
        const refusal = await createTokenVerifier(config.options)
          .verify(token, { now })
          .then(
            () => undefined,
            (error: unknown) => error,
          )
        expect(refusal, config.name).toBeInstanceOf(InvalidTokenError)
        expect(attack.reasons, config.name).toContain((refusal as InvalidTokenError).reason)
        const outcome = await send(config, token)
        if (attack.notToken68 === true) {
          expect(outcome.response?.status, config.name).toBe(400)
          expect(Object.fromEntries(outcome.response?.headers ?? []), config.name).toEqual(
            invalidRequestHeaders,
          )
          expect(outcome.response?.body, config.name).toBe(invalidRequestBody)
          continue
        }
        expect(outcome.verdict, config.name).toBe('challenge')
        expect(outcome.response?.status, config.name).toBe(401)
        expect(Object.fromEntries(outcome.response?.headers ?? []), config.name).toEqual(invalidTokenHeaders)
        expect(outcome.response?.body, config.name).toBe(invalidTokenBody)
        expect(outcome.principal, config.name).toBeUndefined()
        expect(outcome.facts.bearer, config.name).toEqual({ rejected: (refusal as InvalidTokenError).reason })
      }
      expect(attempted).toBeGreaterThan(0)
    })
  }

  it('refuses a revoked jti, including a token already verified and cached', async () => {
    for (const config of configurations) {
      const guard = bearer(config.options)
      const claims = validClaims()
      const token = await config.sign({}, claims)
      expect((await send(config, token, guard)).verdict, config.name).toBe('allow')
      await config.revocations.revoke(String(claims.jti), (claims.exp as number) * 1000)
      const outcome = await send(config, token, guard)
      expect(outcome.response?.status, config.name).toBe(401)
      expect(Object.fromEntries(outcome.response?.headers ?? []), config.name).toEqual(invalidTokenHeaders)
      expect(outcome.response?.body, config.name).toBe(invalidTokenBody)
      expect(outcome.facts.bearer, config.name).toEqual({ rejected: 'revoked' })
      const fresh = await send(config, token)
      expect(fresh.facts.bearer, config.name).toEqual({ rejected: 'revoked' })
    }
  })

  it('refuses a token without jti when a revocation store is configured', async () => {
    for (const config of configurations) {
      const outcome = await send(config, await legit(config, { jti: undefined }))
      expect(outcome.response?.status, config.name).toBe(401)
      expect(outcome.facts.bearer, config.name).toEqual({ rejected: 'claims' })
    }
  })

  it('never followed jku or x5u: the attacker key server was never called', () => {
    expect(attackerServer.requests).toBe(0)
  })
})
