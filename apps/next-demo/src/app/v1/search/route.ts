import { preflight, withSecurity } from '@sec/next'
import { handlers, json, notFound, peer, routes, security } from '../../../notes-demo'

export const dynamic = 'force-dynamic'

export const GET = withSecurity(security, (_request, { security }) => json(handlers.searchNotes(security)), {
  guards: routes.search,
  peer,
})
export const OPTIONS = preflight(security, { peer })
export { notFound as DELETE, notFound as PATCH, notFound as POST, notFound as PUT }
