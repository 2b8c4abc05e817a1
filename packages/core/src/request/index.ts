export {
  type BodySource,
  bodyTooLarge,
  concatChunks,
  declaredLength,
  onceBody,
  readWebStream,
} from './body-reader.js'
export { fromWebRequest, type WebRequestContext } from './from-web-request.js'
export type { RequestHeaders, SecurityRequest } from './security-request.js'
