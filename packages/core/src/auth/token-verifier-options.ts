import type { JSONWebKeySet, JWK } from 'jose'
import * as v from 'valibot'
import { configError } from '../config/index.js'
import { type Duration, parseDuration } from '../duration/index.js'
import type { Clock } from '../pipeline/index.js'
import type { KeySource } from './key-source.js'
import type { RevocationStore } from './revocation-store.js'

/**
 * A JWS algorithm a verifier may accept. `none` is not one: unsigned tokens are never accepted.
 * HS256 is the only symmetric one, and only with a `secret`.
 */
export type TokenAlgorithm =
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA'
  | 'Ed25519'
  | 'HS256'

/** Options of `createTokenVerifier()` (and of the `bearer()` guard, which builds one). */
export interface TokenVerifierOptions {
  /**
   * The expected `iss` claim: the authorization server's issuer identifier, exactly as it writes it
   * (e.g. `'https://auth.example.com/'`, trailing slash included if it sends one). Several for a
   * migration between issuers. Required.
   */
  readonly issuer: string | readonly string[]
  /**
   * The expected `aud` claim: this API's identifier at the authorization server. A token passes when
   * its `aud` (a string or a list) contains one of these. Required: without it a token issued for
   * another API of the same issuer would be accepted here.
   */
  readonly audience: string | readonly string[]
  /**
   * The URL of the issuer's JSON Web Key Set (its `jwks_uri`), fetched when first needed and cached
   * (see `jwksCacheMaxAge`, `jwksCooldown`, `jwksTimeout`). `https:` is required, except for
   * `http://localhost`, `127.0.0.1` and `[::1]` in development. Use exactly one of `jwks`, `keys`
   * and `secret`.
   */
  readonly jwks?: string | URL
  /**
   * A local JSON Web Key Set of public keys (`{ keys: [...] }`), for your own issuer or a pinned
   * one. List several for a rotation: the token's `kid` picks one. Private or symmetric keys are
   * refused.
   */
  readonly keys?: JSONWebKeySet
  /**
   * A shared secret for HS256, at least 32 bytes (as UTF-8 for a string); only with
   * `algorithms: ['HS256']`, and never together with `jwks` or `keys`: a verifier that accepts both
   * would let anyone who knows a public key sign tokens with it as an HMAC secret.
   */
  readonly secret?: string | Uint8Array
  /**
   * The `alg` values accepted. Default: `['RS256', 'PS256', 'ES256', 'EdDSA']`. `'HS256'` must be
   * listed alone, with a `secret`. `none` and unknown names are configuration errors.
   */
  readonly algorithms?: readonly TokenAlgorithm[]
  /**
   * How far apart the issuer's clock and ours may be when checking `exp`, `nbf` and `iat`, as a
   * {@link Duration} (milliseconds or a string like `'30s'`), at most `'5m'`. Default: `'30s'`.
   */
  readonly clockTolerance?: Duration
  /**
   * The oldest a token may be, from its `iat` claim (then required), as a {@link Duration}.
   * Default: none (only `exp` bounds a token's life).
   */
  readonly maxTokenAge?: Duration
  /**
   * RFC 9068 (JWT access tokens) strict mode: the header's `typ` must be `at+jwt` (or
   * `application/at+jwt`), and `client_id`, `jti`, `iat` and `sub` are required besides `iss`,
   * `aud` and `exp`. Default: `false`. Turn it on when the issuer follows RFC 9068: it stops ID
   * tokens and other JWTs of the same issuer from being used as access tokens.
   */
  readonly strict?: boolean
  /**
   * Claims every token must carry, besides those always required (`iss`, `aud`, `exp`, `sub`).
   * Default: none.
   */
  readonly requiredClaims?: readonly string[]
  /** How long a JWKS fetch may take, as a {@link Duration}, at most `'30s'`. Default: `'5s'`. */
  readonly jwksTimeout?: Duration
  /**
   * After a JWKS fetch, how long a token with an unknown `kid` is refused without fetching again, as
   * a {@link Duration}. It bounds how often forged `kid`s can make us call the issuer. Default: `'30s'`.
   */
  readonly jwksCooldown?: Duration
  /** How long a fetched key set is used before it is fetched again, as a {@link Duration}. Default: `'10m'`. */
  readonly jwksCacheMaxAge?: Duration
  /**
   * How many verified tokens are kept so that verifying the same token again skips the signature
   * check (each entry lasts until the token's `exp`). `0` turns the cache off. Default: `10000`.
   */
  readonly cacheSize?: number
  /**
   * Where revoked token ids are looked up, on every verification (cache hits included). With a
   * store, tokens without a `jti` are refused, since they could not be revoked. Default: none.
   */
  readonly revocationStore?: RevocationStore
  /** The clock for `exp`, `nbf`, `iat` and the cache. Default: `Date.now`. The `bearer()` guard uses the pipeline's clock instead. */
  readonly clock?: Clock
}

