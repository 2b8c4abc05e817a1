import { listenPort } from 'demo-domain'
import { startServer } from './start-server.js'

const server = await startServer({
  port: listenPort(process.env.PORT, 3001),
  host: process.env.HOST || '127.0.0.1',
})
console.log(`express-demo listening on ${server.url}`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0))
  })
}
