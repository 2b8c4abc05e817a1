import { bodyParser } from '@koa/bodyparser'
import koaCors from '@koa/cors'
import Router from '@koa/router'
import Koa from 'koa'
import koaHelmet from 'koa-helmet'
import * as v from 'valibot'
import {
  allowedOrigin,
  bodyLimit,
  created,
  NoteSchema,
  peerJwtVerifier,
  scenario,
  secStack,
  unreachableLimit,
} from './note-schema.mjs'

const variant = process.argv[2]
const app = new Koa({ proxy: variant !== 'bare' })
const router = new Router()

if (variant === 'bare') {
  router.post('/v1/notes', bodyParser({ jsonLimit: bodyLimit }), (ctx) => {
    ctx.status = 201
    ctx.body = created(ctx.request.body)
  })
} else if (variant === 'peer') {
  app.use(koaHelmet())
  app.use(
    koaCors({
      origin: (ctx) => (ctx.get('origin') === allowedOrigin ? allowedOrigin : ''),
      credentials: true,
    }),
  )
  app.use(async (ctx, next) => {
    if (ctx.protocol !== 'https' && ctx.get('x-forwarded-proto')) {
      ctx.status = 308
      return ctx.redirect(`https://${ctx.host}${ctx.url}`)
    }
    await next()
  })
  const auth = []
  if (scenario === 'auth') {
    const { default: ratelimit } = await import('koa-ratelimit')
    app.use(
      ratelimit({
        driver: 'memory',
        db: new Map(),
        duration: 60_000,
        max: unreachableLimit,
        id: (ctx) => ctx.ip,
      }),
    )
    const verify = await peerJwtVerifier()
    auth.push(async (ctx, next) => {
      ctx.state.auth = await verify(ctx.get('authorization'))
      if (ctx.state.auth === undefined) {
        ctx.status = 401
        return
      }
      await next()
    })
  }
  router.post('/v1/notes', ...auth, bodyParser({ jsonLimit: bodyLimit }), (ctx) => {
    const result = v.safeParse(NoteSchema, ctx.request.body)
    if (!result.success) {
      ctx.status = 400
      return
    }
    ctx.status = 201
    ctx.body = created(result.output)
  })
} else if (variant === 'sec') {
  const { secure } = await import('@sec/koa')
  const { security, routeGuards } = await secStack()
  app.use(secure(security))
  router.post('/v1/notes', secure.route(...routeGuards), (ctx) => {
    ctx.status = 201
    ctx.body = created(ctx.state.security.body)
  })
} else {
  throw new Error(`unknown variant ${variant}`)
}

app.use(router.routes())
const server = app.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`))
