import { preflight, withSecurity } from '@sec/next'
import { empty, handlers, json, notFound, peer, routes, security } from '../../../../notes-demo'

export const dynamic = 'force-dynamic'

export const GET = withSecurity(security, (_request, { security }) => json(handlers.getNote(security)), {
  guards: routes.getNote,
  peer,
})
export const DELETE = withSecurity(
  security,
  (_request, { security }) => {
    handlers.deleteNote(security)
    return empty()
  },
  { guards: routes.deleteNote, peer },
)
export const OPTIONS = preflight(security, { peer })
export { notFound as PATCH, notFound as POST, notFound as PUT }
