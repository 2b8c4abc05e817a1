import { describe, expect, it } from 'vitest'
import { loginBody, send, testDemo } from '../demo/notes-demo.fixture.js'
import { logAuthEvents } from './auth-event-log.js'

describe('logAuthEvents', () => {
  it('logs failed sign-ins, slow-downs and lockouts, without the password', async () => {
    const lines: string[] = []
    const { demo } = testDemo({ events: logAuthEvents((line) => lines.push(line)) })
    for (let i = 1; i <= 6; i++)
      await send(demo, '/v1/auth/token', { ...loginBody('Bob', 'hunter2'), guards: demo.routes.token })
    expect(lines).toEqual([
      'Sign-in failed for "bob" from 198.51.100.1: wrong-password.',
      'Sign-in failed for "bob" from 198.51.100.1: wrong-password.',
      'Sign-in failed for "bob" from 198.51.100.1: wrong-password.',
      'Sign-in for "bob" from 198.51.100.1 held 500 ms (slow-down).',
      'Sign-in failed for "bob" from 198.51.100.1: wrong-password.',
      'Sign-in for "bob" from 198.51.100.1 held 1000 ms (slow-down).',
      'Sign-in failed for "bob" from 198.51.100.1: wrong-password.',
      'Sign-in locked out (account:bob) from 198.51.100.1 for 900 s.',
    ])
  })

  it('logs a reused refresh token, and nothing for other events', () => {
    const lines: string[] = []
    const sink = logAuthEvents((line) => lines.push(line))
    const base = { time: 0, requestId: 'r', method: 'POST', path: '/v1/auth/refresh', clientIp: undefined }
    sink({ type: 'auth.refresh-reused', ...base })
    sink({ type: 'ratelimit.denied', limiter: 'search', key: 'ip:x', retryAfter: 1, ...base })
    expect(lines).toEqual([
      'A spent refresh token was presented again from an unknown address: its session is revoked.',
    ])
  })
})
