import type { ServerResponse } from 'node:http'
import type { Outcome } from '@sec/core'

/**
 * The status reported for a response that never started because the client went away first
 * (nginx's "client closed request").
 */
export const clientClosedStatus = 499

/**
 * Reports the response's final status to `outcome.finish()` once the response is done, which
 * emits the `request.completed` event. A response the client abandoned before its headers were
 * sent is reported as {@link clientClosedStatus} (499). Nothing is listened for when no one
 * observes the outcome (`outcome.observed` is `false`), since finishing would then report nothing.
 */
export function reportFinish(res: ServerResponse, outcome: Outcome): void {
  if (!outcome.observed) return
  res.once('close', () => {
    outcome.finish({ status: res.writableFinished || res.headersSent ? res.statusCode : clientClosedStatus })
  })
}
