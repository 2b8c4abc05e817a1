import { version } from '../package.json'
import { unknownOption, wantsHelp } from './args/parse-flags.js'
import { UsageError } from './args/usage-error.js'
import type { CliIo, ExitCode } from './cli-io.js'
import type { Command, CommandGroup } from './commands/command.js'
import { rootGroup } from './commands/groups.js'

interface Found {
  readonly entry: Command | CommandGroup
  /** `sec webhook sign`. */
  readonly path: string
  readonly rest: readonly string[]
}

/** Walks the command tree along the leading words of `argv`. */
function find(
  argv: readonly string[],
): Found | { readonly unknown: string; readonly path: string; readonly group: CommandGroup } {
  let entry: Command | CommandGroup = rootGroup
  let path = 'sec'
  let i = 0
  while (entry.kind === 'group') {
    const word = argv[i]
    if (word === undefined || word.startsWith('-')) break
    const next: Command | CommandGroup | undefined = Object.hasOwn(entry.commands, word)
      ? entry.commands[word]
      : undefined
    if (next === undefined) return { unknown: word, path, group: entry }
    entry = next
    path = `${path} ${word}`
    i++
  }
  return { entry, path, rest: argv.slice(i) }
}

/** Quotes an unknown command only when it looks like one: a stray word may be a pasted secret. */
function unknownCommand(word: string): string {
  return /^[A-Za-z][A-Za-z0-9-]{0,19}$/.test(word) ? `unknown command '${word}'` : 'unknown command'
}

function usage(io: CliIo, path: string, usageLine: string, message: string): ExitCode {
  io.stderr.write(`${path}: ${message}\nUsage: ${usageLine}  (see '${path} --help')\n`)
  return 2
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  if (argv[0] === 'help') {
    const found = find(argv.slice(1))
    if ('unknown' in found) return usage(io, found.path, found.group.usage, unknownCommand(found.unknown))
    io.stdout.write(found.entry.help)
    return 0
  }
  const found = find(argv)
  if ('unknown' in found) return usage(io, found.path, found.group.usage, unknownCommand(found.unknown))
  const { entry, path, rest } = found
  if (wantsHelp(rest)) {
    io.stdout.write(entry.help)
    return 0
  }
  if (entry.kind === 'group') {
    if (entry === rootGroup && rest.length === 1 && rest[0] === '--version') {
      io.stdout.write(`${version}\n`)
      return 0
    }
    const first = rest[0]
    return usage(io, path, entry.usage, first === undefined ? 'missing command' : unknownOption(first))
  }
  try {
    return await entry.run(rest, io)
  } catch (error) {
    if (error instanceof UsageError) return usage(io, path, entry.usage, error.message)
    throw error
  }
}

/**
 * Runs the `sec` command line: `argv` are the arguments after the program name
 * (`process.argv.slice(2)`). Output goes to `io`, which the `sec` binary builds with `nodeIo()`;
 * tests pass their own. Never throws and never exits the process: it resolves with the exit code.
 *
 * @example
 * import { nodeIo, run } from '@sec/cli'
 * process.exitCode = await run(['keys', 'generate', 'webhook'], nodeIo())
 */
export async function run(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  try {
    return await dispatch(argv, io)
  } catch (error) {
    // A bug, not a verdict. No stack trace: one line, as every other message. The library's
    // messages never quote a secret.
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    io.stderr.write(`sec: unexpected error, please report it: ${text.split('\n')[0]}\n`)
    return 70
  }
}
