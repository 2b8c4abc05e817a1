export {
  type ApiKeyHandlers,
  type ApiKeyList,
  type ApiKeyView,
  type CreatedApiKey,
  createApiKeyHandlers,
  defaultApiKeyLifetime,
} from './api-key-handlers.js'
export {
  type AuthHandlers,
  type AuthHandlersOptions,
  createAuthHandlers,
  type JwksBody,
} from './auth-handlers.js'
export { createNotesHandlers, type HealthBody, type NoteList, type NotesHandlers } from './notes-handlers.js'
export {
  createWebhookHandlers,
  type WebhookHandlers,
  type WebhookHandlersOptions,
} from './webhook-handlers.js'
