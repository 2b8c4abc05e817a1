import { preflight, withSecurity } from '@sec/next'
import { empty, handlers, notFound, peer, routes, security } from '../../../../notes-demo'

export const dynamic = 'force-dynamic'

export const DELETE = withSecurity(
  security,
  async (_request, { security }) => {
    await handlers.deleteApiKey(security)
    return empty()
  },
  { guards: routes.deleteApiKey, peer },
)
export const OPTIONS = preflight(security, { peer })
export { notFound as GET, notFound as PATCH, notFound as POST, notFound as PUT }
