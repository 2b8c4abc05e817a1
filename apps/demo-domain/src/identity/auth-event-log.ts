import type { DemoEventSink } from './demo-events.js'

/** The limiters whose refusals are sign-in lockouts. */
const loginLimiters: ReadonlySet<string> = new Set(['login-account', 'login-ip'])

function from(clientIp: string | undefined): string {
  return `from ${clientIp ?? 'an unknown address'}`
}

/**
 * An event sink that logs, through `log`, the sign-in events a server's operator wants to see:
 * failed sign-ins, slow-downs, lockouts and reused refresh tokens. Never a password or a token:
 * the events carry none. Every other event is ignored.
 */
export function logAuthEvents(log: (line: string) => void): DemoEventSink {
  return (event) => {
    if (event.type === 'auth.login-failed')
      log(`Sign-in failed for "${event.account}" ${from(event.clientIp)}: ${event.reason}.`)
    else if (event.type === 'auth.login-slowed')
      log(`Sign-in for "${event.account}" ${from(event.clientIp)} held ${event.delay} ms (slow-down).`)
    else if (event.type === 'auth.refresh-reused')
      log(`A spent refresh token was presented again ${from(event.clientIp)}: its session is revoked.`)
    else if (event.type === 'ratelimit.denied' && loginLimiters.has(event.limiter))
      log(
        `Sign-in locked out (${event.key}) ${from(event.clientIp)} for ${Math.ceil(event.retryAfter / 1000)} s.`,
      )
  }
}
