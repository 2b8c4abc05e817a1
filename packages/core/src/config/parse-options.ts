import * as v from 'valibot'
import { SecConfigError } from '../errors/index.js'

function issuePath(issue: v.BaseIssue<unknown>): string {
  let path = ''
  for (const item of issue.path ?? []) {
    const key = item.key
    if (typeof key === 'number') path += `[${key}]`
    else path += path === '' ? String(key) : `.${String(key)}`
  }
  return path
}

/**
 * Validates a factory's options against a valibot schema once, at construction. The first issue
 * becomes a {@link SecConfigError} whose path starts with `where` (the factory's name).
 */
export function parseOptions<TSchema extends v.GenericSchema>(
  where: string,
  schema: TSchema,
  input: unknown,
): v.InferOutput<TSchema> {
  const result = v.safeParse(schema, input ?? {}, { abortEarly: true })
  if (result.success) return result.output
  const issue = result.issues[0]
  const inner = issuePath(issue)
  const path = inner === '' ? where : `${where}.${inner}`
  if (issue.kind === 'schema' && issue.type === 'strict_object' && issue.expected === 'never') {
    return configError(
      path,
      'is not a known option. Remove it or check its spelling against the documentation.',
    )
  }
  return configError(path, `${issue.message}.`)
}

/** Throws a {@link SecConfigError}; a helper so option checks read as one line. */
export function configError(path: string, message: string): never {
  throw new SecConfigError(path, message)
}
