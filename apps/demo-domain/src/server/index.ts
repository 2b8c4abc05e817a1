export {
  type ListenOptions,
  listeningUrl,
  listenOn,
  type RunningServer,
  type StartOptions,
} from './listen-on.js'
export { serveFromEnv } from './serve-from-env.js'