/** The options of a token verifier, checked and turned into what each verification needs. */
export interface TokenVerifierPolicy {
  readonly keySource: KeySource
  readonly algorithms: readonly TokenAlgorithm[]
  readonly issuer: string | string[]
  readonly audience: string | string[]
  /** Seconds, as jose takes it. */
  readonly clockTolerance: number
  /** Seconds, as jose takes it; `undefined` for none. */
  readonly maxTokenAge: number | undefined
  /** ms, for the cache's validity; `undefined` for none. */
  readonly maxTokenAgeMs: number | undefined
  readonly strict: boolean
  readonly requiredClaims: readonly string[]
  readonly cacheSize: number
  readonly revocationStore: RevocationStore | undefined
  readonly clock: Clock | undefined
}

const asymmetricAlgorithms = new Set<string>([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
])
const defaultAlgorithms: readonly TokenAlgorithm[] = ['RS256', 'PS256', 'ES256', 'EdDSA']
const maxClockToleranceMs = 300_000
const maxJwksTimeoutMs = 30_000
const minSecretBytes = 32
const asymmetricKeyTypes = new Set(['RSA', 'EC', 'OKP'])
const privateKeyMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']
const alwaysRequired = ['iss', 'aud', 'exp', 'sub']
const strictRequired = ['client_id', 'jti', 'iat']
const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]'])

const durationSchema = v.optional(
  v.union([v.number(), v.string()], "Expected milliseconds as a number or a duration such as '30s'"),
)

/** The valibot entries of {@link TokenVerifierOptions}, shared with the `bearer()` guard's schema. */
export const tokenVerifierEntries = {
  issuer: v.optional(v.unknown()),
  audience: v.optional(v.unknown()),
  jwks: v.optional(v.union([v.string(), v.instance(URL)], 'Expected the key set URL as a string or URL')),
  keys: v.optional(v.unknown()),
  secret: v.optional(
    v.union([v.string(), v.instance(Uint8Array)], 'Expected the HS256 secret as a string or Uint8Array'),
  ),
  algorithms: v.optional(v.array(v.string())),
  clockTolerance: durationSchema,
  maxTokenAge: durationSchema,
  strict: v.optional(v.boolean()),
  requiredClaims: v.optional(v.array(v.pipe(v.string(), v.nonEmpty('Expected a claim name')))),
  jwksTimeout: durationSchema,
  jwksCooldown: durationSchema,
  jwksCacheMaxAge: durationSchema,
  cacheSize: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000_000))),
  revocationStore: v.optional(
    v.custom<RevocationStore>(
      (x) =>
        typeof (x as RevocationStore | null)?.isRevoked === 'function' &&
        typeof (x as RevocationStore).revoke === 'function',
      'Expected a RevocationStore (an object with revoke and isRevoked), such as memoryRevocationStore()',
    ),
  ),
  clock: v.optional(
    v.custom<Clock>((x) => typeof (x as Clock | null)?.now === 'function', 'Expected { now(): number }'),
  ),
}

/** The parsed shape of {@link tokenVerifierEntries}. */
export type ParsedTokenVerifierOptions = v.InferOutput<v.ObjectSchema<typeof tokenVerifierEntries, undefined>>

function resolveIdentifiers(where: string, name: string, value: unknown, example: string): string | string[] {
  const path = `${where}.${name}`
  if (value === undefined)
    configError(path, `is required: set the expected ${name} claim, e.g. ${name}: '${example}'.`)
  if (typeof value === 'string') {
    if (value === '') configError(path, `is empty: set the expected ${name}, e.g. '${example}'.`)
    return value
  }
  if (!Array.isArray(value) || value.length === 0)
    configError(path, `Expected a non-empty string or list of strings, e.g. '${example}'.`)
  return value.map((item: unknown, i) => {
    if (typeof item !== 'string' || item === '')
      configError(`${path}[${i}]`, `Expected a non-empty string, e.g. '${example}'.`)
    return item
  })
}

