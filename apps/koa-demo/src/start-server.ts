import { createServer } from 'node:http'
import { listenOn, type RunningServer, type StartOptions } from 'demo-domain/server'
import { createApp } from './app.js'

/** Starts the Koa Notes demo. */
export function startServer(options: StartOptions): Promise<RunningServer> {
  return listenOn(createServer(createApp(options.demo).callback()), options)
}
