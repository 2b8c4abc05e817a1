/** Digests of the errors Next.js throws to steer rendering, besides those starting with `NEXT_`. */
const controlDigests = new Set([
  'DYNAMIC_SERVER_USAGE',
  'BAILOUT_TO_CLIENT_SIDE_RENDERING',
  'HANGING_PROMISE_REJECTION',
])

/**
 * Whether an error is one Next.js throws on purpose for itself to handle: `redirect()`,
 * `permanentRedirect()`, `notFound()`, `forbidden()`, `unauthorized()` (digests starting with
 * `NEXT_`) and its dynamic-rendering bailouts; also when it is the `cause` of the error thrown.
 * It mirrors `unstable_rethrow` from `next/navigation`, which a package cannot import: Turbopack
 * then bundles the client build of `next/navigation` into the route, which fails.
 */
export function isNextControlFlow(error: unknown): boolean {
  let current = error
  for (let depth = 0; depth < 8 && typeof current === 'object' && current !== null; depth++) {
    const digest = (current as { digest?: unknown }).digest
    if (typeof digest === 'string' && (digest.startsWith('NEXT_') || controlDigests.has(digest))) return true
    if (!(current instanceof Error)) return false
    current = current.cause
  }
  return false
}
