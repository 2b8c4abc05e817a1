import { describe, expect, it } from 'vitest'
import { createUserDirectory, demoAccounts } from './user-directory.js'

const users = createUserDirectory({ passwordCost: 1024 })

describe('createUserDirectory', () => {
  it('has alice and bob as users and admin as an admin, each with every Notes scope', () => {
    expect(demoAccounts.map(({ username, role }) => [username, role])).toEqual([
      ['alice', 'user'],
      ['bob', 'user'],
      ['admin', 'admin'],
    ])
    expect(users.find('alice')).toEqual({ id: 'alice', role: 'user', scopes: ['notes:read', 'notes:write'] })
    expect(users.find('admin')).toEqual({ id: 'admin', role: 'admin', scopes: ['notes:read', 'notes:write'] })
    expect(users.find('carol')).toBeUndefined()
  })

  it.each(demoAccounts)(
    'signs $username in with the password of the README',
    async ({ username, password }) => {
      expect(await users.authenticate(username, password)).toEqual({ user: users.find(username) })
    },
  )

  it('takes the username in any case', async () => {
    expect(await users.authenticate('ALICE', 'alice-wonderland')).toEqual({ user: users.find('alice') })
  })

  it('tells a wrong password from an unknown account, for the logs only', async () => {
    expect(await users.authenticate('alice', 'bob-the-builder')).toEqual({ failure: 'wrong-password' })
    expect(await users.authenticate('mallory', 'alice-wonderland')).toEqual({ failure: 'unknown-account' })
  })

  it('checks an unknown account against a dummy hash of the same cost', async () => {
    const lookups: number[] = []
    const directory = createUserDirectory({
      accounts: [{ username: 'only', password: 'secret', role: 'user' }],
      passwordCost: 1024,
      random: (bytes) => {
        lookups.push(bytes.length)
        return bytes.fill(3)
      },
    })
    // One salt for the account, 16 random bytes for the dummy password, one salt for its hash.
    expect(lookups).toEqual([16, 16, 16])
    expect(await directory.authenticate('nobody', '03030303030303030303030303030303')).toEqual({
      failure: 'unknown-account',
    })
  })
})
