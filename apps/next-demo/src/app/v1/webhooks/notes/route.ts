import { preflight, withSecurity } from '@sec/next'
import { empty, handlers, json, notFound, peer, routes, security } from '../../../../notes-demo'

export const dynamic = 'force-dynamic'

export const POST = withSecurity(
  security,
  async (_request, { security }) => {
    const note = await handlers.receiveNoteEvent(security)
    return note === undefined ? empty() : json(note, 201)
  },
  { guards: routes.webhookNote, peer },
)
export const OPTIONS = preflight(security, { peer })
export { notFound as DELETE, notFound as GET, notFound as PATCH, notFound as PUT }
