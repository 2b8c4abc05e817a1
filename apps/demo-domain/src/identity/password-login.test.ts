import { describe, expect, it } from 'vitest'
import { loginBody, send, testDemo } from '../demo/notes-demo.fixture.js'
import type { DemoEvent } from './demo-events.js'
import { loginDelay } from './password-login.js'

const wrongCredentials =
  '{"detail":"The username or password is not correct.","type":"urn:sec:problem:unauthorized","title":"Unauthorized","status":401}'
const tooManyRequests =
  '{"detail":"Too many requests. Wait for the number of seconds in Retry-After before retrying.","type":"urn:sec:problem:rate-limited","title":"Too Many Requests","status":429}'

function setUp() {
  const events: DemoEvent[] = []
  const { demo, time, waits } = testDemo({ events: (event) => events.push(event) })
  const login = (username: string, password: string, ip = '198.51.100.1', scope?: string) =>
    send(demo, '/v1/auth/token', { ...loginBody(username, password, scope), ip, guards: demo.routes.token })
  const ofType = (type: string) => events.filter((event) => event.type === type)
  return { demo, time, waits, events, login, ofType }
}

describe('the password login', () => {
  it('signs a user in with every Notes scope, or the ones asked for', async () => {
    const { login } = setUp()
    const outcome = await login('alice', 'alice-wonderland')
    expect(outcome.response).toBeUndefined()
    expect(outcome.principal).toEqual({
      id: 'alice',
      kind: 'user',
      scopes: ['notes:read', 'notes:write'],
      role: 'user',
    })
    expect((await login('Admin', 'admin-demo-only', '198.51.100.2', 'notes:read')).principal).toEqual({
      id: 'admin',
      kind: 'user',
      scopes: ['notes:read'],
      role: 'admin',
    })
  })

  it('answers a wrong password and an unknown user alike, and logs which it was', async () => {
    const { login, ofType } = setUp()
    const wrong = await login('alice', 'not-her-password')
    const unknown = await login('mallory', 'alice-wonderland')
    for (const outcome of [wrong, unknown]) {
      expect(outcome.response?.status).toBe(401)
      expect(outcome.response?.body).toBe(wrongCredentials)
      expect(outcome.response?.headers.get('www-authenticate')).toBeNull()
      expect(outcome.principal).toBeUndefined()
    }
    expect(ofType('auth.login-failed')).toEqual([
      expect.objectContaining({ account: 'alice', reason: 'wrong-password', path: '/v1/auth/token' }),
      expect.objectContaining({ account: 'mallory', reason: 'unknown-account', clientIp: '198.51.100.1' }),
    ])
    expect(JSON.stringify(ofType('auth.login-failed'))).not.toContain('not-her-password')
  })

  it('slows an account down after 3 attempts, locks it after 5 for 15 minutes, correct password or not', async () => {
    const { login, waits, time, ofType } = setUp()
    for (let i = 1; i <= 5; i++)
      expect((await login('bob', 'guess', `198.51.100.${i}`)).response?.status).toBe(401)
    expect(waits).toEqual([500, 1000])
    expect(ofType('auth.login-slowed')).toEqual([
      expect.objectContaining({ account: 'bob', delay: 500 }),
      expect.objectContaining({ account: 'bob', delay: 1000 }),
    ])

    const locked = await login('bob', 'bob-the-builder', '198.51.100.6')
    expect(locked.response?.status).toBe(429)
    expect(locked.response?.body).toBe(tooManyRequests)
    expect(locked.response?.headers.get('retry-after')).toBe('900')
    expect(locked.principal).toBeUndefined()
    expect(ofType('ratelimit.denied')).toEqual([
      expect.objectContaining({ limiter: 'login-account', key: 'account:bob', retryAfter: 900_000 }),
    ])

    time.advance(899_999)
    expect((await login('BOB', 'bob-the-builder', '198.51.100.7')).response?.headers.get('retry-after')).toBe(
      '1',
    )
    time.advance(1)
    expect((await login('bob', 'bob-the-builder', '198.51.100.8')).principal?.id).toBe('bob')
  })

  it('forgets the failures of an account once its owner signs in', async () => {
    const { login, waits } = setUp()
    for (let i = 1; i <= 4; i++) await login('alice', 'guess')
    expect((await login('alice', 'alice-wonderland')).principal?.id).toBe('alice')
    for (let i = 1; i <= 4; i++) expect((await login('alice', 'guess')).response?.status).toBe(401)
    expect(waits).toEqual([500, 1000, 500])
  })

  it('counts an unknown account like a real one, so that locking tells nothing', async () => {
    const { login } = setUp()
    for (let i = 1; i <= 5; i++) await login('mallory', 'guess', `198.51.100.${i}`)
    expect((await login('mallory', 'guess', '198.51.100.6')).response?.status).toBe(429)
  })

  it('limits an IP to 20 attempts in 15 minutes, successes included, slowing it down after 10', async () => {
    const { login, waits, demo } = setUp()
    const accounts = ['alice', 'bob', 'admin', 'carol', 'dave']
    for (let i = 0; i < 19; i++) {
      const account = accounts[i % accounts.length] as string
      const outcome = await login(account, i % 5 === 0 ? 'alice-wonderland' : 'guess', '203.0.113.9')
      expect(outcome.response === undefined ? 200 : outcome.response.status).toBe(i % 5 === 0 ? 200 : 401)
    }
    expect(waits).toEqual([500, 1000, 1500, 2000, 2500, 3000, 3500, 4000, 4500])
    // Alice's own password does not reset the IP's count: the 20th attempt is the last.
    expect((await login('alice', 'alice-wonderland', '203.0.113.9')).principal?.id).toBe('alice')
    const refused = await login('alice', 'alice-wonderland', '203.0.113.9')
    expect(refused.response?.status).toBe(429)
    expect(refused.response?.body).toBe(tooManyRequests)
    expect(refused.response?.headers.get('retry-after')).toBe('900')
    expect(refused.response?.headers.get('ratelimit')).toBe('"api";r=39;t=21, "login-ip";r=0;t=900')
    expect((await login('alice', 'alice-wonderland', '203.0.113.10')).principal?.id).toBe('alice')
    expect(demo.routes.token).toHaveLength(4)
  })
})

describe('loginDelay', () => {
  const throttle = { accountSlowAfter: 3, ipSlowAfter: 10, delayStep: 500, maxDelay: 5000 }

  it.each([
    [1, 1, 0],
    [3, 10, 0],
    [4, 1, 500],
    [5, 12, 1000],
    [2, 13, 1500],
    [5, 40, 5000],
  ])('holds attempt %i of an account, %i of an IP, %i ms', (account, ip, delay) => {
    expect(loginDelay(throttle, account, ip)).toBe(delay)
  })
})
