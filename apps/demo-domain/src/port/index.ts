export { listenPort } from './listen-port.js'
