import { type ParseArgsConfig, parseArgs } from 'node:util'
import { UsageError, usageError } from './usage-error.js'

/** The option declarations `util.parseArgs` takes. */
export type FlagDeclarations = NonNullable<ParseArgsConfig['options']>

/** How every command parses: strict, positionals counted by the caller, `--no-<flag>` for booleans. */
interface StrictConfig<O extends FlagDeclarations> {
  args: string[]
  options: O
  strict: true
  allowPositionals: true
  allowNegative: true
  tokens: true
}

type Parsed<O extends FlagDeclarations> = ReturnType<typeof parseArgs<StrictConfig<O>>>

/** What {@link parseFlags} found. */
export interface ParsedFlags<O extends FlagDeclarations> {
  readonly values: Parsed<O>['values']
  readonly positionals: readonly string[]
}

function parseWith<O extends FlagDeclarations>(args: readonly string[], options: O): Parsed<O> {
  return parseArgs({
    args: [...args],
    options,
    strict: true,
    allowPositionals: true,
    allowNegative: true,
    tokens: true,
  })
}

/**
 * "unknown option --x", quoting the option only when it looks like one: a stray argument may be a
 * pasted secret.
 */
export function unknownOption(option: string): string {
  const name = option.split('=')[0] as string
  return /^--?[A-Za-z][A-Za-z0-9-]{0,39}$/.test(name) ? `unknown option ${name}` : 'unknown option'
}

/** Node's messages run over several lines and suggest `--` escapes; one short line is enough here. */
function oneLine(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  const message = error instanceof Error ? error.message : String(error)
  const quoted = /'([^']*)'/.exec(message)?.[1]
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted !== undefined) return unknownOption(quoted)
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && quoted !== undefined) {
    const option = quoted.split(' ')[0] as string
    if (message.includes('does not take an argument')) return `${option} takes no value`
    if (message.includes('ambiguous'))
      return `${option} needs a value; to pass one that starts with '-', write ${option}=<value>`
    return `${option} needs a value`
  }
  return message.split('\n')[0] as string
}

/**
 * Parses a command's arguments with `util.parseArgs` (strict, `--no-<flag>` for booleans), as
 * usage errors: an unknown option, a missing value, a boolean given a value, or a single-valued
 * option given twice (which `parseArgs` would silently let the last one win).
 *
 * @param maxPositionals - How many positional arguments the command takes; more is a usage error
 *   that does not quote them (a stray argument is often a pasted secret).
 */
export function parseFlags<O extends FlagDeclarations>(
  args: readonly string[],
  options: O,
  maxPositionals = 0,
): ParsedFlags<O> {
  let parsed: Parsed<O>
  try {
    parsed = parseWith(args, options)
  } catch (error) {
    throw new UsageError(oneLine(error))
  }
  const seen = new Set<string>()
  for (const token of parsed.tokens) {
    if (token.kind !== 'option' || options[token.name]?.multiple === true) continue
    if (seen.has(token.name)) usageError(`--${token.name} is given more than once`)
    seen.add(token.name)
  }
  if (parsed.positionals.length > maxPositionals)
    usageError(
      maxPositionals === 0
        ? `takes no arguments besides options (got ${parsed.positionals.length}); give values with their option, e.g. --method POST`
        : `takes at most ${maxPositionals} argument${maxPositionals === 1 ? '' : 's'} besides options (got ${parsed.positionals.length})`,
    )
  return { values: parsed.values, positionals: parsed.positionals }
}

/** Whether `--help` or `-h` appears before a `--` separator: help wins over any other mistake. */
export function wantsHelp(args: readonly string[]): boolean {
  for (const arg of args) {
    if (arg === '--') return false
    if (arg === '--help' || arg === '-h') return true
  }
  return false
}
