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
