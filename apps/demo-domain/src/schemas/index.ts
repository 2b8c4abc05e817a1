export {
  type ApiKeyInput,
  ApiKeyInputSchema,
  type ApiKeyParams,
  ApiKeyParamsSchema,
  apiKeyIdPattern,
  maxApiKeyLifetime,
  minApiKeyLifetime,
} from './api-key-schemas.js'
export {
  type LoginInput,
  LoginInputSchema,
  maxPasswordLength,
  maxRefreshTokenLength,
  type NotesScope,
  notesScopes,
  type RefreshInput,
  RefreshInputSchema,
  usernamePattern,
} from './auth-schemas.js'
export { type NoteEvent, NoteEventSchema, noteCreatedEventType } from './note-event-schemas.js'
export {
  maxBodyLength,
  maxTagLength,
  maxTags,
  maxTitleLength,
  type NoteInput,
  NoteInputSchema,
  type NoteParams,
  NoteParamsSchema,
  noteIdPattern,
} from './note-schemas.js'
export { maxQueryLength, type SearchQuery, SearchQuerySchema } from './search-schemas.js'
