import type { StandardSchemaV1 } from '@standard-schema/spec'
import * as v from 'valibot'
import { bodyParsedKey, createBodyReader } from '../body/body-guard.js'
import { configError, parseOptions } from '../config/index.js'
import { SecError } from '../errors/index.js'
import {
  type Decision,
  deny,
  type Guard,
  type GuardContext,
  type GuardResult,
  type RequestInput,
} from '../pipeline/index.js'
import { RequestInputParts } from '../pipeline/request-input.js'
import { catalogProblem } from '../problem/index.js'
import {
  type IssueFormatter,
  type IssueSource,
  reportIssues,
  type ValidationError,
  type ValidationLocation,
} from './issue-report.js'
import { headerView, queryRecord } from './request-parts.js'
import { collectUnknownKeys } from './unknown-keys.js'

/**
 * The schemas of {@link validate}, one per part of the request; each may be any Standard Schema
 * v1 (valibot, zod, arktype, or your own object with a `~standard` property).
 */
export interface ValidationSchemas {
  /** The parsed body (see `body()`); `undefined` when the request has none. */
  readonly body?: StandardSchemaV1
  /** The query string as an object; a repeated name gives an array of its values. Values are strings. */
  readonly query?: StandardSchemaV1
  /** The route params the adapter matched, as an object of strings. */
  readonly params?: StandardSchemaV1
  /**
   * The request headers as an object with lower-case names: the schema reads the ones it
   * declares. Unknown headers are never refused.
   */
  readonly headers?: StandardSchemaV1
}

/** Options of {@link validate}. */
export interface ValidationOptions {
  /**
   * What to do with keys of the body or query that the schema does not declare:
   * - `'reject'`: refuse the request (400 `validation-failed`, each key an `Unknown field` error).
   *   Detected generically as input keys missing from a successful schema's output (so listed once
   *   the rest of that part is valid), and reported directly by strict schemas (valibot `strictObject`, zod `.strict()`, arktype `'+': 'reject'`).
   *   Schemas that keep unknown keys (valibot `looseObject`, zod `.passthrough()`, arktype's
   *   default) are taken as deliberately open; a schema that renames keys in a transform needs
   *   `'strip'`.
   * - `'strip'`: let them through; the handler gets the schema's output, without them when the
   *   schema strips.
   *
   * Params come from the route and headers from many hops, so neither is checked this way.
   * Default: `'reject'`.
   */
  readonly unknownKeys?: 'reject' | 'strip'
  /** The most errors listed in one problem, 1 to 1000. Default: `20`. */
  readonly maxErrors?: number
  /**
   * Builds the message of an issue, e.g. to pass on your own schema messages
   * (`v.minLength(1, 'Title is required')`). Return `undefined` for the built-in message. Never
   * return a library's default message: it can quote the received value. Default: built-in
   * messages only (`Required`, `Unknown field`, `Expected string`, `Invalid min length: expected >=3`).
   */
  readonly formatIssue?: IssueFormatter
}

/** Anything that carries a request's input: an `Outcome`, or a `GuardContext`. */
export interface ValidatedSource {
  readonly input: Readonly<RequestInput>
}

/** The output type of the schema given for one part, or `undefined` when none was given. */
export type ValidatedPart<S extends ValidationSchemas, K extends ValidationLocation> = S extends {
  readonly [P in K]?: infer T
}
  ? T extends StandardSchemaV1
    ? StandardSchemaV1.InferOutput<T>
    : undefined
  : undefined

/**
 * The guard {@link validate} returns, with typed access to what it validated.
 *
 * @example
 * const createNote = validate({ body: NoteSchema })
 * app.post('/v1/notes', secure.route(createNote), (req, res) => {
 *   const note = createNote.body(req.security) // typed as the schema's output
 * })
 */
export interface ValidationGuard<S extends ValidationSchemas> extends Guard {
  /** The schemas, as given. */
  readonly schemas: S
  /**
   * The validated body of a request this guard allowed. Throws a `SecError`
   * (`SEC_NOT_VALIDATED`) when this guard did not run on the request: a route that forgot it
   * fails loudly instead of handing out unchecked input.
   */
  body(from: ValidatedSource): ValidatedPart<S, 'body'>
  /** The validated query; see {@link ValidationGuard.body}. */
  query(from: ValidatedSource): ValidatedPart<S, 'query'>
  /** The validated route params; see {@link ValidationGuard.body}. */
  params(from: ValidatedSource): ValidatedPart<S, 'params'>
  /** The validated headers; see {@link ValidationGuard.body}. */
  headers(from: ValidatedSource): ValidatedPart<S, 'headers'>
}

interface Part extends IssueSource {
  readonly schema: StandardSchemaV1
  /** Whether unknown keys are refused for this part. */
  readonly strict: boolean
}

type Validated = Partial<Record<ValidationLocation, unknown>>

const locations: readonly ValidationLocation[] = ['body', 'query', 'params', 'headers']

const standardSchema = v.custom<StandardSchemaV1>((input) => {
  const props = (input as { '~standard'?: { version?: unknown; validate?: unknown } } | null)?.['~standard']
  return props?.version === 1 && typeof props.validate === 'function'
}, 'Expected a Standard Schema v1 (a valibot, zod or arktype schema, or an object with a ~standard property)')

const schemasSchema = v.strictObject({
  body: v.optional(standardSchema),
  query: v.optional(standardSchema),
  params: v.optional(standardSchema),
  headers: v.optional(standardSchema),
})

const optionsSchema = v.strictObject({
  unknownKeys: v.optional(v.picklist(['reject', 'strip'])),
  maxErrors: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(1000))),
  formatIssue: v.optional(v.custom<IssueFormatter>((x) => typeof x === 'function', 'Expected a function')),
})