function resolveAlgorithms(where: string, algorithms: readonly string[] | undefined): TokenAlgorithm[] {
  const path = `${where}.algorithms`
  if (algorithms === undefined) return [...defaultAlgorithms]
  if (algorithms.length === 0)
    configError(path, "is empty. Leave it out for the default ['RS256', 'PS256', 'ES256', 'EdDSA'].")
  const out: TokenAlgorithm[] = []
  algorithms.forEach((algorithm, i) => {
    if (algorithm.toLowerCase() === 'none')
      configError(`${path}[${i}]`, "'none' would accept unsigned tokens that anyone can forge. Remove it.")
    if (algorithm !== 'HS256' && !asymmetricAlgorithms.has(algorithm))
      configError(
        `${path}[${i}]`,
        `${JSON.stringify(algorithm)} is not a supported algorithm. Use RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, Ed25519, or HS256 alone with a secret.`,
      )
    if (!out.includes(algorithm as TokenAlgorithm)) out.push(algorithm as TokenAlgorithm)
  })
  if (out.includes('HS256') && out.length > 1)
    configError(
      path,
      "mixes HS256 with asymmetric algorithms: anyone holding a public key could then sign tokens with it as an HMAC secret. Use ['HS256'] alone with a secret, or drop HS256.",
    )
  return out
}

function resolveJwksUrl(where: string, value: string | URL): URL {
  const path = `${where}.jwks`
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return configError(path, `is not a URL: ${JSON.stringify(String(value))}.`)
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopbackHosts.has(url.hostname)))
    configError(
      path,
      'must be an https: URL (plain http: is only accepted for localhost): keys fetched in the clear can be swapped by anyone on the path.',
    )
  if (url.username !== '' || url.password !== '') configError(path, 'must not carry credentials in the URL.')
  return url
}

function resolveLocalKeys(
  where: string,
  value: unknown,
  algorithms: readonly TokenAlgorithm[],
): JSONWebKeySet {
  const path = `${where}.keys`
  const keys = (value as { keys?: unknown } | null)?.keys
  if (typeof value !== 'object' || value === null || !Array.isArray(keys))
    configError(path, 'Expected a JSON Web Key Set: { keys: [ ...public JWKs ] }.')
  if (keys.length === 0) configError(`${path}.keys`, 'is empty. List at least one public key.')
  keys.forEach((key: unknown, i) => {
    const keyPath = `${path}.keys[${i}]`
    if (typeof key !== 'object' || key === null) configError(keyPath, 'Expected a JWK object.')
    const jwk = key as JWK
    if (typeof jwk.kty !== 'string' || !asymmetricKeyTypes.has(jwk.kty))
      configError(
        keyPath,
        `has kty ${JSON.stringify(jwk.kty)}: only public RSA, EC and OKP keys are accepted. HS256 takes a secret instead.`,
      )
    for (const member of privateKeyMembers)
      if (member in jwk)
        configError(
          keyPath,
          `holds private key material ("${member}"). Publish and configure only the public part.`,
        )
    if (jwk.use !== undefined && jwk.use !== 'sig')
      configError(`${keyPath}.use`, "must be 'sig' when present.")
    if (jwk.alg !== undefined && !algorithms.includes(jwk.alg as TokenAlgorithm))
      configError(
        `${keyPath}.alg`,
        `${JSON.stringify(jwk.alg)} is not in algorithms (${algorithms.join(', ')}), so this key could never verify a token. Add it to algorithms or fix the key.`,
      )
  })
  return { keys: keys as JWK[] }
}

function resolveSecret(where: string, secret: string | Uint8Array): Uint8Array {
  const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : new Uint8Array(secret)
  if (bytes.length < minSecretBytes)
    configError(
      `${where}.secret`,
      `is ${bytes.length} bytes; HS256 needs at least ${minSecretBytes} random bytes, e.g. from crypto.getRandomValues(new Uint8Array(32)).`,
    )
  return bytes
}

