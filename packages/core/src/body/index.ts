export { body } from './body-guard.js'
export type { BodyMediaType, BodyOptions } from './body-options.js'
export type { ByteSize } from './byte-size.js'
export type { FieldRecord } from './form-parse.js'
