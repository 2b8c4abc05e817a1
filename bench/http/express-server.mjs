import cors from 'cors'
import express from 'express'
import helmet from 'helmet'
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
const app = express()

if (variant === 'bare') {
  app.post('/v1/notes', express.json({ limit: bodyLimit }), (req, res) =>
    res.status(201).json(created(req.body)),
  )
} else if (variant === 'peer') {
  app.set('trust proxy', 'loopback')
  app.use(helmet())
  app.use(cors({ origin: [allowedOrigin], credentials: true }))
  app.use((req, res, next) =>
    req.protocol === 'https' || !req.get('x-forwarded-proto')
      ? next()
      : res.redirect(308, `https://${req.host}${req.originalUrl}`),
  )
  const auth = []
  if (scenario === 'auth') {
    const { rateLimit } = await import('express-rate-limit')
    app.use(
      rateLimit({
        windowMs: 60_000,
        limit: unreachableLimit,
        standardHeaders: 'draft-8',
        legacyHeaders: true,
      }),
    )
    const verify = await peerJwtVerifier()
    auth.push(async (req, res, next) => {
      req.auth = await verify(req.get('authorization'))
      if (req.auth === undefined) return res.status(401).json({ status: 401 })
      next()
    })
  }
  app.post('/v1/notes', ...auth, express.json({ limit: bodyLimit }), (req, res) => {
    const result = v.safeParse(NoteSchema, req.body)
    if (!result.success) return res.status(400).json({ status: 400 })
    res.status(201).json(created(result.output))
  })
} else if (variant === 'sec') {
  const { secure } = await import('@sec/express')
  const { security, routeGuards } = await secStack()
  app.use(secure(security))
  app.post('/v1/notes', secure.route(...routeGuards), (req, res) =>
    res.status(201).json(created(req.security.body)),
  )
} else {
  throw new Error(`unknown variant ${variant}`)
}

const server = app.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`))
