import { preflight, withSecurity } from '@sec/next'
import { handlers, json, notFound, peer, security } from '../../notes-demo'

export const dynamic = 'force-dynamic'

export const GET = withSecurity(security, () => json(handlers.health()), { peer })
export const OPTIONS = preflight(security, { peer })
export { notFound as DELETE, notFound as PATCH, notFound as POST, notFound as PUT }
