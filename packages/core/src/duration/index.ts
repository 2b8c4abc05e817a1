export { type Duration, parseDuration } from './parse-duration.js'
