import { scrypt, timingSafeEqual } from 'node:crypto'
import { cryptoRandom, type RandomSource } from '@sec/core'

/** scrypt's CPU and memory cost N by default: 2^14, OWASP's floor for scrypt with r = 8, p = 1. */
export const defaultPasswordCost = 16_384

/** The smallest and largest cost accepted: powers of two from 2^10 (tests) to 2^17. */
const minCost = 1024
const maxCost = 131_072
const blockSize = 8
const parallelization = 1
const keyLength = 32
const saltLength = 16

/** A stored password: scrypt's output, with the salt and cost it was made with. Never the password. */
export interface PasswordHash {
  /** scrypt's N. */
  readonly cost: number
  readonly salt: Uint8Array
  readonly hash: Uint8Array
}

/** Options of {@link hashPassword}. */
export interface HashPasswordOptions {
  /** scrypt's N, a power of two from 1024 to 131072. Default: {@link defaultPasswordCost}. */
  readonly cost?: number
  /** Where the 16-byte salt comes from. Default: `crypto.getRandomValues`. */
  readonly random?: RandomSource
}

function checkCost(cost: number): number {
  if (!Number.isSafeInteger(cost) || cost < minCost || cost > maxCost || (cost & (cost - 1)) !== 0)
    throw new RangeError(`passwordCost must be a power of two from ${minCost} to ${maxCost}, got ${cost}.`)
  return cost
}

function derive(password: string, salt: Uint8Array, cost: number): Promise<Buffer> {
  // NFKC, as NIST SP 800-63B asks: the same password typed on two keyboards hashes the same.
  const normalized = password.normalize('NFKC')
  return new Promise((resolve, reject) => {
    scrypt(
      normalized,
      salt,
      keyLength,
      // scrypt needs 128 × N × r bytes; twice that leaves room for Node's own bookkeeping.
      { N: cost, r: blockSize, p: parallelization, maxmem: 256 * cost * blockSize },
      (error, key) => (error === null ? resolve(key) : reject(error)),
    )
  })
}

/**
 * Hashes a password with scrypt (node:crypto, in libuv's thread pool, so the event loop stays free)
 * and a fresh random salt.
 */
export async function hashPassword(
  password: string,
  options: HashPasswordOptions = {},
): Promise<PasswordHash> {
  const cost = checkCost(options.cost ?? defaultPasswordCost)
  const salt = (options.random ?? cryptoRandom)(new Uint8Array(saltLength))
  return { cost, salt, hash: await derive(password, salt, cost) }
}

/** Whether `password` is the one `stored` was made from, compared in constant time. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const candidate = await derive(password, stored.salt, stored.cost)
  return candidate.length === stored.hash.length && timingSafeEqual(candidate, stored.hash)
}
