import { preflight, withSecurity } from '@sec/next'
import { handlers, json, notFound, peer, routes, security } from '../../../notes-demo'

export const dynamic = 'force-dynamic'

export const GET = withSecurity(
  security,
  async (_request, { security }) => json(await handlers.listApiKeys(security)),
  { guards: routes.listApiKeys, peer },
)
export const POST = withSecurity(
  security,
  async (_request, { security }) => json(await handlers.createApiKey(security), 201),
  { guards: routes.createApiKey, peer },
)
export const OPTIONS = preflight(security, { peer })
export { notFound as DELETE, notFound as PATCH, notFound as PUT }
