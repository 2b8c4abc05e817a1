import { SecError } from '../errors/index.js'
import type { Problem } from './problem.js'

/**
 * A request-time failure that already knows the problem to answer with (for example a body over
 * its limit). Guards may throw it; the pipeline turns it into a denial with that problem.
 */
const brand = Symbol.for('@sec/core/SecProblemError')

export class SecProblemError extends SecError {
  /**
   * Recognizes instances by a registered symbol rather than by prototype, so an error thrown by one
   * copy of @sec/core (its CommonJS build, say) is still recognized by another (the ESM build).
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true
  }

  /** The brand {@link SecProblemError}'s `instanceof` checks. */
  readonly [brand] = true
  /** The problem to send. */
  readonly problem: Problem
  /** Extra response headers to send with it. */
  readonly headers: Readonly<Record<string, string>> | undefined
  /** The problem's status, under the name http-errors uses, for frameworks that read it. */
  readonly status: number
  /**
   * Whether the error is meant for the client, as http-errors defines it: `true` below 500. Koa
   * does not log an exposed error as a server failure, so a 403 thrown by a handler stays quiet.
   */
  readonly expose: boolean

  constructor(problem: Problem, headers?: Readonly<Record<string, string>>) {
    super(
      `SEC_${problem.type
        .slice(problem.type.lastIndexOf(':') + 1)
        .toUpperCase()
        .replaceAll('-', '_')}`,
      problem.title,
    )
    this.problem = problem
    this.headers = headers
    this.status = problem.status
    this.expose = problem.status < 500
  }
}
