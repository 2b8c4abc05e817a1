import { preflight, withSecurity } from '@sec/next'
import { handlers, json, notFound, peer, routes, security } from '../../../notes-demo'

export const dynamic = 'force-dynamic'

export const GET = withSecurity(security, async () => json(await handlers.jwks()), {
  guards: routes.jwks,
  peer,
})
export const OPTIONS = preflight(security, { peer })
export { notFound as DELETE, notFound as PATCH, notFound as POST, notFound as PUT }