function isThenable<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof (value as PromiseLike<T> | null)?.then === 'function'
}

function partInput(ctx: GuardContext, location: ValidationLocation): unknown {
  if (location === 'body') return ctx.input.body
  if (location === 'query') return queryRecord(ctx.query)
  // A copy: a schema that fills in defaults must not write into the adapter's object.
  if (location === 'params') return { ...ctx.params }
  return headerView(ctx.request.headers)
}

/**
 * Validates the parts of a request against Standard Schema v1 schemas and hands the typed
 * outputs to the handler, in `input.body`/`query`/`params`/`headers` and through the returned
 * guard's accessors. A failure is a 400 `validation-failed` problem whose `errors` list
 * `{ location, path, message }` (at most `maxErrors`), messages never quoting the input.
 *
 * The body is parsed by a `body()` guard that ran before, or else here with `body()`'s defaults
 * (JSON, the `createSecurity` body limit), never read twice. Synchronous schemas are checked
 * without awaiting; asynchronous ones are awaited together.
 *
 * @example
 * const createNote = validate({ body: v.object({ title: v.pipe(v.string(), v.maxLength(200)) }) })
 * const security = createSecurity({ guards: [...] })
 * const outcome = await security.protect(request, { guards: [createNote] })
 * if (outcome.response === undefined) save(createNote.body(outcome).title)
 */
export function validate<const S extends ValidationSchemas>(
  schemas: S,
  options?: ValidationOptions,
): ValidationGuard<S> {
  const given = parseOptions('validate', schemasSchema, schemas)
  const settings = parseOptions('validate.options', optionsSchema, options)
  const strict = (settings.unknownKeys ?? 'reject') === 'reject'
  const maxErrors = settings.maxErrors ?? 20
  const parts: Part[] = []
  for (const location of locations) {
    const schema = given[location]
    if (schema === undefined) continue
    parts.push({
      location,
      schema,
      vendor: schema['~standard'].vendor,
      format: settings.formatIssue,
      strict: strict && (location === 'body' || location === 'query'),
    })
  }
  if (parts.length === 0)
    configError('validate', 'has no schema. Give at least one of body, query, params or headers.')
  const readBody = given.body === undefined ? undefined : createBodyReader('validate.body', undefined)
  const validated = Symbol('validate')

  function finish(
    ctx: GuardContext,
    inputs: readonly unknown[],
    results: readonly StandardSchemaV1.Result<unknown>[],
  ): Decision | undefined {
    const errors: ValidationError[] = []
    const outputs: Validated = {}
    for (let k = 0; k < parts.length; k++) {
      const part = parts[k] as Part
      const result = results[k] as StandardSchemaV1.Result<unknown>
      if (result.issues) {
        reportIssues(errors, maxErrors, part, result.issues, inputs[k])
        continue
      }
      outputs[part.location] = result.value
      if (part.strict) collectUnknownKeys(errors, maxErrors, part.location, inputs[k], result.value)
    }
    if (errors.length > 0) return deny(catalogProblem('validation-failed', { errors }))
    for (const part of parts) ctx.input[part.location] = outputs[part.location]
    RequestInputParts.record(ctx.input, validated, outputs)
    return undefined
  }

  // One schema (a body, most often) needs no arrays of inputs and results.
  const single = parts.length === 1 ? (parts[0] as Part) : undefined

  function finishSingle(
    ctx: GuardContext,
    part: Part,
    input: unknown,
    result: StandardSchemaV1.Result<unknown>,
  ): Decision | undefined {
    if (result.issues) return finish(ctx, [input], [result])
    const errors: ValidationError[] = []
    if (part.strict) collectUnknownKeys(errors, maxErrors, part.location, input, result.value)
    if (errors.length > 0) return deny(catalogProblem('validation-failed', { errors }))
    ctx.input[part.location] = result.value
    RequestInputParts.record(ctx.input, validated, { [part.location]: result.value })
    return undefined
  }

  function run(ctx: GuardContext): GuardResult | Promise<GuardResult> {
    if (single !== undefined) {
      const input = partInput(ctx, single.location)
      const result = single.schema['~standard'].validate(input)
      if (isThenable(result)) return result.then((settled) => finishSingle(ctx, single, input, settled))
      return finishSingle(ctx, single, input, result)
    }
    const inputs: unknown[] = []
    const results: (StandardSchemaV1.Result<unknown> | Promise<StandardSchemaV1.Result<unknown>>)[] = []
    let pending = false
    for (const part of parts) {
      const input = partInput(ctx, part.location)
      const result = part.schema['~standard'].validate(input)
      inputs.push(input)
      results.push(result)
      if (isThenable(result)) pending = true
    }
    if (pending) return Promise.all(results).then((settled) => finish(ctx, inputs, settled))
    return finish(ctx, inputs, results as StandardSchemaV1.Result<unknown>[])
  }

  function outputOf(from: ValidatedSource, location: ValidationLocation): never {
    const outputs = RequestInputParts.recorded(from.input, validated) as Validated | undefined
    if (outputs === undefined) {
      throw new SecError(
        'SEC_NOT_VALIDATED',
        'This validate() guard did not run on this request (or refused it). Add it to the guards of the route that reads its output.',
      )
    }
    return outputs[location] as never
  }

  return {
    name: 'validate',
    schemas,
    check(ctx) {
      if (readBody !== undefined && ctx.local(bodyParsedKey) === undefined) {
        const reading = readBody(ctx)
        if (reading !== undefined) return reading.then(() => run(ctx))
      }
      return run(ctx)
    },
    body: (from) => outputOf(from, 'body'),
    query: (from) => outputOf(from, 'query'),
    params: (from) => outputOf(from, 'params'),
    headers: (from) => outputOf(from, 'headers'),
  }
}
