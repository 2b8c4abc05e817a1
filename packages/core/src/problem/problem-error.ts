import { SecError } from '../errors/index.js'
import type { Problem } from './problem.js'

/**
 * A request-time failure that already knows the problem to answer with (for example a body over
 * its limit). Guards may throw it; the pipeline turns it into a denial with that problem.
 */
export class SecProblemError extends SecError {
  /** The problem to send. */
  readonly problem: Problem
  /** Extra response headers to send with it. */
  readonly headers: Readonly<Record<string, string>> | undefined

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
  }
}
