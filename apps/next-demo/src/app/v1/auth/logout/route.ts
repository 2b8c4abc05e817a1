import { preflight, withSecurity } from '@sec/next'
import { empty, handlers, notFound, peer, routes, security } from '../../../../notes-demo'

export const dynamic = 'force-dynamic'

export const POST = withSecurity(
  security,
  async (_request, { security }) => {
    await handlers.signOut(security)
    return empty()
  },
  { guards: routes.logout, peer },
)
export const OPTIONS = preflight(security, { peer })
export { notFound as DELETE, notFound as GET, notFound as PATCH, notFound as PUT }
