import { type Problem, SecProblemError } from '@sec/core'

/**
 * A problem a handler or the service layer answers with (a failed refresh, a missing note). Every
 * adapter's error handling hands it to `security.errorResponse`, which answers its problem with its
 * headers. `status` and `expose: true` mark it as the caller's error, not the server's, for
 * frameworks that decide by them what to log (Koa logs every error without them).
 */
export class DemoProblemError extends SecProblemError {
  /** The problem's status. */
  override readonly status: number
  /** Meant for the client: Koa and http-errors conventions. */
  override readonly expose = true

  constructor(problem: Problem, headers?: Readonly<Record<string, string>>) {
    super(problem, headers)
    this.status = problem.status
  }
}
