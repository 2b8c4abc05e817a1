import { cryptoRandom, type RandomSource } from '@sec/core'
import { type NotesScope, notesScopes } from '../schemas/index.js'
import { hashPassword, type PasswordHash, verifyPassword } from './password-hash.js'

/** The roles of the demo: `user` reads, writes and deletes their own notes; `admin` also deletes anyone's. */
export type DemoRole = 'user' | 'admin'

/** A demo account as configured: development only, its password in clear in the source. */
export interface DemoAccount {
  readonly username: string
  readonly password: string
  readonly role: DemoRole
}

/**
 * The accounts every demo starts with. Development only: the passwords are in this file and in the
 * READMEs, and hashed with scrypt when the demo starts.
 */
export const demoAccounts: readonly DemoAccount[] = [
  { username: 'alice', password: 'alice-wonderland', role: 'user' },
  { username: 'bob', password: 'bob-the-builder', role: 'user' },
  { username: 'admin', password: 'admin-demo-only', role: 'admin' },
]

/** A signed-in user, as the rest of the demo sees it. */
export interface DemoUser {
  /** The stable id: tokens' `sub`, API keys' owner, notes' `ownerId`. The username, lower-cased. */
  readonly id: string
  readonly role: DemoRole
  /** The scopes the user's tokens grant by default: every Notes API scope. */
  readonly scopes: readonly NotesScope[]
}

/** Why a login failed, for server logs only: callers get the same 401 for both. */
export type LoginFailure = 'unknown-account' | 'wrong-password'

/** The answer of {@link UserDirectory.authenticate}. */
export type Authentication =
  | { readonly user: DemoUser; readonly failure?: undefined }
  | { readonly user?: undefined; readonly failure: LoginFailure }

/** The demo's users, their password hashes and roles. */
export interface UserDirectory {
  /**
   * Checks a username and password. Always runs exactly one scrypt verification: an unknown
   * username is checked against a dummy hash of the same cost, so that it takes as long as a wrong
   * password and the timing tells nothing about which accounts exist.
   */
  authenticate(username: string, password: string): Promise<Authentication>
  /** The user with this id, or `undefined`. */
  find(id: string): DemoUser | undefined
}

/** Options of {@link createUserDirectory}. */
export interface UserDirectoryOptions {
  /** The accounts. Default: {@link demoAccounts}. */
  readonly accounts?: readonly DemoAccount[]
  /** scrypt's N for the stored hashes. Default: `16384`. */
  readonly passwordCost?: number
  /** The random source of salts and of the dummy password. Default: `crypto.getRandomValues`. */
  readonly random?: RandomSource
}

interface Entry {
  readonly user: DemoUser
  readonly hash: Promise<PasswordHash>
}

function settled<T>(promise: Promise<T>): Promise<T> {
  // Hashing starts now and is awaited at the first login; a failure must not go unhandled meanwhile.
  promise.catch(() => undefined)
  return promise
}

/**
 * Builds the user directory. The passwords are hashed with scrypt in the background as soon as it
 * is built (a few tens of ms each, off the event loop); the first login waits for them.
 */
export function createUserDirectory(options: UserDirectoryOptions = {}): UserDirectory {
  const random = options.random ?? cryptoRandom
  const hashOptions = {
    random,
    ...(options.passwordCost !== undefined && { cost: options.passwordCost }),
  }
  const byId = new Map<string, Entry>()
  for (const account of options.accounts ?? demoAccounts) {
    const id = account.username.toLowerCase()
    const user: DemoUser = Object.freeze({ id, role: account.role, scopes: notesScopes })
    byId.set(id, { user, hash: settled(hashPassword(account.password, hashOptions)) })
  }
  const unusable = Array.from(random(new Uint8Array(16)), (byte) => byte.toString(16)).join('')
  const dummy = settled(hashPassword(unusable, hashOptions))

  return {
    async authenticate(username, password) {
      const entry = byId.get(username.toLowerCase())
      const matches = await verifyPassword(password, await (entry?.hash ?? dummy))
      if (entry === undefined) return { failure: 'unknown-account' }
      return matches ? { user: entry.user } : { failure: 'wrong-password' }
    },
    find(id) {
      return byId.get(id)?.user
    },
  }
}
