import { preflight, withSecurity } from '@sec/next'
import { handlers, json, notFound, peer, routes, security } from '../../../../notes-demo'

export const dynamic = 'force-dynamic'

export const POST = withSecurity(
  security,
  (_request, { security }) => json(handlers.createNote(security), 201),
  { guards: routes.signedNote, peer },
)
export const OPTIONS = preflight(security, { peer })
export { notFound as DELETE, notFound as GET, notFound as PATCH, notFound as PUT }