function resolveKeySource(
  where: string,
  parsed: ParsedTokenVerifierOptions,
  algorithms: readonly TokenAlgorithm[],
): KeySource {
  const { jwks, keys, secret } = parsed
  const symmetric = algorithms.includes('HS256')
  if (secret !== undefined) {
    if (jwks !== undefined || keys !== undefined)
      configError(
        `${where}.secret`,
        'cannot be combined with jwks or keys: HS256 next to public keys enables algorithm-confusion forgeries. Use one key source.',
      )
    if (!symmetric)
      configError(`${where}.secret`, "needs HS256 to be enabled explicitly: set algorithms: ['HS256'].")
    return { kind: 'secret', secret: resolveSecret(where, secret) }
  }
  if (symmetric)
    configError(
      `${where}.algorithms`,
      'HS256 needs a secret and is refused with jwks or keys. Use an asymmetric algorithm with public keys, or a secret alone.',
    )
  if (jwks !== undefined && keys !== undefined)
    configError(`${where}.keys`, 'cannot be combined with jwks. Use one key source.')
  if (keys !== undefined) return { kind: 'local', keys: resolveLocalKeys(where, keys, algorithms) }
  if (jwks === undefined)
    configError(
      where,
      "needs keys to verify tokens: jwks (the issuer's key set URL), keys (a local JWK set) or secret (HS256).",
    )
  return {
    kind: 'remote',
    url: resolveJwksUrl(where, jwks),
    timeout: resolveBoundedDuration(
      `${where}.jwksTimeout`,
      parsed.jwksTimeout,
      5000,
      maxJwksTimeoutMs,
      '30s',
    ),
    cooldown: resolveDuration(`${where}.jwksCooldown`, parsed.jwksCooldown, 30_000),
    cacheMaxAge: resolveDuration(`${where}.jwksCacheMaxAge`, parsed.jwksCacheMaxAge, 600_000),
  }
}

function resolveDuration(path: string, value: unknown, fallback: number): number {
  return value === undefined ? fallback : parseDuration(path, value)
}

function resolveBoundedDuration(
  path: string,
  value: unknown,
  fallback: number,
  max: number,
  maxText: string,
) {
  const ms = resolveDuration(path, value, fallback)
  if (ms > max) configError(path, `must be at most ${maxText}; got ${JSON.stringify(value)}.`)
  return ms
}

/** Checks a verifier's options (already parsed by valibot) and precomputes its policy. */
export function resolveTokenVerifierPolicy(
  where: string,
  parsed: ParsedTokenVerifierOptions,
): TokenVerifierPolicy {
  const issuer = resolveIdentifiers(where, 'issuer', parsed.issuer, 'https://auth.example.com/')
  const audience = resolveIdentifiers(where, 'audience', parsed.audience, 'https://api.example.com')
  const algorithms = resolveAlgorithms(where, parsed.algorithms)
  const keySource = resolveKeySource(where, parsed, algorithms)
  const toleranceMs = resolveBoundedDuration(
    `${where}.clockTolerance`,
    parsed.clockTolerance,
    30_000,
    maxClockToleranceMs,
    "'5m': a larger tolerance keeps expired tokens alive",
  )
  const maxTokenAgeMs =
    parsed.maxTokenAge === undefined ? undefined : parseDuration(`${where}.maxTokenAge`, parsed.maxTokenAge)
  if (maxTokenAgeMs === 0) configError(`${where}.maxTokenAge`, 'must be more than 0.')
  const strict = parsed.strict ?? false
  const requiredClaims = [
    ...alwaysRequired,
    ...(strict ? strictRequired : []),
    ...(parsed.requiredClaims ?? []),
  ]
  if (parsed.revocationStore !== undefined) requiredClaims.push('jti')
  return {
    keySource,
    algorithms,
    issuer,
    audience,
    clockTolerance: toleranceMs / 1000,
    maxTokenAge: maxTokenAgeMs === undefined ? undefined : maxTokenAgeMs / 1000,
    maxTokenAgeMs,
    strict,
    requiredClaims: [...new Set(requiredClaims)],
    cacheSize: parsed.cacheSize ?? 10_000,
    revocationStore: parsed.revocationStore,
    clock: parsed.clock,
  }
}
