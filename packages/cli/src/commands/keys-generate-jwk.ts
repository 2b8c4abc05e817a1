import { parseIntegerFlag } from '../args/integer-flag.js'
import { parseFlags } from '../args/parse-flags.js'
import { usageError } from '../args/usage-error.js'
import type { CliIo, ExitCode } from '../cli-io.js'
import { emitSecret } from '../keys/emit-secret.js'
import { generateJwk, type JwkAlgorithm, jwkAlgorithms } from '../keys/generate-jwk.js'
import type { Command } from './command.js'

const flags = {
  alg: { type: 'string' },
  kid: { type: 'string' },
  bits: { type: 'string' },
  out: { type: 'string' },
  jwks: { type: 'boolean' },
} as const

const kidPattern = /^[A-Za-z0-9._-]{1,128}$/

async function run(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values } = parseFlags(args, flags)
  const alg = (values.alg ?? 'ES256') as JwkAlgorithm
  if (!jwkAlgorithms.includes(alg)) usageError(`--alg must be one of ${jwkAlgorithms.join(', ')}`)
  const rsa = alg === 'RS256' || alg === 'PS256'
  if (values.bits !== undefined && !rsa)
    usageError(`--bits is for RSA keys (RS256, PS256); ${alg} keys have a fixed size`)
  const bits = values.bits === undefined ? 2048 : parseIntegerFlag('--bits', values.bits, 2048, 4096)
  if (bits % 1024 !== 0) usageError('--bits must be 2048, 3072 or 4096')
  if (values.kid !== undefined && !kidPattern.test(values.kid))
    usageError('--kid must be 1 to 128 letters, digits, -, _ or .')
  if (values.jwks === true && values.out === undefined)
    usageError('--jwks prints the public JWKS on standard output, so the private key needs --out <file>')

  const { privateJwk, publicJwk } = await generateJwk(alg, {
    rsaBits: bits,
    ...(values.kid !== undefined && { kid: values.kid }),
  })
  const code = await emitSecret(io, values.out, JSON.stringify(privateJwk), 'the private JWK')
  if (values.jwks === true) io.stdout.write(`${JSON.stringify({ keys: [publicJwk] })}\n`)
  return code
}

/** `sec keys generate jwk`: a signing key pair as JWK and JWKS. */
export const keysGenerateJwkCommand: Command = {
  kind: 'command',
  usage: 'sec keys generate jwk [--alg ES256|EdDSA|RS256|PS256] [--kid <kid>] [--out <file> [--jwks]]',
  help: `Generate a signing key pair as JWK (private) and JWKS (public).

Usage: sec keys generate jwk [--alg ES256|EdDSA|RS256|PS256] [--kid <kid>] [--out <file> [--jwks]]

Prints the private JWK (one line of JSON, with kid, alg and use: "sig"), e.g. for the
signingKeys of createTokenIssuer (ES256 or EdDSA). The key is made with Web Crypto.

Options:
  --alg <alg>                ES256 (ECDSA P-256), EdDSA (Ed25519), RS256 or PS256 (RSA). Default:
                             ES256.
  --kid <kid>                The key id: 1 to 128 of A-Z a-z 0-9 - _ . Default: the RFC 7638
                             thumbprint of the public key.
  --bits <n>                 RSA modulus length: 2048, 3072 or 4096. Default: 2048.
  --out <file>               Write the private JWK to a new file, readable only by you (mode 0600),
                             instead of printing it. Refuses to replace an existing file.
  --jwks                     Print the public JWKS ({"keys":[...]}) on standard output, to publish.
                             Needs --out, so the private key never shares standard output.
  -h, --help                 Show this help.

Examples:
  sec keys generate jwk --alg EdDSA --out signing-key.jwk.json
  sec keys generate jwk --alg ES256 --kid 2026-01 --out signing-key.jwk.json --jwks > jwks.json
`,
  run,
}
