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
