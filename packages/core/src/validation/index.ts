export type { IssueFormatter, ValidationError, ValidationLocation } from './issue-report.js'
export {
  type ValidatedPart,
  type ValidatedSource,
  type ValidationGuard,
  type ValidationOptions,
  type ValidationSchemas,
  validate,
} from './validate.js'
