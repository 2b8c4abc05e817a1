import { usageError } from '../args/usage-error.js'
import type { CliIo } from '../cli-io.js'
import { readInput } from '../files/read-input.js'

/** The flag that lets a secret be given as an argument. */
export const secretArgumentOptIn = 'i-know-this-lands-in-shell-history'

/** Where a secret may come from, in the order tried. */
export interface SecretSources {
  /** What the secret is, for messages: `the secret access key`. */
  readonly what: string
  /** The file flag's name without dashes (`secret-file`) and its value. */
  readonly fileFlag: string
  readonly file: string | undefined
  /** The argument flag, when the secret has one: its name without dashes (`secret`), its value, and whether the opt-in was given. */
  readonly argument?: {
    readonly flag: string
    readonly value: string | undefined
    readonly insisted: boolean | undefined
  }
  /** Environment variables to read, first set one wins. */
  readonly env: readonly string[]
}

/** A secret and where it came from (a flag or a variable name: never the value). */
export interface FoundSecret {
  readonly value: string
  readonly source: string
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Reads a secret from a file flag, an argument (only with the opt-in), or the environment, in
 * that order; `undefined` when none is set. A file's surrounding whitespace (the newline an editor
 * or `echo` adds) is not part of the secret. Messages never quote the value.
 */
export async function readSecret(io: CliIo, sources: SecretSources): Promise<FoundSecret | undefined> {
  const { what, fileFlag, file } = sources
  const valueFlag = sources.argument?.flag
  const value = sources.argument?.value
  if (value !== undefined && sources.argument?.insisted !== true)
    usageError(
      `refusing --${valueFlag}: a secret given as an argument is saved in your shell history and visible in the process list; use ${sources.env[0] ?? `--${fileFlag}`} or --${fileFlag} <path>, or add --${secretArgumentOptIn} if you accept that`,
    )
  if (value !== undefined && file !== undefined)
    usageError(`give ${what} once: --${fileFlag} or --${valueFlag}, not both`)
  if (file !== undefined) {
    if (file === '-')
      usageError(`--${fileFlag} needs a file path; standard input is kept for the request body`)
    const bytes = await readInput(io, `--${fileFlag}`, file)
    let text: string
    try {
      text = utf8.decode(bytes).trim()
    } catch {
      return usageError(`--${fileFlag} ${file} is not UTF-8 text`)
    }
    if (text === '') usageError(`--${fileFlag} ${file} is empty`)
    return { value: text, source: `--${fileFlag}` }
  }
  if (value !== undefined) {
    if (value === '') usageError(`--${valueFlag} is empty`)
    return { value, source: `--${valueFlag}` }
  }
  for (const name of sources.env) {
    const variable = io.env[name]
    if (variable !== undefined && variable !== '') return { value: variable, source: name }
  }
  return undefined
}
