export { configError, parseOptions } from './parse-options.js'
