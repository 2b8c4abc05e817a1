import { preflight } from '@sec/next'
import { notFound, peer, security } from '../../notes-demo'

export const dynamic = 'force-dynamic'

// Every path no other route serves: a 404 problem with the security headers instead of Next's
// HTML page, and CORS preflights answered by the cors guard as on the other demos.
export const OPTIONS = preflight(security, { peer })
export { notFound as DELETE, notFound as GET, notFound as PATCH, notFound as POST, notFound as PUT }
